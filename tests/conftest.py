"""Shared test helpers: a local HTTP site the crawl tests register pages on, and `run_crawl`, which
runs `scrapy crawl` in a subprocess (the Twisted reactor starts once per process) and returns the
exported items, the final stats, the exit code and the log."""

import ast
import json
import os
import re
import subprocess
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
FIXTURES = Path(__file__).resolve().parent / "fixtures"

# Crawl settings for fast, deterministic test crawls; a test overrides them through `settings`.
FAST_SETTINGS = {
    "DOWNLOAD_DELAY": 0,
    "AUTOTHROTTLE_ENABLED": False,
    "ROBOTSTXT_OBEY": False,
    "RETRY_ENABLED": False,
    "TELNETCONSOLE_ENABLED": False,
    "REMOTE_CONTROL_ENABLED": False,
    "MONGODB_ENABLED": False,
    "LOG_LEVEL": "INFO",
}


class Site:
    """Routes `path -> (status, headers, body)` served on 127.0.0.1, and a log of requested paths
    (path plus query string, in arrival order). Unknown paths answer 404."""

    def __init__(self, host: str, port: int):
        self.host, self.port = host, port
        self.base = f"http://{host}:{port}"
        self._routes: dict[str, tuple[int, dict, bytes]] = {}
        self._log: list[str] = []
        self._times: list[tuple[str, float]] = []
        self._lock = threading.Lock()

    def url(self, path: str) -> str:
        return self.base + path

    def add(self, path: str, body: bytes | str, status: int = 200, headers: dict | None = None) -> str:
        """Serve `body` at `path` (text is sent as UTF-8); returns the absolute URL."""
        if isinstance(body, str):
            body = body.encode("utf-8")
        if headers is None:
            headers = {"Content-Type": "text/html; charset=utf-8"}
        with self._lock:
            self._routes[path] = (status, dict(headers), body)
        return self.url(path)

    def add_sequence(self, path: str, responses: list[tuple[int, dict, bytes | str]]) -> str:
        """Serve these (status, headers, body) in turn at `path`; the last one repeats."""
        seq = [(st, h, b.encode("utf-8") if isinstance(b, str) else b) for st, h, b in responses]
        with self._lock:
            self._routes[path] = seq
        return self.url(path)

    def add_handler(self, path: str, handler) -> str:
        """Serve `path` with `handler(request_handler)`, which writes the raw response itself (or
        misbehaves: resets the connection, stalls, drips, truncates). For fault tests."""
        with self._lock:
            self._routes[path] = handler
        return self.url(path)

    def route(self, path: str):
        with self._lock:
            found = self._routes.get(path)
            if isinstance(found, list):
                return found.pop(0) if len(found) > 1 else found[0]
            return found

    def record(self, path: str) -> None:
        with self._lock:
            self._log.append(path)
            self._times.append((path, time.monotonic()))

    def request_times(self, path: str) -> list[float]:
        """Monotonic arrival times of the requests for exactly `path`."""
        with self._lock:
            return [t for p, t in self._times if p == path]

    def requests(self, prefix: str = "/") -> list[str]:
        """Requested paths starting with `prefix`, in the order they arrived."""
        with self._lock:
            return [p for p in self._log if p.startswith(prefix)]


def _handler(site: Site):
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def do_GET(self):  # noqa: N802 (http.server naming)
            site.record(self.path)
            found = site.route(self.path)
            if callable(found):
                self.close_connection = True
                try:
                    found(self)
                except OSError:   # the client gave up (timeout) or the handler reset the connection
                    pass
                return
            status, headers, body = found or (404, {"Content-Type": "text/plain"}, b"not found")
            self.send_response(status)
            for name, value in headers.items():
                self.send_header(name, value)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args):
            pass

    return Handler


@pytest.fixture(scope="session")
def http_site():
    server = ThreadingHTTPServer(("127.0.0.1", 0), None)
    server.daemon_threads = True
    site = Site(*server.server_address[:2])
    server.RequestHandlerClass = _handler(site)
    thread = threading.Thread(target=server.serve_forever, name="http_site", daemon=True)
    thread.start()
    yield site
    server.shutdown()
    server.server_close()


def fixture_page(name: str) -> bytes:
    return (FIXTURES / "pages" / name).read_bytes()


ARTICLE_PARAGRAPHS = (
    "The regional water board said on Monday that the reservoir above the town is fuller than at any "
    "time in the past decade, after a winter of steady rain and a late thaw in the hills.",
    "Engineers will open the spillway gates for the first time since the dam was strengthened, and "
    "walkers have been asked to keep away from the lower footpath while the water is released.",
    "Farmers downstream welcomed the news, saying the summer irrigation quota would probably be raised "
    "for the first time in several years.",
)


def article_html(title: str, *, published: str | None = None, head: str = "", lang: str = "en",
                 paragraphs=ARTICLE_PARAGRAPHS) -> str:
    """A small, plain article page: <title>, <h1>, optional article:published_time, and
    paragraphs (enough words to pass NEWSCRAWL_MIN_BODY_WORDS by default)."""
    meta = f'<meta property="article:published_time" content="{published}">' if published else ""
    paras = "".join(f"<p>{p}</p>\n" for p in paragraphs)
    return (f'<!DOCTYPE html>\n<html lang="{lang}"><head><meta charset="utf-8"><title>{title}</title>{meta}{head}'
            f'</head><body><nav><a href="/">Home</a></nav><article><h1>{title}</h1>\n{paras}</article></body></html>')


# ---- the item contract -------------------------------------------------------------------------

_TIMESTAMP = re.compile(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ")
_DAY = re.compile(r"\d{4}-\d\d-\d\d")
_JSON_TYPES = {"str": (str,), "bool": (bool,), "object": (dict,), "null": (type(None),), "float": (float, int)}


def extracted_fields() -> list[str]:
    """The fields a page object fills (`url` .. `crawled_at`); the others are added by the pipelines."""
    from newscrawl.article.fields import PAGE_FIELDS

    return list(PAGE_FIELDS)


def assert_contract(item: dict, pipelines: bool = True) -> None:
    """`item` has the public Article fields (only the extracted ones when `pipelines` is false), each
    of its declared JSON type, with UTC `Z` times. A nullable pipeline field may be missing: feed
    exports leave out fields a pipeline did not set (`duplicate_of` of a first copy)."""
    from newscrawl.article.fields import BY_NAME, PUBLIC_FIELDS

    extracted = set(extracted_fields())
    if pipelines:
        required = {name for name in PUBLIC_FIELDS if name in extracted or not BY_NAME[name].type.endswith("|null")}
        assert required <= set(item) <= set(PUBLIC_FIELDS), set(item) ^ set(PUBLIC_FIELDS)
    else:
        assert set(item) == extracted
    for name, value in item.items():
        kind = BY_NAME[name].type
        if kind == "list[str]":
            assert isinstance(value, list) and all(isinstance(v, str) and v for v in value), (name, value)
        else:
            allowed = tuple(t for part in kind.split("|") for t in _JSON_TYPES[part])
            assert isinstance(value, allowed), (name, value)
            assert not isinstance(value, bool) or bool in allowed, (name, value)  # bool is an int subclass
    for name in ("url", "fetched_url", "source", "source_name", "title", "body"):
        assert item[name].strip(), name
    assert item["url"].startswith(("http://", "https://")) and "#" not in item["url"]
    assert _TIMESTAMP.fullmatch(item["crawled_at"]), item["crawled_at"]
    for name in ("published_at", "modified_at"):
        if item[name] is not None:
            assert _TIMESTAMP.fullmatch(item[name]) or _DAY.fullmatch(item[name]), (name, item[name])
    if item["published_at"] is not None:
        assert item["published_at_source"]["method"] in ("jsonld", "microdata", "meta", "time", "url", "text", "htmldate")
        assert item["published_at_source"]["has_time"] == ("T" in item["published_at"])


# ---- running crawls ----------------------------------------------------------------------------

_STATS_HEADER = "Dumping Scrapy stats:"


def _replace_calls(text: str, func: str) -> str:
    """Replace every `func(...)` call (balanced parentheses) with its source as a string literal."""
    out, i = [], 0
    while (start := text.find(func + "(", i)) != -1:
        depth, j = 0, start + len(func)
        while j < len(text):
            depth += {"(": 1, ")": -1}.get(text[j], 0)
            j += 1
            if depth == 0:
                break
        out.append(text[i:start])
        out.append(repr(text[start:j]))
        i = j
    out.append(text[i:])
    return "".join(out)


def parse_stats(log: str) -> dict:
    """The final stats from a Scrapy log (`STATS_DUMP`, on by default): the pprinted dict after
    "Dumping Scrapy stats:", with datetime values kept as their repr strings. {} when absent."""
    pos = log.rfind(_STATS_HEADER)
    if pos == -1:
        return {}
    lines = log[pos + len(_STATS_HEADER):].lstrip("\n").splitlines()
    block = []
    for n, line in enumerate(lines):
        if n and not line.startswith(" "):
            break
        block.append(line)
    return ast.literal_eval(_replace_calls("\n".join(block), "datetime.datetime"))


def run_crawl(tmp_path: Path, spider: str, args: dict | None = None, settings: dict | None = None,
              timeout: float = 180, env: dict | None = None) -> tuple[list[dict], dict, int, str]:
    """Run `scrapy crawl <spider>` from the repository root with `-a` arguments and `-s` settings
    (over FAST_SETTINGS); returns (items, stats, returncode, log text). The log text is the log file
    followed by the process's stderr (errors raised before logging is set up end up there)."""
    items_path = tmp_path / "items.jsonl"
    log_path = tmp_path / "crawl.log"
    for path in (items_path, log_path):
        path.unlink(missing_ok=True)
    cmd = [sys.executable, "-m", "scrapy", "crawl", spider, "-O", str(items_path)]
    for key, value in (args or {}).items():
        cmd += ["-a", f"{key}={value}"]
    for key, value in {**FAST_SETTINGS, **(settings or {}), "LOG_FILE": str(log_path)}.items():
        cmd += ["-s", f"{key}={value}"]
    proc = subprocess.run(cmd, cwd=REPO, capture_output=True, text=True, timeout=timeout,
                          env={**os.environ, **env} if env else None)
    log = (log_path.read_text(encoding="utf-8") if log_path.exists() else "") + proc.stderr
    items = []
    if items_path.exists():
        items = [json.loads(line) for line in items_path.read_text(encoding="utf-8").splitlines() if line.strip()]
    return items, parse_stats(log), proc.returncode, log


__all__ = ["ARTICLE_PARAGRAPHS", "FIXTURES", "REPO", "Site", "article_html", "assert_contract", "extracted_fields",
           "fixture_page", "parse_stats", "run_crawl"]
