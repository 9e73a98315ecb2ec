"""Memory the DedupePipeline keeps per article (issue 7: no RSS growth on long crawls).

    python -m tools.bench dedupe-memory [--articles 4000] [--window 2000]

Feeds `--articles` synthetic distinct articles (3-5 KB bodies of varied words, ~80-char URLs)
through DedupePipeline as in a crawl with MongoDB (a stub story lookup answering every lookup with no
candidates; the in-memory index bounded to `--window`, NEWSCRAWL_DEDUPE_MEMORY_ARTICLES) and
reports, from tracemalloc, the bytes retained per article while the window fills and the bytes
still added per article once it is full (state that grows with the whole run).
"""

import asyncio
import gc
import random
import time
import tracemalloc

from scrapy.utils.test import get_crawler

SYLLABLES = ("ka", "lo", "mi", "ne", "ru", "sa", "ti", "vo", "be", "da", "fu", "ge", "ho", "ja", "ki", "ma", "no",
             "pe", "qu", "ri", "se", "tu", "wa", "xe", "yo", "ze", "an", "el", "in", "or", "us", "ar")


class _NoCandidates:
    """Stands in for the story lookup (storage/stories.py): every lookup finds nothing (all articles are new stories)."""

    def candidates_many(self, band_lists, limit=50):
        return [[] for _ in band_lists]


def vocabulary(size: int, rng: random.Random) -> list[str]:
    words = set()
    while len(words) < size:
        words.add("".join(rng.choice(SYLLABLES) for _ in range(rng.randint(2, 4))))
    return sorted(words)


def article(i: int, vocab: list[str], rng: random.Random) -> dict:
    """A distinct article: ~500-800 words drawn with a skewed (Zipf-like) frequency, in paragraphs."""
    n = rng.randint(500, 800)
    words = [vocab[min(int(rng.paretovariate(0.7)) - 1, len(vocab) - 1)] if rng.random() < 0.5
             else rng.choice(vocab) for _ in range(n)]
    paragraphs = [" ".join(words[k:k + 60]).capitalize() + "." for k in range(0, n, 60)]
    title = " ".join(rng.choice(vocab) for _ in range(8)).capitalize()
    slug = "-".join(title.lower().split()[:6])
    return {"url": f"https://www.news{i % 40}.example/{2024 + i % 2}/{i % 12 + 1:02d}/{slug}-{i}.html",
            "title": title, "body": "\n\n".join(paragraphs), "declared_language": "en"}


def run(articles: int = 4000, window: int = 2000, seed: int = 3) -> dict:
    from newscrawl import settings
    from newscrawl.items import Article
    from newscrawl.pipelines import DedupePipeline

    project = {k: v for k, v in vars(settings).items() if k.startswith("NEWSCRAWL_DEDUPE_")}
    crawler = get_crawler(settings_dict={**project, "MONGODB_ENABLED": False, "NEWSCRAWL_DEDUPE_ENABLED": True,
                                         "NEWSCRAWL_DEDUPE_LOOKUP_BATCH": 1, "NEWSCRAWL_DEDUPE_LOOKUP_WAIT_MS": 0,
                                         "NEWSCRAWL_DEDUPE_MEMORY_ARTICLES": window})
    p = DedupePipeline.from_crawler(crawler)
    p.open_spider()
    p.assigner.use_store(_NoCandidates(), window)   # as open_spider does with MongoDB
    rng = random.Random(seed)
    vocab = vocabulary(20000, rng)
    checkpoints = {}

    async def feed():
        await p.process_item(Article(**article(-1, vocab, rng)))   # warm-up: imports, caches, thread pool
        gc.collect()
        tracemalloc.start()
        base = tracemalloc.get_traced_memory()[0]
        t0 = time.perf_counter()
        for i in range(articles):
            await p.process_item(Article(**article(i, vocab, rng)))
            if i + 1 in (min(window, articles), articles):
                gc.collect()
                checkpoints[i + 1] = tracemalloc.get_traced_memory()[0] - base
        checkpoints["seconds"] = time.perf_counter() - t0
        tracemalloc.stop()

    asyncio.run(feed())
    full = min(window, articles)
    out = {"articles": articles, "window": window, "retained_at_window": checkpoints[full],
           "bytes_per_article_in_window": checkpoints[full] / full,
           "retained_at_end": checkpoints[articles],
           "ms_per_article": 1000 * checkpoints["seconds"] / articles}
    if articles > full:
        out["bytes_per_article_after_window"] = (checkpoints[articles] - checkpoints[full]) / (articles - full)
    return out


def main(articles: int = 4000, window: int = 2000) -> int:
    r = run(articles, window)
    print(f"{r['articles']} articles, window {r['window']} (NEWSCRAWL_DEDUPE_MEMORY_ARTICLES), "
          f"{r['ms_per_article']:.2f} ms/article under tracemalloc")
    print(f"retained after {min(r['window'], r['articles'])} articles: {r['retained_at_window'] / 1e6:.2f} MB "
          f"= {r['bytes_per_article_in_window']:.0f} bytes/article (window filling)")
    if "bytes_per_article_after_window" in r:
        print(f"retained after {r['articles']} articles: {r['retained_at_end'] / 1e6:.2f} MB; growth once the "
              f"window is full: {r['bytes_per_article_after_window']:.0f} bytes/article")
    return 0
