"""Duplicate and near-duplicate detection.

- `content_hash`: SHA-1 of the normalised body (exact copies: AMP, print, tracking variants).
- MinHash over word 3-gram shingles (datasketch), banded for LSH: each article stores its band keys
  (`lsh_bands`) and signature (`minhash`) in MongoDB, so copies are found across runs and processes
  by an indexed `$in` query; `StoryIndex` holds the same for the current run in memory.
- A copy joins the `story_id` of the article it copies; a new story's id derives from its content
  hash, so re-running a crawl gives the same ids.
- `MicroBatcher` gathers the articles that need a MongoDB lookup into one query for many (a
  query is a full collection scan on FerretDB 1.24).
"""

import asyncio
import hashlib
import zlib
from collections import OrderedDict
from collections.abc import Callable
from typing import Any

import numpy as np
from datasketch import MinHash
from datasketch.lsh import _optimal_param

from newscrawl.extract.text import normalize_for_compare, tokens

SHINGLE_SIZE = 3


def content_hash(body: str) -> str:
    return hashlib.sha1(normalize_for_compare(body).encode("utf-8")).hexdigest()


def title_hash(title: str) -> str:
    return hashlib.sha1(normalize_for_compare(title).encode("utf-8")).hexdigest()


def shingles(text: str, n: int = SHINGLE_SIZE) -> set[bytes]:
    words = tokens(text)
    if len(words) < n:
        return {" ".join(words).encode("utf-8")} if words else set()
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
    """In-memory LSH of this run's articles: band key -> [(url, story_id, signature)].

    With a `capacity`, only the newest `capacity` articles are kept (memory stays flat on long
    crawls); the caller then finds older ones in the store, where they have been written by then."""

    def __init__(self, signer: Signer, capacity: int = 0):
        self.signer = signer
        self.capacity = max(0, capacity)
        self.buckets: dict[str, list] = {}
        self.order: OrderedDict[str, list[str]] = OrderedDict()   # url -> its band keys, oldest first

    def best_match(self, sig: np.ndarray, keys: list[str], exclude_url: str | None = None):
        best, best_sim = None, 0.0
        seen = set()
        for key in keys:
            for url, story_id, other in self.buckets.get(key, ()):
                if url in seen or url == exclude_url:
                    continue
                seen.add(url)
                sim = self.signer.similarity(sig, other)
                if sim > best_sim:
                    best, best_sim = (url, story_id), sim
        return (best, best_sim) if best_sim >= self.signer.threshold else (None, best_sim)

    def add(self, url: str, story_id: str, sig: np.ndarray, keys: list[str]) -> None:
        entry = (url, story_id, sig)   # one tuple shared by all the article's bands
        for key in keys:
            self.buckets.setdefault(key, []).append(entry)
        self.order[url] = keys
        while self.capacity and len(self.order) > self.capacity:
            old_url, old_keys = self.order.popitem(last=False)
            for key in old_keys:
                entries = [e for e in self.buckets.get(key, ()) if e[0] != old_url]
                if entries:
                    self.buckets[key] = entries
                else:
                    self.buckets.pop(key, None)

    def __len__(self) -> int:
        return len(self.order)


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
