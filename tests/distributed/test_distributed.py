"""Distributed mode (-s NEWSCRAWL_DISTRIBUTED=redis): two worker processes of one source spider share
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
import scrapy

from conftest import article_html, run_crawl
from newscrawl.distributed.connection import mask_redis_url, redis_password
from newscrawl.distributed.dupefilter import BoundedDupeFilter
from newscrawl.distributed.queue import ReliablePriorityQueue
from feeds import news_sitemap, paragraphs
from redis_server import RedisServer

PAGES = 200


@pytest.fixture
def redis_url(tmp_path):
    server = RedisServer(tmp_path / "redis").start()
    try:
        yield server.url
    finally:
        server.stop()


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
    env = {"NEWSCRAWL_EXTRA_SOURCES": str(tmp_path / "sources.json"), "REDIS_URL": redis_url}
    settings = {"NEWSCRAWL_DISTRIBUTED": "redis", **mongo_db.settings, "MONGODB_FLUSH_SECONDS": 0.2,
                "CONCURRENT_REQUESTS": 2,
                "NEWSCRAWL_REDIS_IDLE_SECONDS": 4, "NEWSCRAWL_HEALTH_ENABLED": "false",
                # Ignored with the shared queue: every discovered URL goes to Redis at once.
                "NEWSCRAWL_DISCOVERY_MAX_QUEUED": 5}
    dirs = [tmp_path / "w1", tmp_path / "w2"]
    for d in dirs:
        d.mkdir()
    with ThreadPoolExecutor(2) as pool:
        results = list(pool.map(lambda d: run_crawl(d, "distnews", {}, settings, timeout=120, env=env), dirs))

    for items, stats, rc, log in results:
        assert rc == 0, log[-3000:]
        # Every popped request acknowledged at the latest at close, nothing put back.
        assert stats.get("newscrawl/redis/acked") == stats.get("scheduler/dequeued/redis"), stats
        assert not stats.get("newscrawl/redis/requeued") and not stats.get("newscrawl/redis/outages"), stats
        assert "scrapy_redis.scheduler.Scheduler" in log or stats.get("scheduler/enqueued/redis") is not None \
            or stats.get("scheduler/dequeued/redis"), log[-2000:]
    # Both workers did work, and together every article exactly once.
    per_worker = [len(items) for items, *_ in results]
    assert all(n >= PAGES // 10 for n in per_worker), per_worker
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
        # Both workers closed cleanly: no in-flight set, heartbeat or registration left.
        assert not list(client.scan_iter("distnews:inflight:*")) and not list(client.scan_iter("distnews:worker:*"))
        assert not client.exists("distnews:workers")
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


def test_discovered_urls_go_to_the_shared_queue_as_the_document_is_read():
    from datetime import datetime as dt

    from scrapy.utils.test import get_crawler

    from newscrawl.discovery import Feeder, RunBuilder

    def feeder(settings):
        f = Feeder.from_crawler(get_crawler(QueueSpider, settings))
        builder = RunBuilder()
        for n in range(3):
            builder.add(f"https://example.org/{n}", dt(2026, 11, n + 1, tzinfo=timezone.utc))
        f.add(builder, "https://example.org/sitemap.xml")
        return f

    make = lambda url, rank: scrapy.Request(url, priority=-rank)  # noqa: E731
    local = feeder({"NEWSCRAWL_DISCOVERY_MAX_QUEUED": 5})
    assert not local.eager    # one process: fed from start() as its scheduler drains
    shared = feeder({"SCHEDULER": "newscrawl.distributed.scheduler.ReliableScheduler"})
    # Fed from start(), a shared queue is filled one request at a time (the engine takes start()
    # requests only while its scheduler is empty) and the other workers find nothing to do.
    assert shared.eager
    assert [r.url for r in shared.drain(make)] == [f"https://example.org/{n}" for n in (2, 1, 0)]
    assert not len(shared.frontier)


# ---- the Lua operations, against the real redis-server ------------------------------------------

class QueueSpider(scrapy.Spider):
    name = "qtest"

    def parse(self, response):
        pass

    def parse_feed(self, response):
        pass


def queue_and_filter(url, ttl_days=7):
    server = redis.Redis.from_url(url)
    spider = QueueSpider()
    return (ReliablePriorityQueue(server, spider, "qtest:requests"),
            BoundedDupeFilter(server, "qtest:dupefilter", ttl_days=ttl_days, feed_interval=600), server)


def push(queue, df, request):
    keys, args = ([], ["none", "", 0]) if request.dont_filter else df.filter_spec(request)
    return queue.push(request, keys, args)


def test_enqueue_checks_the_dupefilter_and_queues_in_one_step(redis_url):
    queue, df, server = queue_and_filter(redis_url)
    spider = queue.spider
    a = scrapy.Request("http://example.com/a", callback=spider.parse, priority=3)
    assert push(queue, df, a) is True
    assert push(queue, df, a.replace()) is False                       # same fingerprint: not queued twice
    assert push(queue, df, a.replace(dont_filter=True, priority=4)) is True
    assert server.zcard("qtest:requests") == 2
    # A fingerprint in an older live day set is a duplicate too, and is not copied into today's.
    old = scrapy.Request("http://example.com/old", callback=spider.parse)
    yesterday = df.bucket_keys()[1]
    server.sadd(yesterday, df.request_fingerprint(old))
    assert push(queue, df, old) is False and not server.sismember(df.bucket_keys()[0], df.request_fingerprint(old))
    assert 0 < server.ttl(df.bucket_keys()[0]) <= 7 * 86400
    # A feed is read once per feed interval (a marker key), request_seen() uses the same script.
    feed = scrapy.Request("http://example.com/feed.xml", callback=spider.parse_feed)
    assert push(queue, df, feed) is True and df.request_seen(feed) is True
    assert 0 < server.ttl(f"qtest:dupefilter:feed:{df.request_fingerprint(feed)}") <= 600
    assert df.request_seen(scrapy.Request("http://example.com/new", callback=spider.parse)) is False
    # TTL 0: one unbounded set, as scrapy-redis's own dupefilter.
    queue0, df0, _ = queue_and_filter(redis_url, ttl_days=0)
    b = scrapy.Request("http://example.com/b", callback=spider.parse)
    assert push(queue0, df0, b) is True and push(queue0, df0, b) is False
    assert server.sismember("qtest:dupefilter", df0.request_fingerprint(b))


def test_pop_moves_into_the_in_flight_set_and_ack_removes(redis_url):
    queue, df, server = queue_and_filter(redis_url)
    spider = queue.spider
    for n, priority in enumerate((1, 9, 5)):
        push(queue, df, scrapy.Request(f"http://example.com/{n}", callback=spider.parse, priority=priority))
    request, token = queue.pop_with_token()
    assert request.url == "http://example.com/1" and request.priority == 9 and request.callback == spider.parse
    assert server.zcard("qtest:requests") == 2
    assert server.zrange(queue.inflight_key, 0, -1, withscores=True) == [(token, -9.0)]
    assert server.sismember("qtest:workers", queue.worker)
    second, token2 = queue.pop_with_token()
    assert second.priority == 5 and queue.in_flight() == 2
    queue.ack([token])
    assert server.zrange(queue.inflight_key, 0, -1) == [token2]
    # release() (a clean close) puts what is left back with its priority and unregisters the worker.
    queue.beat(30)
    assert queue.release() == 1
    assert server.zscore("qtest:requests", token2) == -5.0
    assert not server.exists(queue.inflight_key, queue.heartbeat_key) and not server.sismember("qtest:workers",
                                                                                               queue.worker)
    assert queue.pop_with_token()[0].priority == 5
    assert queue.pop_with_token()[0].priority == 1
    assert queue.pop_with_token() == (None, None)


def test_dead_workers_requests_are_reclaimed_after_their_heartbeat_expires(redis_url):
    dead, df, server = queue_and_filter(redis_url)
    alive, _, _ = queue_and_filter(redis_url)
    assert dead.worker != alive.worker
    spider = dead.spider
    for n in range(3):
        push(dead, df, scrapy.Request(f"http://example.com/{n}", callback=spider.parse, priority=n))
    dead.beat(0.5)
    popped = [dead.pop_with_token()[1] for _ in range(2)]
    assert server.zcard("qtest:requests") == 1
    # While its heartbeat lives, the other worker leaves its requests alone (and counts it busy).
    assert alive.reclaim_dead() == ({}, 1)
    time.sleep(0.7)
    reclaimed, busy = alive.reclaim_dead()
    assert reclaimed == {dead.worker: 2} and busy == 0
    assert not server.exists(dead.inflight_key) and not server.sismember("qtest:workers", dead.worker)
    # Back in the queue with their priorities.
    assert server.zcard("qtest:requests") == 3
    assert [server.zscore("qtest:requests", t) for t in popped] == [-2.0, -1.0]
    assert [alive.pop_with_token()[0].priority for _ in range(3)] == [2, 1, 0]
    # A live worker's empty in-flight set is not "busy".
    alive.ack(server.zrange(alive.inflight_key, 0, -1))
    alive.beat(30)
    assert dead.reclaim_dead() == ({}, 0)


def test_redis_password_is_masked():
    assert mask_redis_url("redis://:s3cret@10.0.0.5:6379/0") == "redis://:***@10.0.0.5:6379/0"
    assert mask_redis_url("redis://user:s3cret@h:1") == "redis://user:***@h:1"
    assert mask_redis_url("redis://h:1/0?password=s3cret&db=1") == "redis://h:1/0?password=***&db=1"
    assert redis_password("redis://:s%40cret@h:1/0") == "s@cret"
    assert redis_password("redis://h:1/0?password=pw") == "pw" and redis_password("redis://h:1") is None


def test_a_pop_whose_reply_was_lost_is_put_back(redis_url):
    # Redis ran the pop, the connection broke before the reply: the request sits in this worker's
    # in-flight set, unknown to the worker. After the outage it goes back into the queue.
    queue, df, server = queue_and_filter(redis_url)
    spider = queue.spider
    for n, priority in ((1, 9), (2, 5)):
        push(queue, df, scrapy.Request(f"http://example.com/{n}", callback=spider.parse, priority=priority))
    lost = queue._pop(keys=[queue.key, queue.inflight_key, queue.registry_key], args=[queue.worker])
    held_request, held = queue.pop_with_token()
    assert held_request.priority == 5 and queue.in_flight() == 2 and len(queue) == 0
    assert queue.requeue_orphans({held}) == 1
    assert server.zrange(queue.inflight_key, 0, -1) == [held]
    assert server.zrange(queue.key, 0, -1, withscores=True) == [(lost, -9.0)]
    assert queue.requeue_orphans({held}) == 0
    assert queue.pop_with_token()[0].priority == 9


def test_a_done_request_is_acknowledged_once_the_store_says_its_articles_are_durable(redis_url, tmp_path):
    from types import SimpleNamespace

    from scrapy.utils.test import get_crawler

    from newscrawl import signals
    from newscrawl.distributed import defaults
    from newscrawl.distributed.scheduler import ReliableScheduler

    crawler = get_crawler(QueueSpider, {**defaults.SETTINGS, "REDIS_URL": redis_url,
                                        "MONGODB_SPOOL_DIR": str(tmp_path)})
    # The engine as the scheduler sees it: what the downloader and the scraper hold.
    downloading, scraping = set(), set()
    crawler.engine = SimpleNamespace(downloader=SimpleNamespace(active=downloading), spider=None,
                                     scraper=SimpleNamespace(slot=SimpleNamespace(active=scraping)))
    scheduler = ReliableScheduler.from_crawler(crawler)
    queue, df, server = queue_and_filter(redis_url)
    scheduler.spider, scheduler.queue, scheduler.df = queue.spider, queue, df
    push(queue, df, scrapy.Request("http://example.com/story", callback=queue.spider.parse))
    request = scheduler.next_request()
    send = crawler.signals.send_catch_log

    downloading.add(request)
    scheduler._tick()
    downloading.remove(request)
    scraping.add(request)           # handed from the downloader to the scraper in one reactor call
    scheduler._tick()
    send(signals.article_accepted, item={"url": request.url})
    send(signals.article_accepted, item={"url": request.url + "#copy"})
    scraping.remove(request)
    scheduler._tick()
    assert queue.in_flight() == 1 and scheduler.busy()     # done, but its articles are only buffered
    send(signals.articles_durable, count=1)
    scheduler._tick()
    assert queue.in_flight() == 1
    send(signals.articles_durable, count=2)
    scheduler._tick()
    assert queue.in_flight() == 0 and not scheduler.busy()

    # After a lost batch nothing more is acknowledged (a clean close puts those requests back).
    push(queue, df, scrapy.Request("http://example.com/next", callback=queue.spider.parse))
    scheduler.next_request()
    send(signals.article_accepted, item={"url": "http://example.com/next"})
    send(signals.storage_failed, reason="write_failed")
    send(signals.articles_durable, count=3)
    scheduler._tick()
    assert queue.in_flight() == 1
    assert scheduler.queue.release() == 1
