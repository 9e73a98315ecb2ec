"""Distributed mode under faults, with real worker processes, a real redis-server and the real
MongoDB-compatible store: a worker SIGKILLed mid-crawl, Redis stopped and restarted mid-crawl,
Redis gone for good, and the Redis password kept out of everything a crawl writes."""

import json
import os
import signal
import subprocess
import sys
import threading
import time
from collections import Counter
from datetime import datetime, timedelta, timezone
from urllib.parse import urlsplit

import pytest

from conftest import FAST_SETTINGS, REPO, article_html, parse_stats, run_crawl
from redis_server import RedisServer
from news_sources import DISTRIBUTED, source




def start_worker(workdir, spider, settings, env):
    """`scrapy crawl` as a subprocess (killable); finish() collects its result."""
    workdir.mkdir(parents=True, exist_ok=True)
    cmd = [sys.executable, "-m", "scrapy", "crawl", spider, "-O", str(workdir / "items.jsonl")]
    for key, value in {**FAST_SETTINGS, **settings, "LOG_FILE": str(workdir / "crawl.log")}.items():
        cmd += ["-s", f"{key}={value}"]
    with open(workdir / "stderr.txt", "w") as stderr:
        proc = subprocess.Popen(cmd, cwd=REPO, env={**os.environ, **env}, stdout=subprocess.DEVNULL, stderr=stderr)
    STARTED.append(proc)
    return proc


def finish(proc, workdir, timeout=90):
    rc = proc.wait(timeout=timeout)
    log = (workdir / "crawl.log").read_text(encoding="utf-8") + (workdir / "stderr.txt").read_text()
    return parse_stats(log), rc, log


STARTED: list[subprocess.Popen] = []


@pytest.fixture(autouse=True)
def no_worker_left():
    """A failed test does not leave its workers running."""
    yield
    while STARTED:
        proc = STARTED.pop()
        if proc.poll() is None:
            proc.kill()
            proc.wait()


def wait_for(condition, proc, what, timeout=60):
    deadline = time.time() + timeout
    while not condition():
        assert proc.poll() is None, f"the crawl ended before {what}"
        assert time.time() < deadline, f"timed out waiting for {what}"
        time.sleep(0.02)


def assert_stored_once(mongo_db, urls, log: str = ""):
    stored = [d["url"] for d in mongo_db.db.articles.find({}, {"url": 1})]
    assert len(stored) == len(set(stored)), "an article stored twice"
    missing = sorted(set(urls) - set(stored), key=urls.index)
    # What the log says about the missing pages (fetched? dropped? retried?) and the final stats.
    trail = [line for line in log.splitlines() if any(urlsplit(u).path in line for u in missing[:3])][:30]
    stats = log[log.rfind("Dumping Scrapy stats"):][:4000] if "Dumping Scrapy stats" in log else ""
    assert not missing, (f"{len(missing)} of {len(urls)} articles missing: {missing[:5]}\n" + "\n".join(trail)
                         + "\n" + stats)
    assert len(stored) == len(urls)


def assert_keys_clean(client, spider):
    assert client.zcard(f"{spider}:requests") == 0
    assert not list(client.scan_iter(f"{spider}:inflight:*")), "an in-flight set was left behind"
    assert not client.exists(f"{spider}:workers")


def test_worker_sigkilled_mid_crawl_its_requests_are_reclaimed(http_site, tmp_path, mongo_db):
    redis_server = RedisServer(tmp_path / "redis").start()
    client = redis_server.client(decode_responses=True)
    fetched = Counter()
    pages = 160
    env, urls = source(http_site, tmp_path, "killw", pages, fetched=fetched)
    env["REDIS_URL"] = redis_server.url
    common = {**DISTRIBUTED, **mongo_db.settings, "MONGODB_SPOOL_DIR": str(tmp_path / "spool"),
              "CONCURRENT_REQUESTS": 2,
              "MONGODB_BUFFER_SIZE": 20, "NEWSCRAWL_REDIS_IDLE_SECONDS": 3, "NEWSCRAWL_REDIS_WORKER_TTL_SECONDS": 3,
              "NEWSCRAWL_HEALTH_ENABLED": False}
    try:
        # Worker 1 writes its buffer only when 20 articles wait: at the kill, its in-flight set holds
        # requests whose articles exist only in that buffer.
        w1 = start_worker(tmp_path / "w1", "killw", {**common, "MONGODB_FLUSH_SECONDS": 30,
                                                      "USER_AGENT": "test-worker-1"}, env)
        w2 = start_worker(tmp_path / "w2", "killw", {**common, "MONGODB_FLUSH_SECONDS": 0.3,
                                                      "USER_AGENT": "test-worker-2"}, env)

        def w1_in_flight():
            keys = list(client.scan_iter(f"killw:inflight:*-{w1.pid}-*"))
            return client.zcard(keys[0]) if keys else 0

        # Once worker 1 has stored some (a flush of 20 after 25 pages) and holds at least 6 in flight
        # (2 downloads at most, so 4+ done but not yet written).
        wait_for(lambda: fetched["test-worker-1"] >= 25 and w1_in_flight() >= 6, w1, "worker 1 got going")
        os.kill(w1.pid, signal.SIGKILL)
        w1.wait()
        lost_in_flight = w1_in_flight()
        assert lost_in_flight >= 6
        stored_at_kill = mongo_db.db.articles.count_documents({})
        assert stored_at_kill < pages, "the crawl finished before the kill"

        stats, rc, log = finish(w2, tmp_path / "w2")
        assert rc == 0, log[-3000:]
        assert "Traceback" not in log, log[-3000:]
        # Worker 2 waited for worker 1's heartbeat to expire, then took its requests back.
        assert stats.get("newscrawl/redis/reclaimed", 0) >= lost_in_flight, stats
        assert "is gone (no heartbeat" in log
        assert_stored_once(mongo_db, urls, log)
        assert_keys_clean(client, "killw")
        assert not list(client.scan_iter("killw:worker:*"))
    finally:
        client.close()
        redis_server.stop()


def test_redis_stopped_and_restarted_mid_crawl(http_site, tmp_path, mongo_db):
    redis_server = RedisServer(tmp_path / "redis", persistent=True).start()
    client = redis_server.client(decode_responses=True)
    pages = 120
    env, urls = source(http_site, tmp_path, "outagew", pages, delay=0.15, redirects=True, concurrency=4)
    env["REDIS_URL"] = redis_server.url
    settings = {**DISTRIBUTED, **mongo_db.settings, "MONGODB_SPOOL_DIR": str(tmp_path / "spool"),
                "MONGODB_FLUSH_SECONDS": 0.3,
                "CONCURRENT_REQUESTS": 4, "NEWSCRAWL_REDIS_IDLE_SECONDS": 3, "NEWSCRAWL_REDIS_WORKER_TTL_SECONDS": 3,
                "NEWSCRAWL_HEALTH_ENABLED": False}
    try:
        worker = start_worker(tmp_path / "w", "outagew", settings, env)
        wait_for(lambda: mongo_db.db.articles.count_documents({}) >= 30, worker, "30 articles stored")
        redis_server.stop()
        stopped_at = mongo_db.db.articles.count_documents({})
        time.sleep(3)
        redis_server.start()    # same port, same data directory: the queue is back
        stats, rc, log = finish(worker, tmp_path / "w")
        assert rc == 0, log[-3000:]
        assert "Traceback" not in log, log[-3000:]
        assert stopped_at < pages, "the crawl finished before Redis stopped"
        assert stats.get("newscrawl/redis/outages") == 1, stats
        assert stats.get("newscrawl/redis/outage_seconds", 0) >= 2, stats
        assert stats["finish_reason"] == "finished"
        assert "unreachable" in log and "is back after" in log
        assert_stored_once(mongo_db, urls, log)
        assert_keys_clean(client, "outagew")
        assert not list((tmp_path / "spool").glob("redis/*.jsonl"))
    finally:
        client.close()
        redis_server.stop()


def test_redis_gone_for_good_worker_stops_cleanly_restart_finishes(http_site, tmp_path, mongo_db):
    redis_server = RedisServer(tmp_path / "redis", persistent=True).start()
    pages = 80
    env, urls = source(http_site, tmp_path, "gonew", pages, delay=0.3, redirects=True, concurrency=4)
    env["REDIS_URL"] = redis_server.url
    spool = tmp_path / "spool"
    settings = {**DISTRIBUTED, **mongo_db.settings, "MONGODB_SPOOL_DIR": str(spool), "MONGODB_FLUSH_SECONDS": 0.3,
                "CONCURRENT_REQUESTS": 4, "NEWSCRAWL_REDIS_IDLE_SECONDS": 3, "NEWSCRAWL_REDIS_WORKER_TTL_SECONDS": 3,
                "NEWSCRAWL_HEALTH_ENABLED": False}
    worker = start_worker(tmp_path / "w1", "gonew", {**settings, "NEWSCRAWL_REDIS_OUTAGE_SECONDS": 3}, env)
    try:
        wait_for(lambda: mongo_db.db.articles.count_documents({}) >= 12, worker, "12 articles stored")
        redis_server.stop()
        # The worker waits 3 s, then closes on its own: redirects answered meanwhile are spooled.
        stats, rc, log = finish(worker, tmp_path / "w1", timeout=60)
        assert rc == 4, log[-3000:]     # REDIS_UNAVAILABLE_EXIT_CODE: cron, systemd and scrapyd see it
        assert "Traceback" not in log, log[-3000:]
        assert stats["finish_reason"] == "redis_unavailable", stats
        assert "Closing spider (redis_unavailable)" in log
        assert "(NEWSCRAWL_REDIS_OUTAGE_SECONDS): closing the spider" in log
        assert stats.get("newscrawl/redis/spooled", 0) >= 1, stats
        spooled = list(spool.glob("redis/requests-gonew-*.jsonl"))
        assert len(spooled) == 1 and len(spooled[0].read_text().splitlines()) == stats["newscrawl/redis/spooled"]
        stored_before = mongo_db.db.articles.count_documents({})
        assert stored_before < pages

        redis_server.start()
        (tmp_path / "w2").mkdir()
        items, stats2, rc2, log2 = run_crawl(tmp_path / "w2", "gonew", {}, settings, timeout=90, env=env)
        assert rc2 == 0, log2[-3000:]
        assert stats2.get("newscrawl/redis/unspooled") == stats["newscrawl/redis/spooled"], stats2
        # The first worker's requests in flight at its close (done, but not acknowledged while
        # Redis was away) come back too.
        assert stats2.get("newscrawl/redis/reclaimed", 0) >= 1, stats2
        assert_stored_once(mongo_db, urls)
        assert not list(spool.glob("redis/*.jsonl")), "the spool file was not removed once queued"
        client = redis_server.client()
        try:
            assert_keys_clean(client, "gonew")
        finally:
            client.close()
    finally:
        redis_server.stop()


def test_redis_password_never_written(http_site, tmp_path, mongo_db):
    secret = "Zx9-redis-pw-4217"
    redis_server = RedisServer(tmp_path / "redis", password=secret).start()
    env, urls = source(http_site, tmp_path, "pwredis", 20, delay=0)
    env["REDIS_URL"] = redis_server.url
    settings = {**DISTRIBUTED, **mongo_db.settings, "MONGODB_SPOOL_DIR": str(tmp_path / "spool"),
                "MONGODB_FLUSH_SECONDS": 0.3,
                "NEWSCRAWL_REDIS_IDLE_SECONDS": 1, "NEWSCRAWL_HEALTH_ENABLED": False}
    try:
        (tmp_path / "w").mkdir()
        items, stats, rc, log = run_crawl(tmp_path / "w", "pwredis", {}, settings, timeout=90, env=env)
        assert rc == 0, log[-3000:]
        assert len(items) == 20
        assert f"redis://:***@127.0.0.1:{redis_server.port}/0" in log    # the URL is logged, masked
        assert secret not in log
        assert secret not in (tmp_path / "w" / "items.jsonl").read_text()
        assert secret not in repr(stats)
        runs = list(mongo_db.db.crawl_runs.find({"spider": "pwredis"}))
        assert runs and secret not in repr(runs)
        assert_stored_once(mongo_db, urls)
    finally:
        redis_server.stop()
