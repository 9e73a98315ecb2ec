"""Distributed mode (NEWSCRAWL_DISTRIBUTED=redis): two worker processes of one source spider share
scrapy-redis's queue and dupefilter on a real redis-server, and the real MongoDB-compatible store."""

import json
import shutil
import socket
import subprocess
import time
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime, timedelta, timezone

import pytest
import redis

from conftest import article_html, run_crawl
from test_source_spider import news_sitemap, paragraphs

PAGES = 200


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def redis_url(tmp_path):
    binary = shutil.which("redis-server") or "/usr/bin/redis-server"
    port = free_port()
    workdir = tmp_path / "redis"
    workdir.mkdir()
    proc = subprocess.Popen([binary, "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no",
                             "--dir", str(workdir)], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    url = f"redis://127.0.0.1:{port}/0"
    client = redis.Redis.from_url(url)
    try:
        for _ in range(100):
            try:
                client.ping()
                break
            except redis.ConnectionError:
                if proc.poll() is not None:
                    pytest.fail("redis-server exited at start")
                time.sleep(0.05)
        else:
            pytest.fail("redis-server did not answer")
        yield url
    finally:
        client.close()
        proc.terminate()
        proc.wait(timeout=10)


def slow_page(body: bytes):
    def handler(req):
        time.sleep(0.1)   # some server time, so the second worker finds work left
        req.send_response(200)
        req.send_header("Content-Type", "text/html; charset=utf-8")
        req.send_header("Content-Length", str(len(body)))
        req.end_headers()
        req.wfile.write(body)
    return handler


def test_two_workers_share_one_frontier(http_site, tmp_path, mongo_db, redis_url):
    site = http_site
    prefix = f"/dist{tmp_path.name[-6:]}"
    start = datetime(2026, 11, 1, tzinfo=timezone.utc)
    entries = []
    for n in range(PAGES):
        path = f"{prefix}/news/2026/story-{n}.html"
        date = (start + timedelta(minutes=n)).isoformat()
        site.add_handler(path, slow_page(article_html(f"Distributed headline {n}", published=date,
                                                      paragraphs=paragraphs(n)).encode("utf-8")))
        entries.append((path, date))
    site.add(f"{prefix}/news-sitemap.xml", news_sitemap(site, entries))
    config = [{"slug": "distnews", "name": "Dist News", "domains": ["127.0.0.1"], "language": "en",
               "timezone": "UTC", "feeds": [{"kind": "news_sitemap", "url": site.url(f"{prefix}/news-sitemap.xml")}],
               "article_url": r"/news/\d{4}/", "concurrency": 2, "delay": 0}]
    (tmp_path / "sources.json").write_text(json.dumps(config))
    env = {"NEWSCRAWL_EXTRA_SOURCES": str(tmp_path / "sources.json"), "NEWSCRAWL_DISTRIBUTED": "redis",
           "REDIS_URL": redis_url}
    settings = {**mongo_db.settings, "MONGODB_FLUSH_SECONDS": 0.2, "CONCURRENT_REQUESTS": 2,
                "NEWSCRAWL_REDIS_IDLE_SECONDS": 4, "NEWSCRAWL_HEALTH_ENABLED": "false"}
    dirs = [tmp_path / "w1", tmp_path / "w2"]
    for d in dirs:
        d.mkdir()
    with ThreadPoolExecutor(2) as pool:
        results = list(pool.map(lambda d: run_crawl(d, "distnews", {}, settings, timeout=120, env=env), dirs))

    for items, stats, rc, log in results:
        assert rc == 0, log[-3000:]
        assert "scrapy_redis.scheduler.Scheduler" in log or stats.get("scheduler/enqueued/redis") is not None \
            or stats.get("scheduler/dequeued/redis"), log[-2000:]
    # Both workers did work, and together every article exactly once.
    per_worker = [len(items) for items, *_ in results]
    assert all(n > 0 for n in per_worker), per_worker
    assert sum(per_worker) == PAGES, per_worker
    titles = [i["title"] for items, *_ in results for i in items]
    assert sorted(titles) == sorted(f"Distributed headline {n}" for n in range(PAGES))
    # Every URL fetched exactly once overall (the sitemap included).
    fetched = site.requests(prefix)
    assert len(fetched) == len(set(fetched)) == PAGES + 1, [p for p in set(fetched) if fetched.count(p) > 1][:5]
    # Stored exactly once.
    articles = mongo_db.store.articles
    assert articles.count_documents({}) == PAGES
    assert len(articles.distinct("url")) == PAGES

    # Redis: the queue is drained; fingerprints live in today's day set, which expires (bounded memory).
    client = redis.Redis.from_url(redis_url, decode_responses=True)
    try:
        assert client.zcard("distnews:requests") == 0
        day_keys = [k for k in client.scan_iter("distnews:dupefilter:2*")]
        assert len(day_keys) == 1 and client.scard(day_keys[0]) == PAGES
        assert 0 < client.ttl(day_keys[0]) <= 7 * 86400
        feed_keys = list(client.scan_iter("distnews:dupefilter:feed:*"))
        assert len(feed_keys) == 1 and 0 < client.ttl(feed_keys[0]) <= 600
        # The clear command removes the crawl's keys.
        out = subprocess.run([__import__("sys").executable, "-m", "newscrawl.distributed", "clear", "--spider",
                              "distnews", "--redis-url", redis_url], capture_output=True, text=True,
                             cwd=str(__import__("conftest").REPO), timeout=30)
        assert out.returncode == 0, out.stderr
        assert not list(client.scan_iter("distnews:*"))
    finally:
        client.close()
