"""MongoStore: articles and crawl runs in MongoDB (or FerretDB).

One `upsert_batch` call is one round of reads and one unordered `bulk_write`:

* a new URL is inserted (revision 1);
* a new URL whose `content_hash` is already stored under another URL is not a new article: it is
  added to that article's `aliases`;
* a known URL with the same body and title hashes only gets `last_seen_at`;
* a known URL with a changed body or title becomes a new revision (`revision` + 1, the previous
  hashes pushed on `revisions`, full previous copies with `keep_revisions=True`).

The same batch written twice changes nothing but `last_seen_at`. Several processes may write at
once: URLs are unique (index), inserts are upserts, revisions are conditional on the revision read,
and the operations that lost a race (duplicate key, upsert that matched, revision that changed
under us) are planned again from fresh reads and retried once.
"""

from __future__ import annotations

import logging
import random
import re
import time
from collections import Counter
from datetime import datetime, timezone
from typing import Any, Iterable

from bson import ObjectId
from pymongo import ASCENDING, DESCENDING, MongoClient, UpdateOne
from pymongo.errors import BulkWriteError, OperationFailure, PyMongoError

from .schema import CONTENT_KEYS, REVISION_COPY_KEYS, parse_timestamp, to_document

logger = logging.getLogger(__name__)

UTC = timezone.utc
DUPLICATE_KEY = 11000
RUNS_COLLECTION = "crawl_runs"
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


class _Target:
    """What one batch does to one stored article (one bulk operation)."""

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
                 server_timeout_ms: int = 5000, socket_timeout_ms: int = 60000):
        self.uri = uri
        self.keep_revisions = keep_revisions
        self.client = MongoClient(uri, serverSelectionTimeoutMS=server_timeout_ms,
                                  connectTimeoutMS=server_timeout_ms, socketTimeoutMS=socket_timeout_ms,
                                  tz_aware=True, tzinfo=UTC, appname="newscrawl")
        self.db = self.client[database]
        self.articles = self.db[collection]
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

    def ping(self) -> bool:
        """True when the server answers (raises the connection error otherwise)."""
        self.client.admin.command("ping")
        return True

    def server_kind(self) -> str:
        """"ferretdb" or "mongodb" (from buildInfo)."""
        info = self.client.admin.command("buildInfo")
        return "ferretdb" if "ferretdbVersion" in info else "mongodb"

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
        return warnings

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

    def upsert_batch(self, docs: list[dict], now: datetime | None = None) -> dict:
        """Store a batch of articles (items or `to_document` outputs); returns counts
        {inserted, updated, unchanged, aliased} over the input documents (a URL repeated within the
        batch is stored once, from its last occurrence; the earlier ones count as unchanged)."""
        now = _as_now(now)
        docs = list(docs)
        final: dict[str, dict] = {}
        for raw in docs:
            doc = to_document(raw, now)
            final.pop(doc["url"], None)
            final[doc["url"]] = doc  # last occurrence wins, in its position
        repeats = len(docs) - len(final)
        if not final:
            return dict.fromkeys(COUNT_KEYS, 0)
        kinds: dict[str, str] = {}
        pending = final
        for round_ in range(1, WRITE_ROUNDS + 1):
            planned, lost, again = self._write(pending, now)
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
        counts = Counter(kinds.values())
        out = {key: counts.get(key, 0) for key in COUNT_KEYS}
        out["unchanged"] += repeats
        return out

    def _read_existing(self, final: dict[str, dict]) -> list[dict]:
        urls = list(final)
        hashes = sorted({d["content_hash"] for d in final.values() if d.get("content_hash")})
        fields = ["url", "content_hash", "title_hash", "revision", "crawled_at", "first_seen_at", "last_seen_at",
                  "updated_at"]
        if self.keep_revisions:
            fields += REVISION_COPY_KEYS
        query: dict = {"url": {"$in": urls}}
        if hashes:
            query = {"$or": [query, {"content_hash": {"$in": hashes}}]}
        return list(self.articles.find(query, dict.fromkeys(fields, 1) | {"_id": 0}))

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

    def _operation(self, t: _Target, now: datetime, new_id: ObjectId | None = None) -> UpdateOne:
        add = {"$addToSet": {"aliases": {"$each": t.aliases}}} if t.aliases else {}
        if t.kind == "insert":
            doc = dict(t.doc)
            doc["aliases"] = list(dict.fromkeys([*(doc.get("aliases") or []), *t.aliases]))
            doc.update(revision=1, first_seen_at=now, last_seen_at=now, updated_at=now)
            doc.pop("url", None)
            doc.pop("_id", None)
            # An upsert on (url, our new _id): it can only insert. If another writer stored the URL
            # meanwhile, the unique url index refuses it (E11000) and the article is planned again;
            # nothing of the other writer's document is overwritten. `$set`, not `$setOnInsert`:
            # FerretDB 1.24 drops null and empty-array values from `$setOnInsert`.
            return UpdateOne({"url": t.url, "_id": new_id or ObjectId()}, {"$set": doc}, upsert=True)
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

    def _write(self, final: dict[str, dict], now: datetime) -> tuple[dict[str, str], set[str], set[str]]:
        """One read, one bulk write. Returns ({url: kind} as planned, URLs whose insert another
        writer won (their kind comes from a later round), URLs to plan again (empty when every
        operation is known to have applied))."""
        targets, kinds = self._plan(final, self._read_existing(final))
        order = list(targets.values())
        new_ids = {t.url: ObjectId() for t in order if t.kind == "insert"}
        ops = [self._operation(t, now, new_ids.get(t.url)) for t in order]
        errors: list[dict] = []
        try:
            result: dict | None = self.articles.bulk_write(ops, ordered=False).bulk_api_result
        except BulkWriteError as exc:
            result = exc.details
            errors = result.get("writeErrors") or []
            if any(e.get("code") != DUPLICATE_KEY for e in errors):
                raise
        except KeyError as exc:
            # FerretDB 1.24 answers an update command that hit a write error (a concurrent insert
            # of the same URL) without `n`/`nModified`, and pymongo fails merging the reply.
            logger.debug("incomplete bulk write reply (%r)", exc)
            result = None
        lost: set[str] = set()
        again: set[str] = set()
        upserted = (len(result.get("upserted") or []) + result.get("nInserted", 0)) if result else 0
        if result is None or errors or upserted < len(new_ids):
            # Some inserts lost to another writer (their upsert matched its document, or hit the
            # unique index). Ours are those whose _id we chose: FerretDB 1.24 numbers `upserted`
            # and `writeErrors` wrongly, so indexes are not used.
            mine = {d["url"] for d in self.articles.find({"_id": {"$in": list(new_ids.values())}}, {"url": 1})}
            for t in order:
                if t.kind == "insert" and t.url not in mine:
                    lost.update(t.sources)
            again = set(lost)
        if result is None or errors:
            # After a write error FerretDB 1.24 skips the rest of an unordered batch (MongoDB does
            # not): plan everything again; what was written is unchanged the second time.
            again = set(final)
        elif result.get("nMatched", 0) < len(order) - upserted:
            # An update matched nothing: a revision changed under us (or an article was deleted).
            again |= {u for t in order if t.kind in ("revision", "unchanged") for u in t.sources}
        return kinds, lost, again

    def story_candidates(self, lsh_bands: list[str], limit: int = 50) -> list[dict]:
        """Stored articles sharing at least one LSH band: [{url, story_id, minhash}], at most `limit`
        (for near-duplicate detection across runs)."""
        bands = [b for b in dict.fromkeys(lsh_bands or []) if b]
        if not bands or limit <= 0:
            return []
        cursor = self.articles.find({"lsh_bands": {"$in": bands}},
                                    {"_id": 0, "url": 1, "story_id": 1, "minhash": 1}).limit(limit)
        return [{"url": d["url"], "story_id": d.get("story_id"), "minhash": d.get("minhash")} for d in cursor]

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
