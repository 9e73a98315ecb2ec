"""Requests as JSON for the shared Redis queue and the Redis spool (docs/distributed.md).

Whoever can write to Redis or to the spool directory can plant entries; an entry is data, never
code. A request travels as Scrapy's `request_to_dict` in JSON: bytes (body, header names and
values) as ``{"__bytes__": "<base64>"}``, a dict whose keys are not all strings as
``{"__map__": [[key, value], ...]}``, callbacks by name. Decoding (`request_from_json`) checks the
entry before a Request is built, and raises `RejectedRequest` (a short reason) for anything else:

* larger than NEWSCRAWL_REDIS_MAX_REQUEST_BYTES, not JSON, nested deeper than MAX_DEPTH, a
  malformed tag, NaN/Infinity;
* a key `request_to_dict` does not write, a request class (``_class`` would be imported);
* a URL that is not an absolute http(s) URL (extract.urls.web_url), a method other than GET, HEAD
  or POST, header names or values that are not HTTP tokens / single-line values;
* a callback or errback not in CALLBACKS / ERRBACKS, cb_kwargs that are not plain values or do
  not fit the callback's signature;
* a meta key not in META_KEYS, or a value its check refuses: meta steers the download (proxy,
  size limits, robots.txt, local WARC files), so it carries only what the spiders set, checked
  against the spider (a WARC record only in the files the worker was given, a render spec only
  the source's own).

`request_to_json` writes only what `request_from_json` accepts: meta keys that Scrapy's and our
middlewares derive again on the next download (download slot, proxy, the Playwright keys) are
left out; another unknown key is left out with one WARNING per key.

`dumps`/`loads` make this module usable as scrapy-redis's SCHEDULER_SERIALIZER (the Distributed add-on names
it; ReliablePriorityQueue refuses any other, pickle included). `JsonLifoDiskQueue` /
`JsonFifoDiskQueue` keep the same entries in a JOBDIR (SCHEDULER_DISK_QUEUE) instead of pickle."""

from __future__ import annotations

import base64
import binascii
import codecs
import inspect
import json
import logging
import os
import re
from dataclasses import asdict

from queuelib import queue

from scrapy.http import Request

from newscrawl.distributed.defaults import NEWSCRAWL_REDIS_MAX_REQUEST_BYTES
from newscrawl.extract.urls import web_url

logger = logging.getLogger(__name__)

MAX_REQUEST_BYTES = NEWSCRAWL_REDIS_MAX_REQUEST_BYTES
MAX_DEPTH = 8                   # nesting of JSON containers in one entry (spiders' requests need 4)
BYTES_TAG, MAP_TAG = "__bytes__", "__map__"

# What request_to_dict writes for a plain Request; nothing else is read.
REQUEST_KEYS = frozenset({"url", "callback", "errback", "method", "headers", "body", "cookies", "meta",
                          "encoding", "priority", "dont_filter", "flags", "cb_kwargs"})
METHODS = frozenset({"GET", "HEAD", "POST"})
# What a queued request may name as its callback / errback: spider methods, or a method of a
# spider attribute ("feeder.failed": discovery's errback). A new one must be added here to be shared.
CALLBACKS = ("parse", "parse_article", "parse_feed", "parse_discovery")
ERRBACKS = ("feeder.failed",)
# Meta keys set after scheduling by Scrapy's or our middlewares, set again on the next download.
DERIVED_META = frozenset({"download_slot", "download_latency", "download_timeout", "proxy", "_auth_proxy",
                          "_scheme_proxy", "_dont_cache", "cached_response", "cache_timestamp", "_slot_key"})
DERIVED_META_PREFIXES = ("playwright",)

_TOKEN = re.compile(rb"[!#$%&'*+.^_`|~0-9A-Za-z-]{1,128}")
_CHARSET = re.compile(r"[A-Za-z0-9_.:-]{1,40}")
_MAX_HEADERS, _MAX_HEADER_VALUE = 64, 8192
_warned_keys: set[str] = set()


class RejectedRequest(ValueError):
    """An entry that is not a request this crawler wrote; str() is the short reason."""


# ---- tagged JSON -------------------------------------------------------------------------------


def _tag(value, depth=0):
    if depth > MAX_DEPTH:
        raise RejectedRequest(f"nested deeper than {MAX_DEPTH}")
    if value is None or isinstance(value, (bool, int, str)):
        return value
    if isinstance(value, float):
        if value != value or value in (float("inf"), float("-inf")):
            raise RejectedRequest("NaN or infinite number")
        return value
    if isinstance(value, (bytes, bytearray)):
        return {BYTES_TAG: base64.b64encode(bytes(value)).decode("ascii")}
    if isinstance(value, (list, tuple)):
        return [_tag(v, depth + 1) for v in value]
    if isinstance(value, dict):
        if all(isinstance(k, str) for k in value) and BYTES_TAG not in value and MAP_TAG not in value:
            return {k: _tag(v, depth + 1) for k, v in value.items()}
        return {MAP_TAG: [[_tag(k, depth + 1), _tag(v, depth + 1)] for k, v in value.items()]}
    raise RejectedRequest(f"not JSON-safe: {type(value).__name__}")


def _untag(value, depth=0):
    if depth > MAX_DEPTH:
        raise RejectedRequest(f"nested deeper than {MAX_DEPTH}")
    if isinstance(value, list):
        return [_untag(v, depth + 1) for v in value]
    if not isinstance(value, dict):
        return value
    if BYTES_TAG in value or MAP_TAG in value:
        if len(value) != 1:
            raise RejectedRequest("malformed tag")
        if BYTES_TAG in value:
            data = value[BYTES_TAG]
            if not isinstance(data, str):
                raise RejectedRequest("malformed bytes")
            try:
                return base64.b64decode(data.encode("ascii"), validate=True)
            except (binascii.Error, UnicodeEncodeError):
                raise RejectedRequest("malformed base64") from None
        pairs = value[MAP_TAG]
        if not isinstance(pairs, list) or not all(isinstance(p, list) and len(p) == 2 for p in pairs):
            raise RejectedRequest("malformed map")
        out = {}
        for k, v in pairs:
            k = _untag(k, depth + 1)
            if not isinstance(k, (str, bytes, int)) or isinstance(k, bool):
                raise RejectedRequest("malformed map key")
            out[k] = _untag(v, depth + 1)
        return out
    return {k: _untag(v, depth + 1) for k, v in value.items()}


def _no_constant(name):
    raise RejectedRequest(f"{name} is not a number here")


def dumps(obj) -> bytes:
    """scrapy-redis serializer interface: a request dict as tagged JSON bytes."""
    return json.dumps(_tag(obj), ensure_ascii=True, separators=(",", ":"), allow_nan=False).encode("ascii")


def loads(data, max_bytes: int = MAX_REQUEST_BYTES):
    """scrapy-redis serializer interface: tagged JSON bytes back to plain values (no objects)."""
    if isinstance(data, str):
        data = data.encode("utf-8", "surrogatepass")
    if not isinstance(data, (bytes, bytearray)):
        raise RejectedRequest(f"not bytes: {type(data).__name__}")
    if max_bytes and len(data) > max_bytes:
        raise RejectedRequest(f"{len(data)} bytes, over the {max_bytes} byte limit")
    try:
        parsed = json.loads(data, parse_constant=_no_constant)
    except RejectedRequest:
        raise
    except (ValueError, RecursionError):   # ValueError covers JSON and UTF-8 errors, huge ints
        raise RejectedRequest("not JSON") from None
    return _untag(parsed)


# ---- requests ----------------------------------------------------------------------------------


def _is_int(value, low, high) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and low <= value <= high


def _short_str(value, limit=256) -> bool:
    return isinstance(value, str) and len(value) <= limit


def _warc_ref(value, spider) -> str | None:
    if not isinstance(value, dict) or set(value) != {"path", "offset", "date"}:
        return "not a WARC reference"
    if value["path"] not in {str(p) for p in getattr(spider, "paths", ()) or ()}:
        return "a WARC file this worker was not given"   # else any local file would be read
    if not _is_int(value["offset"], 0, 2**63) or not (value["date"] is None or _short_str(value["date"], 64)):
        return "a malformed WARC reference"
    return None


def _render_spec(value, spider) -> str | None:
    render = getattr(spider, "render", None)
    if not render or value != asdict(render):
        return "a render spec other than the source's"
    return None


def _discovery_limit(key):
    """download_maxsize / download_warnsize: only the value the spider's discovery sets itself
    (newscrawl.discovery.Feeder.request_meta), never a planted 0 (no limit) or a larger one."""
    def check(value, spider):
        feeder = getattr(spider, "feeder", None)
        own = feeder.request_meta().get(key) if feeder is not None else None
        return None if _is_int(value, 0, 2**62) and value == own else "not the discovery size limit"
    return check


def _gone_statuses():
    from newscrawl.spiders.base import GONE_STATUSES   # spiders import much; only when checked

    return GONE_STATUSES


def _check(test, what):
    return lambda value, spider: None if test(value) else what


# Every meta key a request may carry through the shared queue, with the check of its value
# (None: fine, else the reason).
META_KEYS = {
    "depth": _check(lambda v: _is_int(v, 0, 10_000), "a bad depth"),
    "is_start_request": _check(lambda v: isinstance(v, bool), "a bad is_start_request"),
    "retry_times": _check(lambda v: _is_int(v, 0, 100), "a bad retry count"),
    "redirect_times": _check(lambda v: _is_int(v, 0, 100), "a bad redirect count"),
    "redirect_ttl": _check(lambda v: _is_int(v, 0, 100), "a bad redirect TTL"),
    "redirect_urls": _check(lambda v: isinstance(v, list) and len(v) <= 100 and all(web_url(u) == u for u in v),
                            "bad redirect URLs"),
    "redirect_reasons": _check(lambda v: isinstance(v, list) and len(v) <= 100
                               and all(_is_int(r, 100, 599) or _short_str(r, 40) for r in v), "bad redirect reasons"),
    "handle_httpstatus_list": lambda v, spider: None if isinstance(v, list) and set(v) <= set(_gone_statuses())
    else "statuses other than the gone ones",
    "newscrawl_render": _render_spec,
    "newscrawl_render_retries": _check(lambda v: _is_int(v, 0, 10), "a bad render retry count"),
    "newscrawl_render_fallback": _check(lambda v: v is True, "a bad render fallback"),
    "warc": _warc_ref,
    "download_maxsize": _discovery_limit("download_maxsize"),
    "download_warnsize": _discovery_limit("download_warnsize"),
}


def _resolve(spider, name):
    target = spider
    for part in name.split("."):
        target = getattr(target, part, None)
    return target if callable(target) else None


def _spider_method(spider, name, allowed, what):
    """The method `name` of `spider` (None for None), if `name` is one of `allowed`."""
    if name is None:
        return None
    if not isinstance(name, str) or name not in allowed:
        raise RejectedRequest(f"{what} not allowed: {str(name)[:40]!r}")
    method = _resolve(spider, name)
    if method is None:
        raise RejectedRequest(f"{what} {name!r} not on spider {getattr(spider, 'name', '?')}")
    return method


def _method_name(spider, func, allowed, what):
    """The name in `allowed` under which `spider` has `func` (None for None)."""
    if func is None:
        return None
    wanted = getattr(func, "__func__", func)
    for name in allowed:   # by function, as Scrapy's request_to_dict: the name is resolved on the decoding spider
        if getattr(_resolve(spider, name), "__func__", None) is wanted:
            return name
    raise RejectedRequest(f"{what} {getattr(func, '__qualname__', func)!r} is not one of {', '.join(allowed)}")


def _check_headers(headers):
    if not isinstance(headers, dict) or len(headers) > _MAX_HEADERS:
        raise RejectedRequest("malformed headers")
    for name, values in headers.items():
        if not isinstance(name, bytes) or not _TOKEN.fullmatch(name):
            raise RejectedRequest("a malformed header name")
        if not isinstance(values, list) or len(values) > 16:
            raise RejectedRequest("malformed header values")
        for value in values:
            if (not isinstance(value, bytes) or len(value) > _MAX_HEADER_VALUE
                    or any(c in value for c in (b"\r", b"\n", b"\0"))):
                raise RejectedRequest("a malformed header value")


def _check_cookies(cookies):
    def plain(d):
        return isinstance(d, dict) and len(d) <= 64 and all(
            isinstance(k, str) and (v is None or isinstance(v, (str, int, float, bool))) for k, v in d.items())

    if not (plain(cookies) or (isinstance(cookies, list) and len(cookies) <= 64 and all(map(plain, cookies)))):
        raise RejectedRequest("malformed cookies")


def check_request_dict(d, spider) -> dict:
    """`d` (a decoded entry) if it is a request this crawler could have written for `spider`, with
    the callback and errback resolved; else raises RejectedRequest."""
    if not isinstance(d, dict):
        raise RejectedRequest(f"not a request: {type(d).__name__}")
    if "_class" in d:
        raise RejectedRequest("a request class")   # request_from_dict would import it
    extra = set(d) - REQUEST_KEYS
    if extra:
        raise RejectedRequest(f"unknown keys {sorted(str(k)[:40] for k in extra)[:3]}")
    if not isinstance(d.get("url"), str) or web_url(d["url"]) != d["url"]:
        raise RejectedRequest("not an absolute http(s) URL")
    if not isinstance(d.get("method", "GET"), str) or d.get("method", "GET") not in METHODS:
        raise RejectedRequest("a method other than GET, HEAD, POST")
    callback = _spider_method(spider, d.get("callback"), CALLBACKS, "callback")
    errback = _spider_method(spider, d.get("errback"), ERRBACKS, "errback")
    _check_headers(d.get("headers", {}))
    if not isinstance(d.get("body", b""), bytes):
        raise RejectedRequest("a body that is not bytes")
    _check_cookies(d.get("cookies", {}))
    encoding = d.get("encoding", "utf-8")
    try:
        if not isinstance(encoding, str) or not _CHARSET.fullmatch(encoding):
            raise LookupError(encoding)
        codecs.lookup(encoding)
    except LookupError:
        raise RejectedRequest("an unknown encoding") from None
    if not _is_int(d.get("priority", 0), -(10**9), 10**9):
        raise RejectedRequest("a bad priority")
    if not isinstance(d.get("dont_filter", False), bool):
        raise RejectedRequest("a bad dont_filter")
    flags = d.get("flags", [])
    if not isinstance(flags, list) or len(flags) > 16 or not all(_short_str(f, 64) for f in flags):
        raise RejectedRequest("bad flags")
    meta = d.get("meta", {})
    if not isinstance(meta, dict):
        raise RejectedRequest("meta is not a dict")
    for key, value in meta.items():
        check = META_KEYS.get(key)
        if check is None:
            raise RejectedRequest(f"meta key not allowed: {str(key)[:40]!r}")
        reason = check(value, spider)
        if reason:
            raise RejectedRequest(f"meta {key}: {reason}")
    cb_kwargs = d.get("cb_kwargs", {})
    # Plain values only; numbers are counts (a sitemap's depth): never negative, else a planted
    # entry would start below a limit.
    if not isinstance(cb_kwargs, dict) or not all(
            isinstance(k, str) and (v is None or isinstance(v, bool) or _is_int(v, 0, 10_000) or _short_str(v))
            for k, v in cb_kwargs.items()):
        raise RejectedRequest("cb_kwargs that are not plain values")
    if cb_kwargs:
        target = callback or getattr(spider, "parse", None)
        try:
            inspect.signature(target).bind(None, **cb_kwargs)
        except (TypeError, ValueError):
            raise RejectedRequest("cb_kwargs that do not fit the callback") from None
    return {**d, "callback": callback, "errback": errback}


def request_to_json(request: Request, spider, max_bytes: int = MAX_REQUEST_BYTES) -> bytes:
    """The queue entry of `request` (raises RejectedRequest when it cannot be one: an object in
    its meta, a callback not in CALLBACKS, over the size limit)."""
    if type(request) is not Request:
        raise RejectedRequest(f"a {type(request).__name__}, not a plain Request")
    # Request.to_dict, with callbacks named as CALLBACKS / ERRBACKS do.
    d = {"url": request.url, "callback": _method_name(spider, request.callback, CALLBACKS, "callback"),
         "errback": _method_name(spider, request.errback, ERRBACKS, "errback"), "headers": dict(request.headers)}
    for attr in Request.attributes:
        d.setdefault(attr, getattr(request, attr))
    meta = {}
    for key, value in d["meta"].items():
        if key in META_KEYS:
            meta[key] = value
        elif key not in DERIVED_META and not str(key).startswith(DERIVED_META_PREFIXES) and key not in _warned_keys:
            _warned_keys.add(key)
            logger.warning("Meta key %r is not carried through the shared queue (not in "
                           "newscrawl.distributed.serializer.META_KEYS)", key)
    d["meta"] = meta
    check_request_dict(d, spider)
    data = dumps(d)
    if max_bytes and len(data) > max_bytes:
        raise RejectedRequest(f"{len(data)} bytes, over the {max_bytes} byte limit")
    return data


def request_from_json(data, spider, max_bytes: int = MAX_REQUEST_BYTES) -> Request:
    """The Request of a queue entry, or RejectedRequest. Built here, not by request_from_dict:
    that one imports a `_class` and resolves any attribute name as a callback."""
    try:
        d = check_request_dict(loads(data, max_bytes), spider)
    except RejectedRequest:
        raise
    except Exception as exc:   # a value of the wrong type deep down (unhashable, ...)
        raise RejectedRequest(f"malformed ({type(exc).__name__})") from None
    try:
        return Request(**{k: v for k, v in d.items() if k in Request.attributes})
    except Exception as exc:   # e.g. Request's own checks of a URL
        raise RejectedRequest(f"{type(exc).__name__}: {str(exc)[:120]}") from None


# ---- JOBDIR ------------------------------------------------------------------------------------


def _disk_queue(base):
    """A Scrapy disk queue (SCHEDULER_DISK_QUEUE, used with JOBDIR) of the same checked JSON entries:
    Scrapy's own pickles them, so whoever can write to the job directory would run code at resume.
    An entry that does not decode is dropped, counted (`newscrawl/jobdir/rejected`) and logged."""

    class JsonDiskQueue(base):
        def __init__(self, crawler, key):
            self.spider, self.stats = crawler.spider, crawler.stats
            os.makedirs(os.path.dirname(str(key)) or ".", exist_ok=True)
            super().__init__(key)

        @classmethod
        def from_crawler(cls, crawler, key, *args, **kwargs):
            return cls(crawler, key)

        def push(self, request):
            # RejectedRequest is a ValueError: Scrapy's scheduler keeps such a request in memory.
            super().push(request_to_json(request, self.spider))

        def _next(self, peek: bool):
            while True:
                data = super().peek() if peek else super().pop()
                if not data:
                    return None
                try:
                    return request_from_json(data, self.spider)
                except RejectedRequest as exc:
                    if peek:
                        super().pop()   # drop it
                    self.stats.inc_value("newscrawl/jobdir/rejected")
                    logger.error("Rejected a request of %d bytes in the job directory: %s", len(data), exc)

        def pop(self):
            return self._next(peek=False)

        def peek(self):
            return self._next(peek=True)

    JsonDiskQueue.__name__ = JsonDiskQueue.__qualname__ = f"Json{base.__name__}"
    return JsonDiskQueue


JsonFifoDiskQueue = _disk_queue(queue.FifoDiskQueue)
JsonLifoDiskQueue = _disk_queue(queue.LifoDiskQueue)
