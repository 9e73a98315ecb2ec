"""ArticleStore: the articles collection in MongoDB (or FerretDB): validator and indexes, batched
idempotent upserts, the keys and signatures side collections, stored crawl times.

Settings (`from_settings`; defaults in settings.py): MONGODB_URI, MONGODB_SERVER_TIMEOUT_MS,
MONGODB_DATABASE, MONGODB_COLLECTION, MONGODB_KEEP_REVISIONS, MONGODB_STORY_LOOKUP.

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

The signatures, `<collection>_sigs`, serve story lookups by scan (storage/stories.py, FerretDB). Like
the keys, they are written after the article (insert, revision) and filled from the articles once.

The same batch written twice changes nothing but `last_seen_at`. Several processes may write at
once: URLs are unique (index), each insert carries an `_id` chosen here (so a writer knows which
inserts were its own), revisions are conditional on the revision read, and the operations that
lost a race (duplicate key, revision that changed under us) are planned again from fresh reads.
"""

from __future__ import annotations

import logging
import random
import time
from collections import Counter
from datetime import datetime, timezone
from typing import Any, Iterable

from bson import ObjectId
from pymongo import ASCENDING, DESCENDING, UpdateOne
from pymongo.errors import BulkWriteError, OperationFailure, PyMongoError

from newscrawl.article.document import CONTENT_KEYS, REVISION_COPY_KEYS, parse_timestamp, screen

from .client import (DUPLICATE_KEY, connect, create_index, document_error, mask_uri, note_fallbacks,
                     reject_reason, server_message, server_name, utc_now)
from .stories import StoryLookup, signature

logger = logging.getLogger(__name__)

UTC = timezone.utc
KEYS_SUFFIX = "_keys"   # the articles' lookup collection: {_id: url, h: content_hash, c: crawled_at}
COUNT_KEYS = ("inserted", "updated", "unchanged", "aliased")
# FerretDB's refusals of what it does not implement (NotImplemented; IndexNotFound for a text index;
# CommandNotSupported): expected there, noted at INFO. Anything else it refuses is a WARNING.
FERRETDB_GAP_CODES = {27, 115, 238}
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


class WriteConflict(PyMongoError):
    """A batch kept conflicting with concurrent writers; writing it again later is safe."""



def _as_now(now: datetime | None) -> datetime:
    if now is None:
        return utc_now()
    value = parse_timestamp(now, "now")[0]
    if value is None:
        raise ValueError(f"now must be a datetime, got {now!r}")
    return value


def url_of(doc: Any) -> str:
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


class ArticleStore:
    """Articles in `database.collection`, with their keys and (for story lookups by scan) signatures.

    The client connects lazily; `server_timeout_ms` bounds server selection and connecting, so
    writes fail fast (and `write_with_retry` can spool) when the server is down. The store owns its
    client: `close()` closes it."""

    def __init__(self, uri: str, database: str, collection: str, *, server_timeout_ms: int,
                 keep_revisions: bool = False, story_lookup: str = "auto"):
        self.uri = uri
        self.keep_revisions = keep_revisions
        self.client = connect(uri, server_timeout_ms=server_timeout_ms)
        self.db = self.client[database]
        self.articles = self.db[collection]
        self.keys = self.db[collection + KEYS_SUFFIX]
        self.stories = StoryLookup(self.db, collection, story_lookup)
        self.sigs = self.stories.sigs

    @classmethod
    def from_settings(cls, settings) -> "ArticleStore":
        return cls(settings.get("MONGODB_URI"), settings.get("MONGODB_DATABASE"), settings.get("MONGODB_COLLECTION"),
                   server_timeout_ms=settings.getint("MONGODB_SERVER_TIMEOUT_MS"),
                   keep_revisions=settings.getbool("MONGODB_KEEP_REVISIONS"),
                   story_lookup=settings.get("MONGODB_STORY_LOOKUP"))

    def close(self) -> None:
        self.client.close()

    def __enter__(self) -> "ArticleStore":
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def __repr__(self) -> str:
        return f"<ArticleStore {mask_uri(self.uri)} {self.db.name}.{self.articles.name}>"

    # ---- indexes --------------------------------------------------------------------------------

    def ensure_indexes(self) -> list[str]:
        """Create the collections' indexes (and the articles validator); idempotent.

        Returns one message for each thing the server did not take. FerretDB 1.24 has no collection
        validators and no text index (no `$text` search): expected there, so said once per process
        in one INFO line (client.note_fallbacks), and the crawl goes on without them. Any other
        refusal, or the same from another server, is logged at WARNING. Connection errors are raised."""
        messages: list[str] = []
        fallbacks: list[tuple[str, str]] = []
        server = server_name(self.client)

        def refused(message: str, exc: OperationFailure | None = None, fallback: tuple[str, str] | None = None):
            messages.append(message)
            if fallback and exc is not None and server.startswith("FerretDB") and exc.code in FERRETDB_GAP_CODES:
                fallbacks.append(fallback)
            else:
                logger.warning("MongoDB: %s (%s)", message, mask_uri(self.uri))

        self._ensure_validator(refused)
        for keys, options in ARTICLE_INDEXES:
            create_index(self.articles, keys, options, refused)
        keys, options = TEXT_INDEX
        try:
            self.articles.create_index(keys, **options)
        except OperationFailure as exc:
            refused(f"text index on title+body not created, full-text search ($text) unavailable: "
                    f"{server_message(exc)}", exc, ("text index", "text search ($text) off"))
        create_index(self.keys, [("h", ASCENDING)], {"name": "content_hash"}, refused)
        note_fallbacks(server, fallbacks)
        self._fill_side(self.keys, ("content_hash", "crawled_at"), _key)
        if self.stories.scans():
            self._fill_side(self.sigs, ("story_id", "minhash", "lsh_bands"), signature)
        return messages

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
        if self.stories.scans():
            write(self.sigs, [sig for d in docs if (sig := signature(d)) is not None])

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

    def _ensure_validator(self, refused) -> None:
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
            refused(f"collection validator on {name} not set: {server_message(exc)}; documents are still "
                    f"checked by newscrawl.article.document.to_document", exc,
                    ("$jsonSchema validator", "documents are checked by the pipeline instead"))
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
        encoder would refuse (`article.document.check_document`), or that the server refuses (the batch is
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
            self.stories.scans()   # resolve "auto" before writing, not between an insert and its signature
            for key, value in self._upsert_isolated(list(final.values()), now, rejected).items():
                out[key] += value
        out["unchanged"] += repeats
        if rejected:
            out["rejected"] = len(rejected)
        if rejects is not None:
            rejects.extend(rejected)
        else:
            for doc, reason, _ in rejected:
                logger.warning("MongoDB: %s set aside (%s): not stored", url_of(doc), reason)
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
                    # A revision stays in its story (docs/storage.md: story ids are stable across revisions).
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
