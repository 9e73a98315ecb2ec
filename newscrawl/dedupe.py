"""Duplicate and near-duplicate detection.

- `content_hash`: SHA-1 of the normalised body (exact copies: AMP, print, tracking variants).
- MinHash over word 3-gram shingles (datasketch), banded for LSH: each article stores its band keys
  (`lsh_bands`) and signature (`minhash`) in MongoDB, so copies are found across runs and processes
  by an indexed `$in` query; `StoryIndex` holds the same for the current run in memory.
- A copy joins the `story_id` of the article it copies; a new story's id derives from its content
  hash, so re-running a crawl gives the same ids.
"""

import hashlib

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
        m = MinHash(num_perm=self.num_perm, seed=self.seed, permutations=self._template.permutations,
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
    """In-memory LSH of this run's articles: band key -> [(url, story_id, signature)]."""

    def __init__(self, signer: Signer):
        self.signer = signer
        self.buckets: dict[str, list] = {}

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
        for key in keys:
            self.buckets.setdefault(key, []).append((url, story_id, sig))


def story_id_for(content_hash_value: str) -> str:
    return "s" + content_hash_value[:20]
