"""Story lookups against a large store: by the `lsh_bands` index query and by scan of the signatures.

`python -m tools.bench story-lookup --stored 5000` stores that many synthetic articles (real
MinHash signatures of random ~700-word texts, written by `ArticleStore.upsert_batch`) in the embedded
server (or `--uri`), then asks `StoryLookup.candidates_many` for 1 and for 100 articles (half of them
edited copies of stored ones) in both modes, and prints wall time and the server's CPU time per
call (the server's CPU only for the embedded one). Both modes must return the same candidates.
"""

from __future__ import annotations

import os
import random
import tempfile
import time
from datetime import datetime, timezone
from pathlib import Path

from newscrawl.article.hashing import content_hash
from newscrawl.dedupe import Signer, story_id_for
from tools.bench.common import cpu_seconds
from tools.bench.dedupe import edit_words
from tools.paths import BENCH_RESULTS

WORDS = [f"w{i}" for i in range(5000)]


def _article(i: int, body: str, signer: Signer) -> dict:
    sig = signer.signature(f"Title {i}\n{body}")
    return {"url": f"https://bench.example.org/{i}", "source": "bench.example.org", "source_name": "Bench",
            "title": f"Title {i}", "body": body, "language": "en", "crawled_at": "2026-11-28T00:00:00Z",
            "content_hash": content_hash(body), "story_id": story_id_for(content_hash(body)),
            "minhash": Signer.to_bytes(sig), "lsh_bands": signer.band_keys(sig)}


def run(stored: int = 5000, uri: str | None = None, out: str | None = None) -> int:
    from newscrawl.storage.articles import ArticleStore
    from newscrawl.storage.client import server_kind
    from tools.mongo_server import EmbeddedServer

    rng = random.Random(7)
    signer = Signer()
    lines: list[str] = []

    def log(line: str = "") -> None:
        print(line, flush=True)
        lines.append(line)

    with tempfile.TemporaryDirectory() as tmp:
        server = None if uri else EmbeddedServer(Path(tmp) / "db").start()
        try:
            store = ArticleStore(uri or server.uri, f"bench_story_{os.getpid()}", "articles", server_timeout_ms=5000,
                                 story_lookup="scan")
            pid = server.process.pid if server else None
            kind = server_kind(store.client)
            store.ensure_indexes()
            bodies = [" ".join(rng.choices(WORDS, k=700)) for _ in range(stored)]
            t0 = time.perf_counter()
            now = datetime.now(timezone.utc)
            for i in range(0, stored, 500):
                store.upsert_batch([_article(j, bodies[j], signer) for j in range(i, min(stored, i + 500))], now)
            log(f"story lookups on {kind} ({'embedded' if server else 'given URI'}), {stored} stored articles "
                f"(written in {time.perf_counter() - t0:.0f} s)")
            asked = []
            for k in range(100):   # half edited copies of stored articles, half new texts
                body = edit_words(bodies[rng.randrange(stored)], 0.1, rng) if k % 2 == 0 else \
                    " ".join(rng.choices(WORDS, k=700))
                asked.append(_article(stored + k, body, signer)["lsh_bands"])
            log(f"{'mode':<8}{'articles asked':>16}{'wall ms':>10}{'server CPU ms':>15}{'candidates':>12}")
            found = {}
            for n in (1, 100):
                for mode in ("index", "scan"):
                    store.stories.mode = mode
                    c0, t = cpu_seconds(pid) or 0.0, time.perf_counter()
                    result = store.stories.candidates_many(asked[:n])
                    wall, cpu = time.perf_counter() - t, (cpu_seconds(pid) or 0.0) - c0
                    found[mode, n] = [sorted(d["url"] for d in r) for r in result]
                    log(f"{mode:<8}{n:>16}{wall * 1000:>10.0f}{cpu * 1000 if pid else float('nan'):>15.0f}"
                        f"{sum(map(len, found[mode, n])):>12}")
            same = all(found["index", n] == found["scan", n] for n in (1, 100))
            log(f"same candidates in both modes: {'yes' if same else 'NO'}")
            store.client.drop_database(store.db.name)
            store.close()
        finally:
            if server:
                server.stop()
    path = Path(out) if out else BENCH_RESULTS / "story-lookup.txt"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("\n".join(lines) + "\n")
    return 0 if same else 1
