"""Story lookups: the stored articles sharing an LSH band with new ones (near-duplicates across runs
and processes), by one of two strategies behind one interface, `StoryLookup.candidates_many`:

* "index" (MongoDB): the multikey index on the articles' `lsh_bands`.
* "scan" (FerretDB): FerretDB 1.24 has no such index and compares `$in` element by element (~35 s
  for a batch of 100 articles against 5,000 stored, growing with both). The lookup reads
  `<collection>_sigs` instead, one `{_id: url, s: story_id, m: minhash, b: band hashes}` per
  article, `b` one binary of 8-byte hashes of the band keys: one pass over the small documents, the
  bands matched here with numpy, then the minhashes of the candidates only. The signatures are
  written by the article store (storage/articles.py) after the article; an article without one is
  only not found as a near duplicate.

"auto" (MONGODB_STORY_LOOKUP's default) picks "scan" on FerretDB and "index" on MongoDB at first use.
"""

from __future__ import annotations

import hashlib
import logging
from typing import Iterable

import numpy as np
from bson import Binary

from .client import server_kind

logger = logging.getLogger(__name__)

STORY_LOOKUPS = ("auto", "index", "scan")
SIGS_SUFFIX = "_sigs"   # story lookups by scan: {_id: url, s: story_id, m: minhash, b: band hashes}
CANDIDATES = 50         # stored candidates per article at most


def check_mode(mode: str) -> str:
    if mode not in STORY_LOOKUPS:
        raise ValueError(f"MONGODB_STORY_LOOKUP must be one of {', '.join(STORY_LOOKUPS)}, not {mode!r}")
    return mode


def band_hashes(bands: Iterable[str]) -> bytes:
    """LSH band keys as one binary of 8-byte hashes (the `b` of a signature document)."""
    return b"".join(hashlib.blake2b(band.encode(), digest_size=8).digest() for band in bands)


def signature(doc: dict) -> dict | None:
    """An article's document in the signatures collection (None without bands)."""
    bands = [b for b in dict.fromkeys(doc.get("lsh_bands") or []) if b]
    if not bands:
        return None
    return {"_id": doc["url"], "s": doc.get("story_id"), "m": doc.get("minhash"), "b": Binary(band_hashes(bands))}


class StoryLookup:
    """Story candidates from `database[collection]` (the articles) or its signatures, by `mode`."""

    def __init__(self, database, collection: str, mode: str):
        self.mode = check_mode(mode)   # "auto" until the first use asks the server
        self.articles = database[collection]
        self.sigs = database[collection + SIGS_SUFFIX]

    def scans(self) -> bool:
        """Whether lookups read the signatures (and the article store must keep them)."""
        if self.mode == "auto":
            self.mode = "scan" if server_kind(self.articles.database.client) == "ferretdb" else "index"
            logger.debug("story lookups by %s", self.mode)
        return self.mode == "scan"

    def candidates(self, lsh_bands: list[str], limit: int = CANDIDATES) -> list[dict]:
        """Stored articles sharing at least one LSH band: [{url, story_id, minhash}], at most `limit`."""
        return self.candidates_many([lsh_bands], limit)[0]

    def candidates_many(self, band_lists: list[list[str]], limit: int = CANDIDATES) -> list[list[dict]]:
        """`candidates` for many articles with one query."""
        lists = [[b for b in dict.fromkeys(bands or []) if b] for bands in band_lists]
        if limit <= 0:
            return [[] for _ in lists]
        return self._by_scan(lists, limit) if self.scans() else self._by_index(lists, limit)

    def _by_index(self, lists: list[list[str]], limit: int) -> list[list[dict]]:
        """The query returns at most `limit` x (articles with bands) documents. When it returns that
        many, the articles that got no candidate at all (the others' bands took the room) are asked
        again in one more query of their own bands."""
        out: list[list[dict]] = [[] for _ in lists]
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

    def _by_scan(self, lists: list[list[str]], limit: int) -> list[list[dict]]:
        """One pass over the signatures' band hashes, the bands matched here, then one read of the
        candidates' story ids and minhashes."""
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
