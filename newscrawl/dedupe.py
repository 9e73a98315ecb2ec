"""Duplicate and near-duplicate detection.

- `content_hash`: SHA-1 of the normalised body (exact copies: AMP, print, tracking variants);
  defined once, in `newscrawl.article.hashing` (None for an empty body).
- MinHash over word 3-gram shingles (datasketch), banded for LSH: each article stores its band keys
  (`lsh_bands`) and signature (`minhash`) in MongoDB, so copies are found across runs and processes
  by an indexed `$in` query; `StoryIndex` finds the same matches among this run's articles in
  memory from their signatures alone (512 bytes each); `UrlSet` keeps the run's URLs as digests.
- A copy joins the `story_id` of the article it copies; a new story's id derives from its content
  hash, so re-running a crawl gives the same ids.
- `MicroBatcher` gathers the articles that need a MongoDB lookup into one query for many (a
  query is a full collection scan on FerretDB 1.24).
- `StoryAssigner` decides an article's story (the DedupePipeline's work): this run's articles in
  memory first, then the stored ones (a `StoryLookup`, newscrawl/storage/stories.py), else a new story.
"""

import asyncio
import hashlib
import logging
import zlib
from collections import deque
from collections.abc import Callable
from typing import Any

import numpy as np
from datasketch import MinHash
from datasketch.lsh import _optimal_param

from newscrawl.article.hashing import text_hash
from newscrawl.extract.text import tokens

logger = logging.getLogger(__name__)

SHINGLE_SIZE = 3


def shingles(text: str, n: int = SHINGLE_SIZE) -> set[bytes]:
    words = tokens(text)
    if len(words) < n:
        return {" ".join(words).encode("utf-8")} if words else set()
    if n == 3:   # the stored signatures' shingles, built twice as fast (same bytes)
        return {f"{a} {b} {c}".encode() for a, b, c in zip(words, words[1:], words[2:])}
    return {" ".join(words[i:i + n]).encode("utf-8") for i in range(len(words) - n + 1)}


class Signer:
    """MinHash signatures and LSH band keys for a Jaccard threshold."""

    def __init__(self, threshold: float = 0.3, num_perm: int = 128, seed: int = 1):
        self.threshold = threshold
        self.num_perm = num_perm
        self.seed = seed
        self.bands, self.rows = _optimal_param(threshold, num_perm, 0.5, 0.5)
        self._template = MinHash(num_perm=num_perm, seed=seed)

    def signature(self, text: str) -> np.ndarray | None:
        sh = shingles(text)
        if not sh:
            return None
        # CRC-32 of each shingle: stable across processes (signatures are stored) and ~4x cheaper
        # than datasketch's default SHA-1.
        m = MinHash(num_perm=self.num_perm, seed=self.seed, permutations=self._template.permutations, hashfunc=zlib.crc32,
                    scheme=self._template.scheme)
        m.update_batch(list(sh))
        return m.hashvalues.astype(np.uint32)

    def band_keys(self, sig: np.ndarray) -> list[str]:
        keys = []
        for b in range(self.bands):
            chunk = sig[b * self.rows:(b + 1) * self.rows].tobytes()
            keys.append(f"{b}:{hashlib.blake2b(chunk, digest_size=8).hexdigest()}")
        return keys

    @staticmethod
    def to_bytes(sig: np.ndarray) -> bytes:
        return sig.astype("<u4").tobytes()

    @staticmethod
    def from_bytes(data) -> np.ndarray:
        if isinstance(data, (list, tuple)):
            return np.asarray(data, dtype=np.uint32)
        return np.frombuffer(bytes(data), dtype="<u4")

    @staticmethod
    def similarity(a: np.ndarray, b: np.ndarray) -> float:
        """Estimated Jaccard similarity of two signatures."""
        if a is None or b is None or len(a) != len(b):
            return 0.0
        return float(np.count_nonzero(a == b)) / len(a)


class StoryIndex:
    """In-memory LSH of this run's articles: one slot per article in a uint32 matrix of signatures,
    with its (url, story_id) entry beside it.

    An article is a candidate when one of its bands (`rows` consecutive signature values) equals
    the query's: the same test as equal `band_keys`, run over the matrix with numpy instead of a
    dict of band keys (4 x num_perm bytes per article instead of ~8 KB of keys, lists and arrays).
    Ties go to the candidate a dict of band keys meets first (lowest first shared band, then
    oldest). URLs are assumed unique (the pipeline drops repeated ones before).

    With a `capacity`, only the newest `capacity` articles are kept (memory stays flat on long
    crawls); the caller then finds older ones in the store, where they have been written by then."""

    __slots__ = ("signer", "capacity", "_sigs", "_entries", "_start", "_n")

    def __init__(self, signer: Signer, capacity: int = 0):
        self.signer = signer
        self.capacity = max(0, capacity)
        # Column-major (num_perm x slots): comparing one value of every article is one contiguous row.
        self._sigs = np.empty((signer.num_perm, 0), dtype=np.uint32)    # ring of slots, oldest at _start
        self._entries: list[tuple[str, str] | None] = []                 # (url, story_id) of each slot
        self._start = self._n = 0

    def _ranks(self) -> np.ndarray:
        """Age rank of each slot (0 = oldest); >= len(self) for unused slots."""
        return (np.arange(len(self._entries)) - self._start) % max(1, len(self._entries))

    def best_match(self, sig: np.ndarray, exclude_url: str | None = None):
        """((url, story_id), similarity) of the most similar article sharing a band with `sig`, if
        at least the threshold; else (None, best similarity seen)."""
        if not self._n or sig is None or len(sig) != self._sigs.shape[0]:
            return None, 0.0
        bands, rows = self.signer.bands, self.signer.rows
        width = bands * rows
        ranks = self._ranks()
        # Articles equal in the first value of some band, then those equal in a whole band.
        cand = np.flatnonzero((self._sigs[0:width:rows] == sig[0:width:rows, None]).any(axis=0) & (ranks < self._n))
        shared = (self._sigs[:width, cand] == sig[:width, None]).reshape(bands, rows, len(cand)).all(axis=1).T
        hit = shared.any(axis=1)
        cand, shared = cand[hit], shared[hit]
        if exclude_url is not None and len(cand):
            keep = np.array([self._entries[c][0] != exclude_url for c in cand], dtype=bool)
            cand, shared = cand[keep], shared[keep]
        if not len(cand):
            return None, 0.0
        equal = np.count_nonzero(self._sigs[:, cand] == sig[:, None], axis=0)
        top = equal == equal.max()
        cand, first_band = cand[top], shared[top].argmax(axis=1)
        if len(cand) > 1:   # the first one met: lowest first shared band, then oldest
            cand = cand[np.lexsort((ranks[cand], first_band))]
        best_sim = float(equal.max()) / len(sig)
        return (self._entries[cand[0]], best_sim) if best_sim >= self.signer.threshold else (None, best_sim)

    def add(self, url: str, story_id: str, sig: np.ndarray) -> tuple[str, str]:
        """Index an article (evicting the oldest beyond `capacity`); returns its (url, story_id) entry."""
        while self.capacity and self._n >= self.capacity:
            self._entries[self._start] = None
            self._start = (self._start + 1) % len(self._entries)
            self._n -= 1
        size = len(self._entries)
        if self._n == size:   # full: grow (x2, at most to capacity), oldest first
            new = max(16, 2 * size)
            new = min(new, max(self.capacity, self._n + 1)) if self.capacity else new
            order = (np.arange(self._n) + self._start) % max(1, size)
            sigs = np.empty((self._sigs.shape[0], new), dtype=np.uint32)
            sigs[:, :self._n] = self._sigs[:, order]
            self._entries = [self._entries[i] for i in order] + [None] * (new - self._n)
            self._sigs, self._start, size = sigs, 0, new
        row = (self._start + self._n) % size   # the slot after the newest
        entry = (url, story_id)
        self._sigs[:, row] = sig
        self._entries[row] = entry
        self._n += 1
        return entry

    def __len__(self) -> int:
        return self._n

    def entries(self) -> list[tuple[str, str]]:
        """(url, story_id) of the indexed articles, oldest first."""
        return [self._entries[(self._start + i) % len(self._entries)] for i in range(self._n)]


class UrlSet:
    """Set of URLs kept as 8-byte BLAKE2b digests (8 bytes per URL instead of ~200 for a set of
    strings): a sorted uint64 array, plus a small set of recent digests merged in every `buffer`.
    A URL wrongly taken as seen needs a 64-bit collision (~3e-8 in a run of a million URLs)."""

    __slots__ = ("_sorted", "_recent", "_buffer")

    def __init__(self, buffer: int = 1024):
        self._sorted = np.empty(0, dtype=np.uint64)
        self._recent: set[int] = set()
        self._buffer = buffer

    @staticmethod
    def _digest(url: str) -> int:
        return int.from_bytes(hashlib.blake2b(url.encode("utf-8", "surrogatepass"), digest_size=8).digest(), "little")

    def __contains__(self, url: str) -> bool:
        d = self._digest(url)
        if d in self._recent:
            return True
        i = int(np.searchsorted(self._sorted, np.uint64(d)))
        return i < len(self._sorted) and int(self._sorted[i]) == d

    def add(self, url: str) -> None:
        self._recent.add(self._digest(url))
        if len(self._recent) >= self._buffer:   # merge: one O(n) copy per `buffer` URLs
            recent = np.sort(np.fromiter(self._recent, dtype=np.uint64, count=len(self._recent)))
            self._sorted = np.insert(self._sorted, np.searchsorted(self._sorted, recent), recent)
            self._recent = set()

    def __len__(self) -> int:
        return len(self._sorted) + len(self._recent)


def story_id_for(content_hash_value: str) -> str:
    return "s" + content_hash_value[:20]


class MicroBatcher:
    """Answers many awaiting callers with one blocking call.

    `await batcher.submit(request, then)` queues the request. A batch is sent when `max_items`
    requests wait, or `max_wait_s` after the oldest one arrived, whichever comes first:
    `fetch([request, ...]) -> [result, ...]` runs in a worker thread, one batch at a time
    (requests arriving meanwhile make the next batch, so batches grow when fetches are slow).
    Then `then(result)` of every request of the batch is called on the event loop, in arrival
    order, and its return value (or exception) goes to that caller. Doing the follow-up work in
    `then`, in order, lets a request see what the requests before it decided."""

    def __init__(self, fetch: Callable[[list], list], max_items: int = 100, max_wait_s: float = 0.1):
        self.fetch = fetch
        self.max_items = max(1, int(max_items))
        self.max_wait_s = max(0.0, float(max_wait_s))
        self.batches = 0                    # fetch calls made
        self._queue: list[tuple[Any, Callable, asyncio.Future, float]] = []
        self._full: asyncio.Event | None = None
        self._worker: asyncio.Task | None = None

    async def submit(self, request: Any, then: Callable[[Any], Any]) -> Any:
        loop = asyncio.get_running_loop()
        future = loop.create_future()
        self._queue.append((request, then, future, loop.time()))
        if self._full is None:
            self._full = asyncio.Event()
        if len(self._queue) >= self.max_items:
            self._full.set()
        if self._worker is None or self._worker.done():
            self._worker = loop.create_task(self._run())
        return await future

    async def _run(self) -> None:
        loop = asyncio.get_running_loop()
        while self._queue:
            delay = self._queue[0][3] + self.max_wait_s - loop.time()
            if len(self._queue) < self.max_items and delay > 0:
                self._full.clear()
                try:
                    await asyncio.wait_for(self._full.wait(), delay)
                except asyncio.TimeoutError:
                    pass
            batch, self._queue = self._queue[:self.max_items], self._queue[self.max_items:]
            self.batches += 1
            try:
                results = await asyncio.to_thread(self.fetch, [request for request, _, _, _ in batch])
                if len(results) != len(batch):
                    raise RuntimeError(f"fetch returned {len(results)} results for {len(batch)} requests")
            except Exception as exc:  # every caller of the batch gets the error
                for _, _, future, _ in batch:
                    if not future.done():
                        future.set_exception(exc)
                continue
            for (_, then, future, _), result in zip(batch, results):
                try:
                    value = then(result)
                except Exception as exc:
                    if not future.done():
                        future.set_exception(exc)
                else:
                    if not future.done():
                        future.set_result(value)


class StoryAssigner:
    """Sets an article's content_hash, title_hash, minhash, lsh_bands, story_id and duplicate_of.

    An article is first compared with this run's articles (in memory). One that matches none is
    looked up in the store (`use_store`: stored articles sharing an LSH band, of other runs and
    processes). Lookups are micro-batched: the articles waiting for one go as ONE query when
    `lookup_batch` of them wait or `lookup_wait_s` after the first, one query at a time (a query
    scans the whole collection on FerretDB). After the query the batch is decided in arrival order,
    each article seeing the articles of this run decided before it, so copies of each other in one
    batch share a story. Stats: newscrawl/dedupe/{exact_duplicates,near_duplicates,lookups,
    looked_up,lookup_errors}."""

    def __init__(self, signer: Signer, stats, *, lookup_batch: int, lookup_wait_s: float):
        self.signer = signer
        self.stats = stats
        self.index = StoryIndex(signer)
        # Raw content hash (20 bytes, not the 40-char hex) -> (url, story_id), the entry the index shares;
        # with the index's capacity, the newest ones only (FIFO through `hash_order`).
        self.hashes: dict[bytes, tuple[str, str]] = {}
        self.hash_order: deque[bytes] = deque()
        self.stories = None   # stored story candidates (`candidates_many`): only with a store
        self.lookup = MicroBatcher(self._fetch_candidates, lookup_batch, lookup_wait_s)

    def use_store(self, stories, memory_articles: int) -> None:
        """Look stored articles up in `stories`; this run's older articles are in the store by then,
        so the in-memory index keeps the newest `memory_articles` only."""
        self.stories = stories
        self.index.capacity = max(0, memory_articles)

    async def assign(self, a, chash: str | None, thash: str | None) -> None:
        """Decide the story of the article `a` (a mutable mapping with url, title, body), whose
        content and title hashes are given."""
        url = a["url"]
        a["content_hash"] = chash
        a["title_hash"] = thash
        a["duplicate_of"] = None
        # The exact-copy key: the content hash; an empty body (no hash) copies nothing.
        key = chash or text_hash("\x00empty body of " + url)
        if bytes.fromhex(key) in self.hashes:
            self._decide(a, key, None, [], ())
            return
        sig = self.signer.signature(a["title"] + "\n" + a["body"])
        keys = self.signer.band_keys(sig) if sig is not None else []
        a["minhash"] = Signer.to_bytes(sig) if sig is not None else None
        a["lsh_bands"] = keys
        if self.stories is not None and keys and self.index.best_match(sig, exclude_url=url)[0] is None:
            await self.lookup.submit(keys, lambda candidates: self._decide(a, key, sig, keys, candidates))
        else:
            self._decide(a, key, sig, keys, ())

    def _decide(self, a, chash, sig, keys, candidates) -> None:
        """Set story_id (and duplicate_of) from this run's articles, else from the stored
        candidates, else a new story; register the article for the ones decided after it."""
        url = a["url"]
        hkey = bytes.fromhex(chash)
        if hkey in self.hashes:  # also: a copy decided while this one waited for its lookup
            first_url, story_id = self.hashes[hkey]
            a["duplicate_of"], a["story_id"] = first_url, story_id
            self.stats.inc_value("newscrawl/dedupe/exact_duplicates")
            return
        match, _ = self.index.best_match(sig, exclude_url=url) if keys else (None, 0)
        story_id = match[1] if match else self._stored_match(url, sig, candidates)
        if story_id:
            self.stats.inc_value("newscrawl/dedupe/near_duplicates")
        else:
            story_id = story_id_for(chash)
        a["story_id"] = story_id
        self.hashes[hkey] = self.index.add(url, story_id, sig) if keys else (url, story_id)
        self.hash_order.append(hkey)
        if self.index.capacity and len(self.hashes) > self.index.capacity:
            del self.hashes[self.hash_order.popleft()]

    def _fetch_candidates(self, band_lists: list[list[str]]) -> list[list[dict]]:
        """Runs in a worker thread: one query for a micro-batch of articles."""
        self.stats.inc_value("newscrawl/dedupe/lookups")
        self.stats.inc_value("newscrawl/dedupe/looked_up", len(band_lists))
        try:
            return self.stories.candidates_many(band_lists)
        except Exception as exc:  # the store's outage handling is the MongoPipeline's job
            self.stats.inc_value("newscrawl/dedupe/lookup_errors", len(band_lists))
            logger.warning("Story lookup failed (%s); treating %d article(s) as new stories", type(exc).__name__,
                           len(band_lists))
            return [[] for _ in band_lists]

    def _stored_match(self, url, sig, candidates) -> str | None:
        best, best_sim = None, 0.0
        for cand in candidates:
            if cand.get("url") == url and cand.get("story_id"):
                return cand["story_id"]   # this article's stored version: a revision keeps its story
            if not cand.get("minhash"):
                continue
            sim = self.signer.similarity(sig, Signer.from_bytes(cand["minhash"]))
            if sim > best_sim:
                best, best_sim = cand.get("story_id"), sim
        return best if best_sim >= self.signer.threshold else None
