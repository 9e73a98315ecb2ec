"""The stored form of an article: `to_document(item, now)`.

An Article item plus the fields the pipelines add becomes one MongoDB document with native types:
timestamps as BSON datetimes (UTC), `published_date` as the UTC day ("YYYY-MM-DD") for "all
articles of a day" queries, hashes for change and duplicate detection. Which keys a document has
comes from newscrawl/article/fields.py (docs/storage.md, "Stored article document", shows that table).

The store applies `to_document` to what it is given (`screen`, before a write and before a spool
line): an item from the store pipeline, or a spool line on replay. It is idempotent
(`to_document(to_document(x, now), now) == to_document(x, now)`), so a document given again is
unchanged, and it recomputes the hashes from the text, so a hand-edited line cannot forge them.
The bookkeeping fields (`revision`, `revisions`, `first_seen_at`, `last_seen_at`, `updated_at`)
are written by the articles collection's upserts, never taken from the item.
"""

from __future__ import annotations

import logging
import re
from datetime import date, datetime, time, timezone
from typing import Any, Mapping

from newscrawl.article.fields import BY_NAME, DEDUPE, ITEM_FIELDS, LANGUAGE, PAGE_FIELDS, STORED_FIELDS
from newscrawl.article.hashing import content_hash, title_hash

logger = logging.getLogger(__name__)

UTC = timezone.utc
SCHEMA_VERSION = 1

# The page's fields: always present in the stored document (null when the item has none).
ARTICLE_KEYS = PAGE_FIELDS
# The pipelines' stored fields: present when set (and not None) on the item.
PIPELINE_KEYS = tuple(name for name in STORED_FIELDS if BY_NAME[name].set_by in (DEDUPE, LANGUAGE))
# Fields a new revision overwrites: everything but identity, aliases and the store's bookkeeping.
CONTENT_KEYS = tuple(name for name in STORED_FIELDS if BY_NAME[name].on_item and name != "url") + (
    "published_date", "schema_version")
# What `keep_revisions=True` copies into each `revisions` entry.
REVISION_COPY_KEYS = ("title", "summary", "body", "authors", "published_at", "modified_at", "crawled_at")
# Every key `to_document` reads without a warning: item fields that are not stored (`duplicate_of`:
# the store records a copy as an alias instead) are dropped silently.
_KNOWN_KEYS = frozenset(STORED_FIELDS) | frozenset(ITEM_FIELDS)

_DATE_ONLY = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_INT64_MAX = 2 ** 63 - 1
_warned_unknown: set[str] = set()


# What MongoDB refuses, checked here for every server (FerretDB 1.24 takes larger and deeper documents).
MAX_DOCUMENT_BYTES = 16 * 1024 * 1024
MAX_DEPTH = 100


def screen(docs, now: datetime) -> tuple[list[dict], list[tuple[Any, str, str]]]:
    """The documents as they would be stored, and those the store would refuse as
    (document, reason, detail): the same screening before a write and before a spool line."""
    good, refused = [], []
    for raw in docs:
        try:
            doc = to_document(raw, now)
        except (ValueError, TypeError) as exc:
            refused.append((raw, "invalid_document", f"{type(exc).__name__}: {str(exc)[:200]}"))
            continue
        problem = check_document(doc)
        if problem is None:
            good.append(doc)
        else:
            refused.append((doc, *problem))
    return good, refused


def check_document(doc: Mapping) -> tuple[str, str] | None:
    """(reason, detail) when MongoDB or the BSON encoder would refuse `doc`, else None.

    Reasons: invalid_key (not a string, leading "$", ".", NUL or empty), too_deep (over MAX_DEPTH
    levels), invalid_string (a lone surrogate: not UTF-8), int_overflow (an int beyond 64 bits),
    too_large (over MAX_DOCUMENT_BYTES of BSON), invalid_document (anything else the encoder
    refuses). Walked iteratively: a hostile nesting cannot exhaust the stack."""
    stack: list[tuple[Any, int]] = [(doc, 1)]
    while stack:
        value, depth = stack.pop()
        if depth > MAX_DEPTH:
            return "too_deep", f"nested deeper than {MAX_DEPTH} levels"
        if isinstance(value, Mapping):
            for key, item in value.items():
                if not isinstance(key, str):
                    return "invalid_key", f"a {type(key).__name__} key"
                if not key or key.startswith("$") or "." in key or "\x00" in key:
                    return "invalid_key", f"key {key[:80]!r}"
                if isinstance(item, (Mapping, list, tuple)):
                    stack.append((item, depth + 1))
        elif isinstance(value, (list, tuple)):
            stack.extend((item, depth + 1) for item in value if isinstance(item, (Mapping, list, tuple)))
    import bson
    from bson.errors import InvalidDocument, InvalidStringData

    try:
        size = len(bson.encode(doc))
    except (UnicodeError, InvalidStringData) as exc:
        return "invalid_string", f"{type(exc).__name__}: {str(exc)[:200]}"
    except OverflowError as exc:
        return "int_overflow", str(exc)[:200]
    except (InvalidDocument, TypeError, ValueError, RecursionError) as exc:
        return "invalid_document", f"{type(exc).__name__}: {str(exc)[:200]}"
    if size > MAX_DOCUMENT_BYTES:
        return "too_large", f"{size} bytes of BSON (limit {MAX_DOCUMENT_BYTES})"
    return None


def parse_timestamp(value: Any, field: str = "timestamp") -> tuple[datetime | None, bool, str | None]:
    """(aware UTC datetime, has_time, written day) from an ISO 8601 string, a datetime or a date.

    A bare date ("2024-05-03", or a `date`) is midnight UTC with has_time False and its written
    day; a string or datetime without zone is taken as UTC (the Article contract writes UTC).
    Unparsable values give (None, False, None) and a warning."""
    if value is None or value == "":
        return None, False, None
    if isinstance(value, datetime):
        dt = value if value.tzinfo is not None else value.replace(tzinfo=UTC)
        dt = dt.astimezone(UTC)
        # BSON datetimes hold milliseconds: truncate now so a stored value compares equal.
        return dt.replace(microsecond=dt.microsecond // 1000 * 1000), True, None
    if isinstance(value, date):
        return datetime.combine(value, time(0), tzinfo=UTC), False, value.isoformat()
    if isinstance(value, str):
        text = value.strip()
        try:
            if _DATE_ONLY.match(text):
                day = date.fromisoformat(text)
                return datetime.combine(day, time(0), tzinfo=UTC), False, day.isoformat()
            return parse_timestamp(datetime.fromisoformat(text.replace("z", "Z")), field)
        except ValueError:
            pass
    logger.warning("unparsable %s %r: stored as null", field, value)
    return None, False, None


def _str_list(value: Any) -> list[str]:
    if value is None:
        return []
    if isinstance(value, str):
        return [value] if value else []
    out: list[str] = []
    for v in value:
        if v is None:
            continue
        s = v if isinstance(v, str) else str(v)
        if s and s not in out:
            out.append(s)
    return out


def _minhash(value: Any) -> bytes | list[int] | None:
    """bytes as bytes (BSON binary); a sequence (list, tuple, numpy array) as a list of int64."""
    if value is None:
        return None
    if isinstance(value, (bytes, bytearray, memoryview)):
        return bytes(value)
    if hasattr(value, "tolist"):  # numpy array
        value = value.tolist()
    if hasattr(value, "hashvalues"):  # datasketch MinHash
        value = value.hashvalues.tolist()
    ints = [int(v) for v in value]
    if any(v > _INT64_MAX or v < -_INT64_MAX - 1 for v in ints):
        raise ValueError("minhash values must fit in int64 (pass bytes for wider values)")
    return ints


def _optional_str(value: Any) -> str | None:
    if value is None:
        return None
    return value if isinstance(value, str) else str(value)


def _body_source(value: Any) -> dict | None:
    """An item's `body_source` as stored: its known keys with their types, strings bounded (a spool
    line may hold anything)."""
    if not isinstance(value, Mapping):
        return None
    out: dict[str, Any] = {}
    if isinstance(value.get("method"), str):
        out["method"] = value["method"][:50]
    confidence = value.get("confidence")
    if isinstance(confidence, (int, float)) and not isinstance(confidence, bool):
        out["confidence"] = min(1.0, max(0.0, float(confidence)))
    flags = value.get("flags")
    out["flags"] = [f[:100] for f in flags[:20] if isinstance(f, str)] if isinstance(flags, list) else []
    words = value.get("words")
    if isinstance(words, int) and not isinstance(words, bool):
        out["words"] = words
    return out


def _as_dict(item: Any) -> dict:
    if isinstance(item, Mapping):
        return dict(item)
    try:
        from itemadapter import ItemAdapter

        return ItemAdapter(item).asdict()
    except Exception as exc:  # pragma: no cover - defensive
        raise TypeError(f"cannot store {type(item).__name__}: not a mapping or item") from exc


def to_document(item: Any, now: datetime) -> dict:
    """The MongoDB document for an Article item (a dict or scrapy Item) with pipeline fields.

    `now` is the fallback `crawled_at` when the item has none. Raises ValueError without a url.
    Fields that are not article fields are dropped (a warning once per field name)."""
    src = _as_dict(item)
    url = src.get("url")
    if not isinstance(url, str) or not url.strip():
        raise ValueError(f"an article needs a url to be stored, got {url!r}")

    doc: dict[str, Any] = {"url": url.strip()}
    for key in ("fetched_url", "source", "source_name", "title", "summary", "body", "image",
                "declared_language"):
        doc[key] = _optional_str(src.get(key))
    doc["authors"] = _str_list(src.get("authors"))
    doc["section"] = _str_list(src.get("section"))
    doc["tags"] = _str_list(src.get("tags"))
    doc["is_paywalled"] = bool(src.get("is_paywalled") or False)
    doc["body_source"] = _body_source(src.get("body_source"))

    published, has_time, written_day = parse_timestamp(src.get("published_at"), "published_at")
    pas = src.get("published_at_source")
    pas = dict(pas) if isinstance(pas, Mapping) else None
    if published is not None:
        if not has_time:
            # A bare date: midnight UTC, flagged, so readers do not take it for an instant.
            pas = {**(pas or {}), "has_time": False}
        elif pas is None:
            pas = {"has_time": True}
        elif "has_time" not in pas:
            pas["has_time"] = True
        if written_day is None and pas.get("has_time") is False:
            written_day = published.date().isoformat()  # stored bare date read back: midnight UTC
    doc["published_at"] = published
    doc["published_at_source"] = pas
    doc["published_date"] = written_day or (published.date().isoformat() if published else None)
    doc["modified_at"] = parse_timestamp(src.get("modified_at"), "modified_at")[0]
    crawled = parse_timestamp(src.get("crawled_at"), "crawled_at")[0]
    doc["crawled_at"] = crawled if crawled is not None else parse_timestamp(now, "now")[0]

    # Pipeline fields, only when present.
    if src.get("language") is not None:
        doc["language"] = str(src["language"])
    if src.get("language_confidence") is not None:
        doc["language_confidence"] = float(src["language_confidence"])
    if src.get("language_method") is not None:
        doc["language_method"] = str(src["language_method"])
    if src.get("story_id") is not None:
        doc["story_id"] = str(src["story_id"])
    # Always from the text itself, never taken from the item: a hash that does not match the body
    # (an older definition, a hand-edited spool line) would alias the article onto another one.
    doc["content_hash"] = content_hash(doc["body"])
    doc["title_hash"] = title_hash(doc["title"])
    minhash = _minhash(src.get("minhash"))
    if minhash is not None:
        doc["minhash"] = minhash
    if src.get("lsh_bands") is not None:
        doc["lsh_bands"] = _str_list(src["lsh_bands"])
    doc["aliases"] = [a for a in _str_list(src.get("aliases")) if a != doc["url"]]
    doc["schema_version"] = SCHEMA_VERSION

    for key in src:
        if key not in _KNOWN_KEYS and key not in _warned_unknown:
            _warned_unknown.add(key)
            logger.warning("field %r is not an article field (newscrawl/article/fields.py): not stored", key)
    return doc
