"""MongoStore: articles and crawl runs in MongoDB (or FerretDB).

One `upsert_batch` call is one read of the stored articles it touches (through the keys, below),
then set-based writes:

* a new URL is inserted (revision 1): one `insert_many` for all of them;
* a new URL whose `content_hash` is already stored under another URL is not a new article: it is
  added to that article's `aliases`;
* a known URL with the same body and title hashes only gets `last_seen_at`: one `update_many` for
  all of them;
* a known URL with a changed body or title becomes a new revision (`revision` + 1, the previous
  hashes pushed on `revisions`, full previous copies with `keep_revisions=True`): one update per
  article (rare), in one `bulk_write` with the alias additions.

So a batch costs a constant number of queries, whatever its size: that matters on FerretDB 1.24
(SQLite), where every query or update, even by `_id`, scans the whole collection.

The read goes through a small lookup collection, `<collection>_keys`: one `{_id: url, h: content
hash, c: crawled_at}` per article. On FerretDB a scan costs per document decoded, ~1 ms for an
article and ~30 us for a key, so a batch of new articles (the common case) reads only the keys; the
articles themselves are read only for the URLs and content hashes the keys name. The keys are a candidate
filter, never the truth: a key whose article is gone costs one read; an article without a key
(written by an older version, or a crash between the two inserts) is found when its URL's insert
hits the unique index, and gets its key then. `ensure_indexes` fills an empty keys collection from
the articles once.

Story lookups (`story_candidates_many`: stored articles sharing an LSH band with new ones) use the
multikey index on `lsh_bands` on MongoDB. FerretDB 1.24 has no such index and compares `$in` element
by element: ~35 s for a batch of 100 articles against 5,000 stored, growing with both. There the
lookup reads `<collection>_sigs` instead, one `{_id: url, s: story_id, m: minhash, b: band hashes}`
per article, with `b` one binary of 8-byte hashes of the band keys: one pass over the small
documents, the bands matched here with numpy, then the minhashes of the candidates only. Like the
keys, the signatures are written after the article (insert, revision) and filled from the articles
once; an article without one is only not found as a near duplicate.

The same batch written twice changes nothing but `last_seen_at`. Several processes may write at
once: URLs are unique (index), each insert carries an `_id` chosen here (so a writer knows which
inserts were its own), revisions are conditional on the revision read, and the operations that
lost a race (duplicate key, revision that changed under us) are planned again from fresh reads.
"""

from __future__ import annotations

import hashlib
import logging
import random
import re
import time
from collections import Counter
from datetime import datetime, timezone
from typing import Any, Iterable

import numpy as np
from bson import Binary, ObjectId
from pymongo import ASCENDING, DESCENDING, MongoClient, UpdateOne
import pymongo
from bson.errors import InvalidDocument
from pymongo.errors import BulkWriteError, DocumentTooLarge, OperationFailure, PyMongoError

from .schema import CONTENT_KEYS, REVISION_COPY_KEYS, parse_timestamp, screen

logger = logging.getLogger(__name__)

UTC = timezone.utc
DUPLICATE_KEY = 11000
RUNS_COLLECTION = "crawl_runs"
KEYS_SUFFIX = "_keys"   # the articles' lookup collection: {_id: url, h: content_hash, c: crawled_at}
SIGS_SUFFIX = "_sigs"   # story lookups by scan (FerretDB): {_id: url, s: story_id, m: minhash, b: band hashes}
STORY_LOOKUPS = ("auto", "index", "scan")
COUNT_KEYS = ("inserted", "updated", "unchanged", "aliased")
WRITE_ROUNDS = 8  # read+write rounds for one batch before WriteConflict (normally 1; races add one)

# (keys, options) of the article indexes; the text index is separate (not every server has it).
ARTICLE_INDEXES: list[tuple[list[tuple[str, Any]], dict]] = [
    ([("url", ASCENDING)], {"name": "url_unique", "unique": True}),
    ([("source", ASCENDING), ("published_at", DESCENDING)], {"name": "source_published"}),
    ([("language", ASCENDING), ("published_at", DESCENDING)], {"name": "language_published"}),
    ([("published_at", DESCENDING)], {"name": "published_at"}),
    ([("published_date", ASCENDING)], {"name": "published_date"}),
    ([("story_id", ASCENDING)], {"name": "story_id"}),
    ([("content_hash", ASCENDING)], {"name": "content_hash"}),
    ([("lsh_bands", ASCENDING)], {"name": "lsh_bands"}),
    ([("aliases", ASCENDING)], {"name": "aliases"}),
]
# Multilingual collection: no stemming language, and `language_override` pointed at a field that
# does not exist, because MongoDB otherwise reads our `language` field ("zh", "pt-br" ...) as the
# text-search language and rejects the write for languages it does not support.
TEXT_INDEX = ([("title", "text"), ("body", "text")],
              {"name": "title_body_text", "default_language": "none", "language_override": "_text_language",
               "weights": {"title": 3, "body": 1}})
RUN_INDEXES = [
    ([("run_id", ASCENDING)], {"name": "run_id_unique", "unique": True}),
    ([("spider", ASCENDING), ("started_at", DESCENDING)], {"name": "spider_started"}),
]

# A backstop for other writers (to_document already guarantees these types). validationLevel
# "moderate": existing documents that do not match are left alone.
ARTICLE_VALIDATOR = {"$jsonSchema": {
    "bsonType": "object",
    "required": ["url", "crawled_at", "revision"],
    "properties": {
        "url": {"bsonType": "string", "minLength": 1},
        "published_at": {"bsonType": ["date", "null"]},
        "modified_at": {"bsonType": ["date", "null"]},
        "crawled_at": {"bsonType": "date"},
        "published_date": {"bsonType": ["string", "null"], "pattern": r"^\d{4}-\d{2}-\d{2}$"},
        "revision": {"bsonType": ["int", "long"], "minimum": 1},
        "content_hash": {"bsonType": ["string", "null"]},
        "title_hash": {"bsonType": ["string", "null"]},
        "aliases": {"bsonType": "array", "items": {"bsonType": "string"}},
        "lsh_bands": {"bsonType": "array", "items": {"bsonType": "string"}},
    },
}}

_URI_RE = re.compile(r"^(?P<scheme>[A-Za-z][A-Za-z0-9+.-]*://)(?P<rest>.*)$", re.S)


class WriteConflict(PyMongoError):
    """A batch kept conflicting with concurrent writers; writing it again later is safe."""


# Server errors that concern one document, not the server or the connection (the document is set
# aside, the rest of its batch written): bad value or key, type mismatch, overflow, "$"/"."/empty
# field names, validator, too large.
DOCUMENT_ERROR_CODES = {2, 14, 15, 52, 55, 56, 57, 121, 10334, 17419, 17420}
_REASON_BY_CODE = {15: "int_overflow", 52: "invalid_key", 56: "invalid_key", 57: "invalid_key",
                   121: "validation", 10334: "too_large", 17419: "too_large", 17420: "too_large"}
# Server codes worth retrying (not-primary, shutting down, network, interrupted ...): never a document's fault.
TRANSIENT_CODES = {6, 7, 89, 91, 189, 262, 9001, 10107, 11600, 11602, 13435, 13436}


def document_error(exc: BaseException) -> bool:
    """Whether `exc` is one or more documents' fault (the encoder's or the server's refusal), so that
    the batch is split to find them, rather than an outage (retried, then spooled)."""
    if isinstance(exc, (InvalidDocument, UnicodeError, OverflowError, RecursionError)):
        return True   # InvalidDocument includes pymongo's DocumentTooLarge
    if isinstance(exc, BulkWriteError):
        details = exc.details or {}
        errors = [e for e in details.get("writeErrors") or [] if e.get("code") != DUPLICATE_KEY]
        return bool(errors) and not details.get("writeConcernErrors") \
            and not any(e.get("code") in TRANSIENT_CODES for e in errors)
    if isinstance(exc, OperationFailure):
        return exc.code in DOCUMENT_ERROR_CODES and not exc.has_error_label("RetryableWriteError")
    return False


def reject_reason(exc: BaseException) -> tuple[str, str]:
    """(reason, detail) of a document error, the reason a short slug for stats keys."""
    if isinstance(exc, BulkWriteError):
        errors = [e for e in (exc.details or {}).get("writeErrors") or [] if e.get("code") != DUPLICATE_KEY]
        first = errors[0] if errors else {}
        code, message = first.get("code"), str(first.get("errmsg") or "")
    elif isinstance(exc, OperationFailure):
        code, message = exc.code, _server_message(exc)
    else:
        kinds = ((DocumentTooLarge, "too_large"), (UnicodeError, "invalid_string"), (OverflowError, "int_overflow"),
                 (RecursionError, "too_deep"))
        reason = next((name for kind, name in kinds if isinstance(exc, kind)), "invalid_document")
        return reason, f"{type(exc).__name__}: {str(exc)[:200]}"
    reason = _REASON_BY_CODE.get(code) or ("invalid_key" if "key" in message.lower() else f"server_{code}")
    return reason, f"server error {code}: {message[:200]}"


def mask_uri(uri: str) -> str:
    """The URI with its password replaced by `***` (`mongodb://user:***@host/db`); safe for logs."""
    if not isinstance(uri, str):
        return repr(uri)
    match = _URI_RE.match(uri)
    if not match:
        return uri
    rest = match["rest"]
    # The user info ends at the last "@" before the options ("?"), which may not contain one.
    query = rest.find("?")
    at = rest.rfind("@", 0, query if query != -1 else len(rest))
    if at == -1:
        return uri
    userinfo = rest[:at]
    if ":" not in userinfo:
        return uri
    user = userinfo.split(":", 1)[0]
    return f"{match['scheme']}{user}:***{rest[at:]}"


def _server_message(exc: OperationFailure) -> str:
    """The server's error message, short and stable (FerretDB quotes Go values with addresses)."""
    details = exc.details or {}
    message = str(details.get("errmsg") or exc)
    message = re.sub(r" with value &\{.*\}(?= is not implemented)", "", message)
    name = details.get("codeName") or exc.code
    return f"{message} [{name}]" if name else message


def _utc_now() -> datetime:
    now = datetime.now(UTC)
    return now.replace(microsecond=now.microsecond // 1000 * 1000)


def _as_now(now: datetime | None) -> datetime:
    if now is None:
        return _utc_now()
    value = parse_timestamp(now, "now")[0]
    if value is None:
        raise ValueError(f"now must be a datetime, got {now!r}")
    return value


def _safe_keys(value: Any) -> Any:
    """Field names MongoDB and FerretDB accept: no "." anywhere, no leading "$" (stats keys)."""
    if isinstance(value, dict):
        out = {}
        for key, item in value.items():
            key = str(key).replace(".", "_")
            if key.startswith("$"):
                key = "_" + key[1:]
            out[key] = _safe_keys(item)
        return out
    if isinstance(value, (list, tuple)):
        return [_safe_keys(v) for v in value]
    return value


def _url_of(doc: Any) -> str:
    """A rejected document's URL for a log line: printable, bounded."""
    try:
        url = doc.get("url") if hasattr(doc, "get") else None
    except Exception:  # noqa: BLE001 - an item that cannot even say its URL
        url = None
    text = url if isinstance(url, str) else repr(url)
    text = text.encode("unicode_escape", "backslashreplace").decode("ascii") if not text.isprintable() else text
    return text[:300]


def _key(doc: dict) -> dict:
    """An article's document in the keys collection."""
    return {"_id": doc["url"], "h": doc.get("content_hash"), "c": doc.get("crawled_at")}


def band_hashes(bands: Iterable[str]) -> bytes:
    """LSH band keys as one binary of 8-byte hashes (the `b` of a signature document)."""
    return b"".join(hashlib.blake2b(band.encode(), digest_size=8).digest() for band in bands)


def _sig(doc: dict) -> dict | None:
    """An article's document in the signatures collection (None without bands)."""
    bands = [b for b in dict.fromkeys(doc.get("lsh_bands") or []) if b]
    if not bands:
        return None
    return {"_id": doc["url"], "s": doc.get("story_id"), "m": doc.get("minhash"), "b": Binary(band_hashes(bands))}


class _Target:
    """What one batch does to one stored article."""

    __slots__ = ("url", "kind", "doc", "stored", "aliases", "sources")

    def __init__(self, url: str, kind: str, doc: dict | None = None, stored: dict | None = None):
        self.url, self.kind, self.doc, self.stored = url, kind, doc, stored
        self.aliases: list[str] = []
        self.sources: list[str] = [url] if doc is not None else []  # batch URLs planned into this op

    def add_aliases(self, urls: Iterable[str]) -> None:
        for url in urls:
            if url != self.url and url not in self.aliases:
                self.aliases.append(url)


class MongoStore:
    """Articles in `database.collection`, crawl runs in `database.crawl_runs`.

    The client connects lazily; `server_timeout_ms` bounds server selection and connecting, so
    writes fail fast (and `write_with_retry` can spool) when the server is down."""

    def __init__(self, uri: str, database: str, collection: str, *, keep_revisions: bool = False,
                 server_timeout_ms: int = 5000, socket_timeout_ms: int = 60000, story_lookup: str = "auto"):
        if story_lookup not in STORY_LOOKUPS:
            raise ValueError(f"story_lookup must be one of {', '.join(STORY_LOOKUPS)}, not {story_lookup!r}")
        self.uri = uri
        self.keep_revisions = keep_revisions
        self.story_lookup = story_lookup   # "auto": "scan" on FerretDB, "index" on MongoDB (at first use)
        self.client = MongoClient(uri, serverSelectionTimeoutMS=server_timeout_ms,
                                  connectTimeoutMS=server_timeout_ms, socketTimeoutMS=socket_timeout_ms,
                                  tz_aware=True, tzinfo=UTC, appname="newscrawl")
        self.db = self.client[database]
        self.articles = self.db[collection]
        self.keys = self.db[collection + KEYS_SUFFIX]
        self.sigs = self.db[collection + SIGS_SUFFIX]
        self.runs = self.db[RUNS_COLLECTION]
        logger.debug("MongoStore %s db=%s collection=%s", mask_uri(uri), database, collection)

    # ---- lifecycle ------------------------------------------------------------------------------

    def close(self) -> None:
        self.client.close()

    def __enter__(self) -> "MongoStore":
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def __repr__(self) -> str:
        return f"<MongoStore {mask_uri(self.uri)} {self.db.name}.{self.articles.name}>"

    def ping(self, timeout_ms: int | None = None) -> bool:
        """True when the server answers (raises the connection or authentication error otherwise),
        within `timeout_ms` (server selection included) when given, else the client's timeouts."""
        if timeout_ms:
            with pymongo.timeout(timeout_ms / 1000):
                self.client.admin.command("ping")
        else:
            self.client.admin.command("ping")
        return True

    def server_kind(self) -> str:
        """"ferretdb" or "mongodb" (from buildInfo)."""
        info = self.client.admin.command("buildInfo")
        return "ferretdb" if "ferretdbVersion" in info else "mongodb"

    def scans_stories(self) -> bool:
        """Whether story lookups read the signatures collection (see the module docstring)."""
        if self.story_lookup == "auto":
            self.story_lookup = "scan" if self.server_kind() == "ferretdb" else "index"
            logger.debug("story lookups by %s on %s", self.story_lookup, mask_uri(self.uri))
        return self.story_lookup == "scan"

    # ---- indexes --------------------------------------------------------------------------------

    def ensure_indexes(self) -> list[str]:
        """Create the collections' indexes (and the articles validator); idempotent.

        Returns the warnings (also logged at WARNING) for what the server does not support:
        FerretDB 1.24 has no text index (no `$text` search) and no collection validators. The crawl
        goes on without them. Connection errors are raised."""
        warnings: list[str] = []

        def warn(message: str) -> None:
            warnings.append(message)
            logger.warning("%s (%s)", message, mask_uri(self.uri))

        self._ensure_validator(warn)
        for keys, options in ARTICLE_INDEXES:
            self._create_index(self.articles, keys, options, warn)
        keys, options = TEXT_INDEX
        try:
            self.articles.create_index(keys, **options)
        except OperationFailure as exc:
            warn(f"text index on title+body not supported by this server, full-text search ($text) "
                 f"unavailable: {_server_message(exc)}")
        for keys, options in RUN_INDEXES:
            self._create_index(self.runs, keys, options, warn)
        self._create_index(self.keys, [("h", ASCENDING)], {"name": "content_hash"}, warn)
        self._fill_side(self.keys, ("content_hash", "crawled_at"), _key)
        if self.scans_stories():
            self._fill_side(self.sigs, ("story_id", "minhash", "lsh_bands"), _sig)
        return warnings

    def _fill_side(self, collection, fields: tuple[str, ...], make) -> None:
        """Keys or signatures of the stored articles when their collection is empty (articles
        stored by a version without it, or signatures before story lookups by scan): one pass
        over the articles."""
        if collection.find_one({}, {"_id": 1}) is not None or self.articles.find_one({}, {"_id": 1}) is None:
            return
        logger.info("Filling %s from %s (once)", collection.name, self.articles.name)
        chunk: list[dict] = []
        for d in self.articles.find({}, dict.fromkeys(("url", *fields), 1) | {"_id": 0}):
            if (side := make(d)) is not None:
                chunk.append(side)
            if len(chunk) == 1000:
                self._insert_side(collection, chunk)
                chunk = []
        self._insert_side(collection, chunk)

    def _write_sides(self, docs: list[dict], *, revised: bool = False) -> None:
        """The keys (and, for story lookups by scan, the signatures) of articles just inserted, or
        just revised (then set, not inserted)."""
        write = self._set_side if revised else self._insert_side
        write(self.keys, [_key(d) for d in docs])
        if self.scans_stories():
            write(self.sigs, [sig for d in docs if (sig := _sig(d)) is not None])

    def _insert_side(self, collection, docs: list[dict]) -> None:
        """Insert keys or signatures; one already there (another writer's, or a stale one) is set
        to these values."""
        if not docs:
            return
        try:
            collection.insert_many(docs, ordered=False)
        except BulkWriteError as exc:
            if any(e.get("code") != DUPLICATE_KEY for e in exc.details.get("writeErrors") or []):
                raise
            # FerretDB stops an unordered insert at its first error: set the rest one by one.
            self._set_side(collection, docs)

    @staticmethod
    def _set_side(collection, docs: list[dict]) -> None:
        if not docs:
            return
        try:
            collection.bulk_write([UpdateOne({"_id": d["_id"]}, {"$set": {k: v for k, v in d.items() if k != "_id"}},
                                             upsert=True) for d in docs], ordered=False)
        except KeyError as exc:   # FerretDB's reply without `n` (see _write): the upserts applied
            logger.debug("incomplete bulk write reply (%r)", exc)

    @staticmethod
    def _create_index(collection, keys, options, warn) -> None:
        try:
            collection.create_index(keys, **options)
        except OperationFailure as exc:
            warn(f"index {options['name']} on {collection.name} not created: {_server_message(exc)}")

    def _ensure_validator(self, warn) -> None:
        name = self.articles.name
        options = {"validator": ARTICLE_VALIDATOR, "validationLevel": "moderate", "validationAction": "error"}
        try:
            try:
                self.db.command("create", name, **options)
            except OperationFailure as exc:
                if exc.code != 48:  # NamespaceExists: set the validator on the existing collection
                    raise
                self.db.command("collMod", name, **options)
        except OperationFailure as exc:
            warn(f"collection validator on {name} not set: {_server_message(exc)}; documents are still "
                 f"checked by newscrawl.storage.schema.to_document")
            try:  # make sure the collection exists anyway (plain create)
                self.db.command("create", name)
            except OperationFailure:
                pass

    # ---- articles -------------------------------------------------------------------------------

    def upsert_batch(self, docs: list[dict], now: datetime | None = None, rejects: list | None = None) -> dict:
        """Store a batch of articles (items or `to_document` outputs); returns counts
        {inserted, updated, unchanged, aliased} over the input documents, plus `rejected` when
        some were set aside (a URL repeated within the batch is stored once, from its last
        occurrence; the earlier ones count as unchanged).

        One bad document never costs the others: a document that cannot be converted, that the
        encoder would refuse (`schema.check_document`), or that the server refuses (the batch is
        split in halves until the refused ones are alone) is set aside and the rest is written.
        Each one set aside is appended to `rejects` as (document, reason, detail) when the call
        succeeds (so a call retried after an outage reports each once); without `rejects` it is
        logged at WARNING (URL and reason). Outages (connection, transient codes) are raised."""
        now = _as_now(now)
        docs = list(docs)
        good, rejected = screen(docs, now)
        final: dict[str, dict] = {}
        for doc in good:
            final.pop(doc["url"], None)
            final[doc["url"]] = doc  # last occurrence wins, in its position
        repeats = len(docs) - len(rejected) - len(final)
        out = dict.fromkeys(COUNT_KEYS, 0)
        if final:
            self.scans_stories()   # resolve "auto" before writing, not between an insert and its signature
            for key, value in self._upsert_isolated(list(final.values()), now, rejected).items():
                out[key] += value
        out["unchanged"] += repeats
        if rejected:
            out["rejected"] = len(rejected)
        if rejects is not None:
            rejects.extend(rejected)
        else:
            for doc, reason, _ in rejected:
                logger.warning("MongoDB: %s set aside (%s): not stored", _url_of(doc), reason)
        return out

    def _upsert_isolated(self, docs: list[dict], now: datetime, rejected: list) -> dict:
        """`_upsert`, halving the batch on a document error until each refused document is alone
        (and set aside): about 2 log2(n) more writes per bad document, none for a clean batch.
        What a failed attempt wrote before the error is found stored by the next one (counted
        `unchanged` then, not `inserted`)."""
        try:
            return self._upsert(docs, now)
        except Exception as exc:  # noqa: BLE001 - classified by document_error
            if not document_error(exc):
                raise
            if len(docs) == 1:
                rejected.append((docs[0], *reject_reason(exc)))
                return {}
            logger.info("MongoDB refused a document of a batch of %d (%s): splitting it", len(docs),
                        type(exc).__name__)
            counts = Counter(self._upsert_isolated(docs[:len(docs) // 2], now, rejected))
            counts.update(self._upsert_isolated(docs[len(docs) // 2:], now, rejected))
            return dict(counts)

    def _upsert(self, docs: list[dict], now: datetime) -> dict:
        """Write converted, checked documents with distinct URLs: rounds of read, plan, write."""
        final = {d["url"]: d for d in docs}
        kinds: dict[str, str] = {}
        pending = final
        direct: set[str] = set()   # URLs whose insert hit a stored article: read them directly
        for round_ in range(1, WRITE_ROUNDS + 1):
            planned, lost, again = self._write(pending, now, direct)
            direct |= lost
            for url, kind in planned.items():
                if url not in lost:
                    kinds.setdefault(url, kind)  # a URL's first classification stands
            if not again:
                break
            logger.info("round %d: %d article(s) conflicted with another writer (%d lost an insert): planned again",
                        round_, len(again), len(lost))
            pending = {u: d for u, d in final.items() if u in again}
            time.sleep(random.uniform(0, 0.005 * round_))  # jitter: writers in lockstep drift apart
        else:
            raise WriteConflict(f"{len(again)} article(s) still conflicted with concurrent writers after "
                                f"{WRITE_ROUNDS} rounds: {', '.join(sorted(again)[:5])}")
        return dict(Counter(kinds.values()))

    def _read_existing(self, final: dict[str, dict], direct: Iterable[str] = ()) -> list[dict]:
        """The stored articles a batch touches: those at its URLs and those with its content
        hashes, as the keys name them, plus the `direct` URLs (known to be stored)."""
        urls = list(final)
        hashes = sorted({d["content_hash"] for d in final.values() if d.get("content_hash")})
        query: dict = {"_id": {"$in": urls}}
        if hashes:
            query = {"$or": [query, {"h": {"$in": hashes}}]}
        keyed = {k["_id"] for k in self.keys.find(query, {"_id": 1})}
        need = sorted(keyed | set(direct))
        if not need:
            return []
        fields = ["url", "content_hash", "title_hash", "revision", "crawled_at", "first_seen_at", "last_seen_at",
                  "updated_at", "story_id"]
        if self.keep_revisions:
            fields += REVISION_COPY_KEYS
        found = list(self.articles.find({"url": {"$in": need}}, dict.fromkeys(fields, 1) | {"_id": 0}))
        # An article without its key (older version, crash between the inserts) gets it now.
        self._insert_side(self.keys, [_key(d) for d in found if d["url"] not in keyed])
        return found

    def _plan(self, final: dict[str, dict], found: list[dict]) -> tuple[dict[str, _Target], dict[str, str]]:
        """Targets (one per stored article touched) and the outcome kind of every batch URL."""
        by_url = {d["url"]: d for d in found if d["url"] in final}
        # Who owns a content hash after this batch: untouched stored articles first (oldest), then
        # batch articles already stored, then new batch articles in order. Deciding from the state
        # after the batch makes a second run of the same batch decide the same.
        owner: dict[str, str] = {}
        others = sorted((d for d in found if d["url"] not in final and d.get("content_hash")),
                        key=lambda d: (d.get("first_seen_at") or datetime.max.replace(tzinfo=UTC), d["url"]))
        for d in others:
            owner.setdefault(d["content_hash"], d["url"])
        for url, doc in final.items():
            if url in by_url and doc.get("content_hash"):
                owner.setdefault(doc["content_hash"], url)

        targets: dict[str, _Target] = {}
        kinds: dict[str, str] = {}
        alias_adds: dict[str, list[str]] = {}
        for url, doc in final.items():
            stored = by_url.get(url)
            if stored is None:
                h = doc.get("content_hash")
                if h and owner.setdefault(h, url) != url:
                    alias_adds.setdefault(owner[h], []).append(url)
                    alias_adds[owner[h]].extend(doc.get("aliases") or [])
                    kinds[url] = "aliased"
                    continue
                targets[url] = _Target(url, "insert", doc)
                kinds[url] = "inserted"
            elif (stored.get("content_hash"), stored.get("title_hash")) != (doc.get("content_hash"), doc.get("title_hash")) \
                    and not (stored.get("crawled_at") and doc["crawled_at"] < stored["crawled_at"]):
                if stored.get("story_id") and doc.get("story_id") != stored["story_id"]:
                    # A revision stays in its story (README: story ids are stable across revisions).
                    doc = {**doc, "story_id": stored["story_id"]}
                targets[url] = _Target(url, "revision", doc, stored)
                kinds[url] = "updated"
            else:  # the same, or an older crawl than the stored version (a late spool replay)
                targets[url] = _Target(url, "unchanged", doc, stored)
                kinds[url] = "unchanged"
            targets[url].add_aliases(doc.get("aliases") or [])
        for owner_url, urls in alias_adds.items():
            target = targets.setdefault(owner_url, _Target(owner_url, "alias"))
            target.add_aliases(urls)
            target.sources.extend(u for u in urls if u in final)
        return targets, kinds

    def _insert_document(self, t: _Target, now: datetime, new_id: ObjectId) -> dict:
        """The document a new article is inserted as, with the `_id` we chose for it."""
        doc = dict(t.doc)
        doc["aliases"] = list(dict.fromkeys([*(doc.get("aliases") or []), *t.aliases]))
        doc.update(revision=1, first_seen_at=now, last_seen_at=now, updated_at=now)
        doc["_id"] = new_id
        return doc

    def _operation(self, t: _Target, now: datetime) -> UpdateOne:
        """The per-article update of a revision, of an unchanged article that gains aliases, or of
        a stored article that gains aliases (the other unchanged articles share one update_many)."""
        add = {"$addToSet": {"aliases": {"$each": t.aliases}}} if t.aliases else {}
        if t.kind == "revision":
            old = t.stored
            entry = {"revision": old.get("revision") or 1, "content_hash": old.get("content_hash"),
                     "title_hash": old.get("title_hash"),
                     "seen_at": old.get("last_seen_at") or old.get("updated_at"), "replaced_at": now}
            if self.keep_revisions:
                entry.update({k: old.get(k) for k in REVISION_COPY_KEYS})
            new = {k: t.doc[k] for k in CONTENT_KEYS if k in t.doc}
            new["updated_at"] = now
            # Conditional on the revision we read: a concurrent writer's revision makes this match
            # nothing, and the article is planned again (never two revisions for one change).
            return UpdateOne({"url": t.url, "revision": old.get("revision")},
                             {"$set": new, "$max": {"last_seen_at": now}, "$inc": {"revision": 1},
                              "$push": {"revisions": entry}, **add})
        if t.kind == "unchanged":
            return UpdateOne({"url": t.url}, {"$max": {"last_seen_at": now}, **add})
        return UpdateOne({"url": t.url}, add)  # alias: another URL with this article's content

    def _write(self, final: dict[str, dict], now: datetime,
               direct: Iterable[str] = ()) -> tuple[dict[str, str], set[str], set[str]]:
        """One read, then at most four writes: insert_many (new articles), update_many (unchanged
        articles), one bulk_write of per-article updates (revisions, alias additions), and after
        a failed insert one read of our own `_id`s. Returns ({url: kind} as planned, URLs whose
        insert did not happen (their kind comes from a later round), URLs to plan again (empty
        when every write is known to have applied))."""
        targets, kinds = self._plan(final, self._read_existing(final, direct))
        order = list(targets.values())
        inserts = [t for t in order if t.kind == "insert"]
        plain = [t for t in order if t.kind == "unchanged" and not t.aliases]
        singles = [t for t in order if t.kind not in ("insert", "unchanged") or (t.kind == "unchanged" and t.aliases)]
        # Unchanged articles whose last_seen_at as read is already `now` or later need no write
        # (a batch written again at once; on FerretDB even the no-op update_many is a scan).
        touched = [t for t in plain if not (t.stored.get("last_seen_at") and t.stored["last_seen_at"] >= now)]
        lost: set[str] = set()
        again: set[str] = set()

        if inserts:
            new_ids = {t.url: ObjectId() for t in inserts}
            try:
                self.articles.insert_many([self._insert_document(t, now, new_ids[t.url]) for t in inserts],
                                          ordered=False)
            except BulkWriteError as exc:
                errors = exc.details.get("writeErrors") or []
                if any(e.get("code") != DUPLICATE_KEY for e in errors):
                    raise
                # Another writer stored some of these URLs since our read (the unique url index
                # refused ours). Which inserts were ours: those whose _id is stored. Not the error
                # indexes: FerretDB 1.24 numbers them wrongly, and stops an unordered insert at
                # its first error (MongoDB goes on), so the rest was not written either.
                mine = {d["url"] for d in self.articles.find({"_id": {"$in": list(new_ids.values())}}, {"url": 1})}
                for t in inserts:
                    if t.url not in mine:
                        lost.update(t.sources)
                again |= lost
                inserts = [t for t in inserts if t.url in mine]
            self._write_sides([t.doc for t in inserts])

        if touched:
            urls = [t.url for t in touched]
            result = self.articles.update_many({"url": {"$in": urls}}, {"$max": {"last_seen_at": now}})
            if result.matched_count < len(urls):  # an article was deleted meanwhile
                again |= {u for t in touched for u in t.sources}

        if singles:
            ops = [self._operation(t, now) for t in singles]
            try:
                matched = self.articles.bulk_write(ops, ordered=False).matched_count
            except KeyError as exc:
                # FerretDB 1.24 can answer an update command without `n`/`nModified`, and pymongo
                # fails merging the reply: we do not know what applied; plan these again (what
                # applied is unchanged the second time).
                logger.debug("incomplete bulk write reply (%r)", exc)
                matched = -1
            if matched < len(ops):
                # An update matched nothing: a revision changed under us, or an article was deleted
                # (an alias onto it then recorded nothing: planned again, the copy becomes the article).
                again |= {u for t in singles if t.kind in ("revision", "unchanged", "alias") or matched < 0
                          for u in t.sources}
            revised = [t for t in singles if t.kind == "revision"]
            if revised:   # the key follows the content hash (a stale one only costs a read)
                self._write_sides([t.doc for t in revised], revised=True)
        return kinds, lost, again

    def story_candidates(self, lsh_bands: list[str], limit: int = 50) -> list[dict]:
        """Stored articles sharing at least one LSH band: [{url, story_id, minhash}], at most `limit`
        (for near-duplicate detection across runs)."""
        return self.story_candidates_many([lsh_bands], limit)[0]

    def story_candidates_many(self, band_lists: list[list[str]], limit: int = 50) -> list[list[dict]]:
        """`story_candidates` for many articles with one query: for each list of band keys, the
        stored articles sharing at least one of them. By scan of the signatures on FerretDB (see
        the module docstring), by the `lsh_bands` index otherwise.

        The query returns at most `limit` x (articles with bands) documents. When it returns that
        many, the articles that got no candidate at all (the others' bands took the room) are
        asked again in one more query of their own bands."""
        lists = [[b for b in dict.fromkeys(bands or []) if b] for bands in band_lists]
        out: list[list[dict]] = [[] for _ in lists]
        if limit <= 0:
            return out
        if self.scans_stories():
            return self._story_candidates_scan(lists, limit)
        todo = [i for i, bands in enumerate(lists) if bands]
        for _ in range(2):
            if not todo:
                break
            wanted = list(dict.fromkeys(b for i in todo for b in lists[i]))
            cap = limit * len(todo)
            docs = list(self.articles.find({"lsh_bands": {"$in": wanted}},
                                           {"_id": 0, "url": 1, "story_id": 1, "minhash": 1, "lsh_bands": 1})
                        .limit(cap))
            holders: dict[str, list[dict]] = {}
            for d in docs:
                for band in dict.fromkeys(d.get("lsh_bands") or []):
                    holders.setdefault(band, []).append(d)
            for i in todo:
                seen: set[str] = set()
                for band in lists[i]:
                    for d in holders.get(band, ()):
                        if len(out[i]) >= limit:
                            break
                        if d["url"] not in seen:
                            seen.add(d["url"])
                            out[i].append({"url": d["url"], "story_id": d.get("story_id"), "minhash": d.get("minhash")})
            if len(docs) < cap:
                break
            todo = [i for i in todo if not out[i]]
        return out

    def _story_candidates_scan(self, lists: list[list[str]], limit: int) -> list[list[dict]]:
        """story_candidates_many from the signatures: one pass over their band hashes, the bands
        matched here, then one read of the candidates' story ids and minhashes."""
        out: list[list[dict]] = [[] for _ in lists]
        asked = [i for i, bands in enumerate(lists) if bands]
        if not asked:
            return out
        urls: list[str] = []
        blobs: list[bytes] = []
        for d in self.sigs.find({}, {"b": 1}):
            if d.get("b"):
                urls.append(d["_id"])
                blobs.append(bytes(d["b"]))
        if not urls:
            return out
        stored = np.frombuffer(b"".join(blobs), dtype=np.uint64)
        owner = np.repeat(np.arange(len(urls)), [len(b) // 8 for b in blobs])
        wanted = {i: np.frombuffer(band_hashes(lists[i]), dtype=np.uint64) for i in asked}
        hit = np.isin(stored, np.concatenate(list(wanted.values())))
        stored, owner = stored[hit], owner[hit]
        picked: dict[int, list[int]] = {}
        for i in asked:   # the stored articles of each asked article, in the order they are stored
            rows = np.unique(owner[np.isin(stored, wanted[i])])[:limit]
            if len(rows):
                picked[i] = rows.tolist()
        need = sorted({urls[r] for rows in picked.values() for r in rows})
        sigs = {}
        for k in range(0, len(need), 500):
            for d in self.sigs.find({"_id": {"$in": need[k:k + 500]}}, {"s": 1, "m": 1}):
                sigs[d["_id"]] = d
        for i, rows in picked.items():
            out[i] = [{"url": urls[r], "story_id": sigs[urls[r]].get("s"), "minhash": sigs[urls[r]].get("m")}
                      for r in rows if urls[r] in sigs]
        return out

    def stored_crawl_times(self, urls: Iterable[str]) -> dict[str, datetime | None]:
        """url -> crawled_at of the stored articles among `urls`, from the keys (one query per 500
        URLs); the articles themselves only for keys without the time."""
        urls = list(dict.fromkeys(urls))
        out: dict[str, datetime | None] = {}
        untimed: list[str] = []
        for i in range(0, len(urls), 500):
            for k in self.keys.find({"_id": {"$in": urls[i:i + 500]}}, {"c": 1}):
                if k.get("c") is None:
                    untimed.append(k["_id"])
                else:
                    out[k["_id"]] = k["c"]
        for i in range(0, len(untimed), 500):
            for d in self.articles.find({"url": {"$in": untimed[i:i + 500]}}, {"_id": 0, "url": 1, "crawled_at": 1}):
                out[d["url"]] = d.get("crawled_at")
        return out

    def get(self, url: str) -> dict | None:
        """The stored article for `url` (or the one listing `url` among its aliases), without _id."""
        doc = self.articles.find_one({"url": url}, {"_id": 0})
        return doc or self.articles.find_one({"aliases": url}, {"_id": 0})

    # ---- crawl runs -----------------------------------------------------------------------------

    def record_run(self, doc: dict) -> None:
        """Insert or update (by `run_id`) a crawl run in `crawl_runs`; fields given are set, others
        kept, so a run can be recorded at start and again at the end. ISO strings in `started_at`
        / `finished_at` become datetimes; `duration_s` is computed when both are known. Dots and
        leading "$" in field names (Scrapy stats keys) become "_"."""
        if not doc.get("run_id"):
            raise ValueError("a crawl run needs a run_id")
        run = _safe_keys(dict(doc))
        for key in ("started_at", "finished_at"):
            if isinstance(run.get(key), (str, datetime)):
                run[key] = parse_timestamp(run[key], key)[0]
        times = {k: run[k] for k in ("started_at", "finished_at") if isinstance(run.get(k), datetime)}
        if run.get("duration_s") is None and len(times) == 1:  # the other end may be stored already
            before = self.runs.find_one({"run_id": run["run_id"]}, {"started_at": 1, "finished_at": 1}) or {}
            times = {k: times.get(k, before.get(k)) for k in ("started_at", "finished_at")}
        if run.get("duration_s") is None and all(isinstance(times.get(k), datetime) for k in ("started_at", "finished_at")):
            run["duration_s"] = round((times["finished_at"] - times["started_at"]).total_seconds(), 3)
        run["updated_at"] = _utc_now()
        run.pop("_id", None)
        self.runs.update_one({"run_id": run["run_id"]}, {"$set": run}, upsert=True)

    def list_runs(self, spider: str | None = None, limit: int = 20) -> list[dict]:
        """Recent crawl runs, newest first."""
        query = {"spider": spider} if spider else {}
        return list(self.runs.find(query, {"_id": 0}).sort("started_at", DESCENDING).limit(limit))
