"""Distributed mode against a hostile Redis or spool directory (issue 17 §4): queue entries and spool
lines are checked JSON (newscrawl/distributed/serializer.py), never unpickled; what does not decode
is rejected and counted, never run; every request the spiders produce round-trips exactly; the
package holds no pickle/marshal loads; the Redis password stays out of the log and a wrong one is
one clean ERROR line with a non-zero exit. Real redis-server, real crawls as subprocesses."""

import ast
import base64
import json
import os
import pickle
import subprocess
import sys
from pathlib import Path
from types import SimpleNamespace

import pytest
import redis
import scrapy
from scrapy.downloadermiddlewares.redirect import RedirectMiddleware
from scrapy.downloadermiddlewares.retry import get_retry_request
from scrapy.http import HtmlResponse, Response, XmlResponse
from scrapy.utils.test import get_crawler
from scrapy_redis import picklecompat

from conftest import REPO, article_html, run_crawl
from feeds import paragraphs
from newscrawl.distributed import serializer as codec
from newscrawl.distributed.queue import ReliablePriorityQueue
from newscrawl.distributed.scheduler import ReliableScheduler
from newscrawl.distributed.spool import RequestSpool
from newscrawl.middlewares.render import RenderMiddleware
from newscrawl.render.spec import RenderSpec
from newscrawl.spiders.article import ArticleSpider
from newscrawl.spiders.warc import WarcSpider
from newscrawl.warc import write_warc
from redis_server import RedisServer
from news_sources import DISTRIBUTED, source

ATTRIBUTES = ("url", "method", "headers", "body", "cookies", "meta", "encoding", "priority", "dont_filter", "flags",
              "cb_kwargs", "callback", "errback")


@pytest.fixture
def redis_server(tmp_path):
    server = RedisServer(tmp_path / "redis").start()
    try:
        yield server
    finally:
        server.stop()


class Plant:
    """Unpickling this creates `marker`: proof that a payload ran."""

    def __init__(self, marker):
        self.marker = str(marker)

    def __reduce__(self):
        return os.system, (f"touch {self.marker}",)


def bare_crawler(spidercls):
    """A crawler without a crawl: an engine stand-in with nothing scheduled, for start()."""
    from newscrawl import settings

    crawler = get_crawler(spidercls, {k: v for k, v in vars(settings).items() if k.startswith("NEWSCRAWL_")})
    crawler.engine = SimpleNamespace(scheduler=None, needs_backout=lambda: False)
    return crawler


def article_spider(tmp_path, **kwargs):
    crawler = bare_crawler(ArticleSpider)
    return ArticleSpider.from_crawler(crawler, urls="https://news.example/a.html",
                                      sitemap="https://news.example/sitemap.xml", **kwargs)


async def collect(agen):
    return [r async for r in agen]


def assert_same_request(decoded, original, *, derived_meta=False):
    for name in ATTRIBUTES:
        want = getattr(original, name)
        if name == "meta" and derived_meta:
            want = {k: v for k, v in want.items() if k in codec.META_KEYS}
        assert getattr(decoded, name) == want, (name, original.url)
    assert type(decoded) is type(original)


def round_trip(request, spider):
    return codec.request_from_json(codec.request_to_json(request, spider), spider)


# ---- every request the spiders produce --------------------------------------------------------


def spider_requests(tmp_path):
    """(spider, request, derived meta expected to be left out) for every kind of request the
    spiders yield, and what Scrapy's and our middlewares make of them before they are queued again."""
    import asyncio

    out = []
    article = article_spider(tmp_path)
    article.render = RenderSpec("article[data-complete]", "button.more", 9000, True)
    starts = asyncio.run(collect(article.start()))
    assert {r.callback.__name__ for r in starts} == {"parse_discovery", "parse_article"}
    out += [(article, r, False) for r in starts]
    # What parse_discovery yields: article pages of a sitemap (ranked, with the spider's article
    # meta, a render spec here) and child sitemaps of an index.
    sitemap = XmlResponse("https://news.example/sitemap.xml", body=b"<urlset/>", request=starts[0])
    followed = [sitemap.follow(url, callback=article.parse_article, priority=-rank, meta=article.article_meta())
                for rank, url in enumerate(["https://news.example/2026/b.html", "/2026/c.html?q=\u00e9"])]
    assert all(r.meta["newscrawl_render"] for r in followed)
    out += [(article, r, False) for r in followed]
    out.append((article, sitemap.follow("/s1.xml", callback=article.parse_discovery, priority=5), False))

    # Source spiders: feed requests with cb_kwargs, article requests with their meta.
    from newscrawl.spiders import sources

    slug = next(iter(sources.SOURCES))
    cls = next(c for c in vars(sources).values() if isinstance(c, type) and getattr(c, "name", None) == slug)
    src = cls.from_crawler(bare_crawler(cls))
    feeds = asyncio.run(collect(src.start()))
    assert feeds and all(r.cb_kwargs.get("kind") for r in feeds)
    out += [(src, r, False) for r in feeds]
    page = HtmlResponse("https://news.example/feed", body=b"", request=feeds[0])
    out.append((src, page.follow("/2026/d.html", callback=src.parse_article, priority=-3, meta=src.article_meta()),
                False))
    out.append((src, page.follow("/s2.xml", callback=src.parse_feed, cb_kwargs={"kind": "sitemap"}, priority=50),
                False))

    # WARC spider: a record reference into a file the worker was given.
    warc_path = tmp_path / "in.warc.gz"
    write_warc(str(warc_path), [("https://news.example/w.html", b"<html><body>x</body></html>",
                                 "2026-11-01T10:00:00Z", "text/html")])
    warc = WarcSpider.from_crawler(bare_crawler(WarcSpider), path=str(warc_path))
    records = asyncio.run(collect(warc.start()))
    assert records and records[0].meta["warc"]["path"] == str(warc_path)
    out += [(warc, r, False) for r in records]

    # After a download: redirected (Scrapy adds redirect meta, keeps download_slot & co), retried,
    # render retried and fallen back (the Playwright keys, objects, are derived again, left out).
    base = followed[0].replace()   # a copy: the meta below is what a download adds
    base.meta.update(depth=2, download_slot="news.example", download_latency=0.25, download_timeout=30)
    redirect = RedirectMiddleware.from_crawler(article.crawler)
    moved = redirect.process_response(base, Response(base.url, status=301,
                                                     headers={"Location": "https://news.example/moved.html"}))
    assert moved.meta["redirect_urls"] == [base.url]
    out.append((article, moved, True))
    retried = get_retry_request(base, spider=article, reason="test")
    assert retried.meta["retry_times"] == 1
    out.append((article, retried, True))
    render_mw = RenderMiddleware(article.crawler.stats, retries=1)
    rendered = base.replace()
    render_mw.process_request(rendered)
    assert rendered.meta["playwright_page_methods"]
    again = render_mw.process_exception(rendered, TimeoutError("slow"))
    assert again.meta["newscrawl_render_retries"] == 1
    out.append((article, again, True))
    fallback = render_mw.process_exception(again, TimeoutError("slow"))
    assert fallback.meta["newscrawl_render_fallback"] is True
    out.append((article, fallback, True))
    # Everything else a Request carries.
    out.append((article, scrapy.Request("https://news.example/api?x=1", method="POST", body=b"\x00\xff{}",
                                        headers={"Accept": ["a/b", "c/d"], "X-Raw": b"\xe9"},
                                        cookies={"session": "1"}, encoding="latin-1", priority=7,
                                        dont_filter=True, flags=["marked"], callback=article.parse_article,
                                        meta={"is_start_request": True}), False))
    return out


def test_every_request_the_spiders_produce_round_trips_exactly(tmp_path):
    kinds = spider_requests(tmp_path)
    assert len(kinds) >= 12
    for spider, request, derived in kinds:
        assert_same_request(round_trip(request, spider), request, derived_meta=derived)


def test_round_trip_through_the_real_queue_and_its_pop(tmp_path, redis_server):
    server = redis_server.client()
    try:
        for spider, request, derived in spider_requests(tmp_path):
            queue = ReliablePriorityQueue(server, spider, f"{spider.name}:requests")
            assert queue.push(request)
            popped, token = queue.pop_with_token()
            assert_same_request(popped, request, derived_meta=derived)
            queue.ack([token])
            assert json.loads(token)["url"] == request.url    # JSON in Redis, not pickle
    finally:
        server.close()


# ---- hostile queue entries ----------------------------------------------------------------------


def hostile_entries(marker, warc_file):
    """Entries an attacker with write access to Redis could plant, one per class."""
    good = {"url": "https://news.example/ok.html", "callback": "parse_article"}
    deep = {"url": "https://news.example/x", "meta": {"depth": 1}}
    nested = [1]
    for _ in range(200):
        nested = [nested]
    return {
        "pickle payload": pickle.dumps(Plant(marker)),
        "pickled request dict (old format)": picklecompat.dumps({**good, "meta": {}, "payload": Plant(marker)}),
        "marshal": b"\xe3\x00\x00\x00",
        "not UTF-8": b"\xff\xfe{}",
        "JSON not an object": b"[1, 2]",
        "request class imported": json.dumps({**good, "_class": "os.system"}).encode(),
        "unknown key": json.dumps({**good, "__reduce__": "x"}).encode(),
        "file URL": json.dumps({**good, "url": "file:///etc/passwd"}).encode(),
        "data URL": json.dumps({**good, "url": "data:text/html,hi"}).encode(),
        "relative URL": json.dumps({**good, "url": "/etc/passwd"}).encode(),
        "callback not shared": json.dumps({**good, "callback": "close"}).encode(),
        "private callback": json.dumps({**good, "callback": "_set_crawler"}).encode(),
        "errback": json.dumps({**good, "errback": "parse_article"}).encode(),
        "cb_kwargs for another signature": json.dumps({**good, "cb_kwargs": {"reason": "x"}}).encode(),
        "cb_kwargs object": json.dumps({**good, "cb_kwargs": {"kind": {"a": 1}}}).encode(),
        "proxy meta": json.dumps({**good, "meta": {"proxy": "http://attacker.example:8080"}}).encode(),
        "size limit meta": json.dumps({**good, "meta": {"download_maxsize": 0}}).encode(),
        "robots meta": json.dumps({**good, "meta": {"dont_obey_robotstxt": True}}).encode(),
        "download slot meta": json.dumps({**good, "meta": {"download_slot": "elsewhere"}}).encode(),
        "WARC record in a local file": json.dumps({**good, "meta": {"warc": {"path": "/etc/passwd", "offset": 0,
                                                                             "date": None}}}).encode(),
        "WARC record in a file not given": json.dumps({**good, "meta": {"warc": {"path": str(warc_file),
                                                                                 "offset": 0,
                                                                                 "date": None}}}).encode(),
        "render spec not the source's": json.dumps({**good, "meta": {"newscrawl_render": {
            "wait_selector": None, "click_selector": None, "timeout_ms": 10**9, "fallback": False}}}).encode(),
        "negative retry count": json.dumps({**good, "meta": {"retry_times": -1000}}).encode(),
        "statuses handled": json.dumps({**good, "meta": {"handle_httpstatus_list": [500, 302]}}).encode(),
        "header injection": json.dumps({**good, "headers": {"__map__": [[{"__bytes__": "WC1B"}, [
            {"__bytes__": base64.b64encode(b"a\r\nHost: evil").decode()}]]]}}).encode(),
        "bad base64": json.dumps({**good, "body": {"__bytes__": "%%%"}}).encode(),
        "malformed tag": json.dumps({**good, "body": {"__bytes__": "", "x": 1}}).encode(),
        "method": json.dumps({**good, "method": "DELETE"}).encode(),
        "NaN": json.dumps({**good, "priority": float("nan")}).encode(),
        "huge priority": json.dumps({**good, "priority": 10**30}).encode(),
        "encoding": json.dumps({**good, "encoding": "../../x"}).encode(),
        "deep nesting": json.dumps({**deep, "flags": nested}).encode(),
        "over the size limit": json.dumps({**good, "flags": ["x" * 70_000]}).encode(),
    }


def test_hostile_queue_entries_are_rejected_counted_and_never_run(tmp_path, redis_server):
    marker = tmp_path / "pwned"
    other_warc = tmp_path / "other.warc.gz"
    write_warc(str(other_warc), [("https://news.example/w.html", b"<p>x</p>", "2026-11-01T10:00:00Z", "text/html")])
    spider = article_spider(tmp_path)
    server = redis_server.client()
    try:
        queue = ReliablePriorityQueue(server, spider, "article:requests")
        entries = hostile_entries(marker, other_warc)
        for n, data in enumerate(entries.values()):
            server.zadd(queue.key, {data: -1000 + n})    # ahead of the good request
        good = scrapy.Request("https://news.example/ok.html", callback=spider.parse_article)
        assert queue.push(good)
        popped, token = queue.pop_with_token()
        # Every planted entry was taken out and dropped; the good request comes through.
        assert popped is not None and popped.url == good.url
        assert server.zcard(queue.key) == 0
        assert server.zrange(queue.inflight_key, 0, -1) == [token]
        assert spider.crawler.stats.get_value("newscrawl/redis/rejected") == len(entries)
        assert not marker.exists(), "a planted payload ran"
        # Each class, alone, is rejected with a reason (never a Request).
        for name, data in entries.items():
            with pytest.raises(codec.RejectedRequest):
                codec.request_from_json(data, spider)
        assert not marker.exists()
    finally:
        server.close()


def test_a_request_that_cannot_be_a_queue_entry_is_refused_when_queued(tmp_path, redis_server):
    spider = article_spider(tmp_path)
    server = redis_server.client()
    try:
        queue = ReliablePriorityQueue(server, spider, "article:requests")
        for request in (scrapy.Request("https://news.example/a", callback=spider.parse_article,
                                       meta={"handle_httpstatus_list": [404], "newscrawl_render": object()}),
                        scrapy.Request("https://news.example/b", callback=spider.drop),
                        scrapy.Request("https://news.example/c", callback=lambda r: None),
                        scrapy.FormRequest("https://news.example/d", formdata={"a": "b"}),
                        scrapy.Request("https://news.example/e?" + "x" * 70_000)):
            with pytest.raises(codec.RejectedRequest):
                queue.push(request)
        assert server.zcard(queue.key) == 0
    finally:
        server.close()


def test_the_queue_refuses_a_pickle_serializer(tmp_path, redis_server):
    server = redis_server.client()
    try:
        with pytest.raises(ValueError, match="JSON only"):
            ReliablePriorityQueue(server, article_spider(tmp_path), "article:requests", serializer=picklecompat)
    finally:
        server.close()


# ---- a crawl with planted payloads in Redis and in the spool -----------------------------------


def test_pickle_planted_in_redis_and_spool_is_never_executed(http_site, tmp_path, redis_server):
    marker = tmp_path / "pwned"
    pages = 6
    env, urls = source(http_site, tmp_path, "plantw", pages, delay=0)
    env["REDIS_URL"] = redis_server.url
    extra = http_site.url(f"/plantw{tmp_path.name[-6:]}/news/2026/story-0.html").replace("story-0", "spooled")
    http_site.add(extra.split(str(http_site.port), 1)[1], article_html("Spooled headline", published="2026-11-01T09:00:00+00:00",
                                                                   paragraphs=paragraphs(99)).encode())
    spool = tmp_path / "spool"
    (spool / "redis").mkdir(parents=True)
    payload = pickle.dumps(Plant(marker))
    lines = [
        json.dumps({"url": "https://x.example/", "request": base64.b64encode(payload).decode()}),   # old format
        json.dumps({"url": "https://x.example/", "request": json.dumps({"url": extra, "_class": "os.system"})}),
        "not json at all",
        json.dumps({"url": extra, "request": json.dumps({"url": extra, "callback": "parse_article",
                                                         "meta": {"handle_httpstatus_list": [404, 410]}})}),
    ]
    (spool / "redis" / "requests-plantw-20261101T000000-1.jsonl").write_bytes(
        ("\n".join(lines) + "\n").encode() + payload + b"\n")
    client = redis_server.client()
    try:
        client.zadd("plantw:requests", {payload: -1000, picklecompat.dumps({"url": extra}): -999})
    finally:
        client.close()
    settings = {**DISTRIBUTED, "MONGODB_SPOOL_DIR": str(spool), "NEWSCRAWL_REDIS_IDLE_SECONDS": 1,
                "NEWSCRAWL_HEALTH_ENABLED": False}
    (tmp_path / "w").mkdir()
    items, stats, rc, log = run_crawl(tmp_path / "w", "plantw", {}, settings, timeout=90, env=env)
    assert not marker.exists(), "a planted pickle payload ran"
    assert rc == 0, log[-3000:]
    assert "Traceback" not in log, log[-3000:]
    # 2 in the queue; in the spool 3 bad lines and the raw pickle's line(s).
    spool_bad = len(lines) - 1 + len(payload.split(b"\n"))
    assert stats.get("newscrawl/redis/rejected") == 2 + spool_bad, stats
    assert stats.get("newscrawl/redis/unspooled") == 1, stats
    # The good spooled request and the whole source crawled despite the planted ones.
    assert sorted(i["url"] for i in items) == sorted([*urls, extra])
    kept = list((spool / "redis" / "rejected").glob("*.jsonl"))
    assert len(kept) == 1 and len(kept[0].read_text().splitlines()) == spool_bad
    assert not list((spool / "redis").glob("requests-*.jsonl")), "the read spool file stays"
    assert log.count("Rejected a queued request") == 2


def test_spool_files_that_never_end_or_are_huge_are_refused_unread(tmp_path, redis_server):
    spider = article_spider(tmp_path)
    spool = tmp_path / "spool" / "redis"
    spool.mkdir(parents=True)
    os.mkfifo(spool / "requests-article-1.jsonl")                  # would block the reactor
    (spool / "requests-article-2.jsonl").symlink_to("/dev/zero")   # would never end
    good = json.dumps({"url": "https://news.example/ok", "request": json.dumps(
        {"url": "https://news.example/ok", "callback": "parse_article"})})
    (spool / "requests-article-3.jsonl").write_bytes(b"x" * 300_000 + b"\n" + good.encode() + b"\n")
    server = redis_server.client()
    try:
        queue = ReliablePriorityQueue(server, spider, "article:requests")
        reader = RequestSpool(spool, spider.name, queue, spider.crawler.stats)
        requests = reader.read()
    finally:
        server.close()
    assert [r.url for r in requests] == ["https://news.example/ok"]
    assert spider.crawler.stats.get_value("newscrawl/redis/rejected") == 3
    assert reader.read_files == [spool / "requests-article-3.jsonl"]   # only the file read is deleted later
    kept = (spool / "rejected" / "requests-article-3.jsonl").read_text()
    assert len(kept.splitlines()) == 1 and "over" in json.loads(kept)["reason"]


# ---- no pickle in the package -------------------------------------------------------------------

UNSAFE_MODULES = {"pickle", "cPickle", "_pickle", "marshal", "shelve", "dill", "cloudpickle", "jsonpickle", "joblib",
                  "scrapy_redis.picklecompat"}
UNSAFE_CALLS = {"eval", "exec", "yaml.load", "yaml.unsafe_load", "yaml.full_load", "yaml.load_all",
                "yaml.unsafe_load_all", "read_pickle", "numpy.load", "np.load", "torch.load"}


def unsafe_uses(path: Path, root: Path = REPO) -> list[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"), str(path))
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found += [f"import {a.name}" for a in node.names if a.name in UNSAFE_MODULES]
        elif isinstance(node, ast.ImportFrom):
            names = {f"{node.module}.{a.name}" for a in node.names} | {node.module or ""}
            found += [f"from {node.module} import ..." for n in names if n in UNSAFE_MODULES][:1]
        elif isinstance(node, ast.Call):
            func = node.func
            name = (func.id if isinstance(func, ast.Name) else
                    f"{func.value.id}.{func.attr}" if isinstance(func, ast.Attribute) and isinstance(func.value, ast.Name)
                    else getattr(func, "attr", ""))
            if name in UNSAFE_CALLS or name in ("read_pickle", "unsafe_load"):
                found.append(f"{name}()")
        elif isinstance(node, ast.Constant) and isinstance(node.value, str) and (
                "picklecompat" in node.value or node.value.startswith(("scrapy.squeues.Pickle",
                                                                       "scrapy.squeues.Marshal"))):
            found.append(f"setting {node.value!r}")
    return [f"{path.relative_to(root)}:{node}" for node in found]


def test_the_package_never_unpickles_or_evaluates():
    files = sorted((REPO / "newscrawl").rglob("*.py"))
    assert len(files) > 50
    assert [u for f in files for u in unsafe_uses(f)] == []


def test_the_scan_finds_what_it_looks_for(tmp_path):
    # The scanner on planted code: a scan that cannot fail proves nothing.
    bad = tmp_path / "bad.py"
    bad.write_text("import pickle\nfrom marshal import loads\nimport yaml\nyaml.load(x)\neval('1')\n"
                   "S = 'scrapy_redis.picklecompat'\n")
    assert len(unsafe_uses(bad, root=tmp_path)) == 5, unsafe_uses(bad, root=tmp_path)


def project_settings(**cmdline) -> dict:
    """The settings a crawl runs with (project settings, `-s` values, then the add-ons)."""
    code = ("import json, sys; from scrapy.utils.reactor import install_reactor; "
            "install_reactor('twisted.internet.asyncioreactor.AsyncioSelectorReactor'); "
            "from scrapy import Spider; from scrapy.crawler import Crawler; "
            "from scrapy.utils.conf import build_component_list; "
            "from scrapy.utils.project import get_project_settings as g; s = g(); "
            "s.setdict(json.loads(sys.argv[1]), 'cmdline'); c = Crawler(Spider, s); c._apply_settings(); "
            "s = c.settings; "
            "print(json.dumps({k: s.get(k) for k in ('SCHEDULER_SERIALIZER', 'SCHEDULER', 'SCHEDULER_DISK_QUEUE')} "
            "| {'extensions': [str(c) for c in build_component_list(s.getwithbase('EXTENSIONS'))]}))")
    out = subprocess.run([sys.executable, "-c", code, json.dumps(cmdline)], cwd=REPO, capture_output=True, text=True,
                         timeout=60)
    assert out.returncode == 0, out.stderr
    return json.loads(out.stdout.strip().splitlines()[-1])


def test_settings_keep_requests_as_json_in_redis_and_in_a_job_directory():
    distributed = project_settings(NEWSCRAWL_DISTRIBUTED="redis")
    assert distributed["SCHEDULER_SERIALIZER"] == "newscrawl.distributed.serializer"
    assert distributed["SCHEDULER"] == "newscrawl.distributed.scheduler.ReliableScheduler"
    for settings in (distributed, project_settings(NEWSCRAWL_DISTRIBUTED="")):
        assert settings["SCHEDULER_DISK_QUEUE"] == "newscrawl.distributed.serializer.JsonLifoDiskQueue"
        assert settings["extensions"] and not [e for e in settings["extensions"] if "SpiderState" in e], \
            settings["extensions"]   # it pickles spider.state into JOBDIR


@pytest.mark.parametrize("cls", [codec.JsonLifoDiskQueue, codec.JsonFifoDiskQueue])
def test_job_directory_queue_is_json_and_drops_planted_entries(tmp_path, cls):
    from queuelib import queue as plain

    marker = tmp_path / "pwned"
    made = [(spider, r) for spider, r, derived in spider_requests(tmp_path) if spider.name == "article" and not derived]
    spider, kinds = made[0][0], [r for _, r in made]
    assert len(kinds) >= 4
    spider.crawler.spider = spider   # set by the crawl
    path = str(tmp_path / "job" / "requests.queue" / "p0")
    q = cls.from_crawler(spider.crawler, path)
    for request in kinds:
        q.push(request)
    q.close()
    # Planted between the good entries, as raw queue records (what a writer to JOBDIR can do).
    raw = (plain.LifoDiskQueue if cls is codec.JsonLifoDiskQueue else plain.FifoDiskQueue)(path)
    raw.push(pickle.dumps(Plant(marker)))
    raw.push(json.dumps({"url": "file:///etc/passwd", "callback": "parse_article"}).encode())
    raw.close()
    q = cls.from_crawler(spider.crawler, path)
    got = []
    while (request := q.peek() if len(got) % 2 else q.pop()) is not None:
        if len(got) % 2:
            assert q.pop().url == request.url
        got.append(request)
    assert sorted(r.url for r in got) == sorted(r.url for r in kinds)
    assert spider.crawler.stats.get_value("newscrawl/jobdir/rejected") == 2
    assert not marker.exists()
    with pytest.raises(ValueError):   # Scrapy's scheduler keeps what cannot be an entry in memory
        q.push(scrapy.Request("https://news.example/x", callback=spider.drop))
    q.close()


# ---- credentials ----------------------------------------------------------------------------------


def test_redis_password_with_a_user_never_logged(http_site, tmp_path):
    secret = "Qw7-user-pw-9931"
    server = RedisServer(tmp_path / "redis", password=secret).start()
    env, urls = source(http_site, tmp_path, "pwuser", 4, delay=0)
    env["REDIS_URL"] = f"redis://default:{secret}@127.0.0.1:{server.port}/0"
    try:
        (tmp_path / "w").mkdir()
        items, stats, rc, log = run_crawl(tmp_path / "w", "pwuser", {}, {**DISTRIBUTED, "NEWSCRAWL_REDIS_IDLE_SECONDS": 1,
                                                                          "LOG_LEVEL": "DEBUG"}, timeout=90, env=env)
        assert rc == 0, log[-3000:]
        assert len(items) == 4
        assert f"redis://default:***@127.0.0.1:{server.port}/0" in log
        assert secret not in log and secret not in repr(stats)
    finally:
        server.stop()


@pytest.mark.parametrize("given", ["wrong", "none"])
def test_wrong_redis_password_is_one_clean_error_and_a_failed_exit(http_site, tmp_path, given):
    secret = "Zx9-right-pw-1234"
    server = RedisServer(tmp_path / "redis", password=secret).start()
    env, _ = source(http_site, tmp_path, f"pw{given}", 3, delay=0)
    wrong = "Wr0ng-pw-5678"
    env["REDIS_URL"] = (f"redis://:{wrong}@127.0.0.1:{server.port}/0" if given == "wrong"
                        else f"redis://127.0.0.1:{server.port}/0")
    try:
        (tmp_path / "w").mkdir()
        items, stats, rc, log = run_crawl(tmp_path / "w", f"pw{given}", {}, DISTRIBUTED, timeout=90, env=env)
    finally:
        server.stop()
    assert rc != 0, log[-3000:]
    assert "Traceback" not in log, log[-3000:]
    # One line says what is wrong; besides it only the crawl's outcome (newscrawl.runs.health).
    errors = [line for line in log.splitlines() if " ERROR: " in line and "health]" not in line]
    assert len(errors) == 1 and "[newscrawl.distributed.scheduler]" in errors[0], errors
    assert "refused the credentials of REDIS_URL" in errors[0]
    assert stats["finish_reason"] == "redis_unavailable"
    assert wrong not in log and secret not in log
    assert items == []


def test_redis_unreachable_at_start_is_one_clean_error(http_site, tmp_path):
    from redis_server import free_port

    env, _ = source(http_site, tmp_path, "nored", 3, delay=0)
    env["REDIS_URL"] = f"redis://:Pw-never-shown@127.0.0.1:{free_port()}/0"
    (tmp_path / "w").mkdir()
    items, stats, rc, log = run_crawl(tmp_path / "w", "nored", {}, DISTRIBUTED, timeout=90, env=env)
    assert rc != 0, log[-3000:]
    assert "Traceback" not in log, log[-3000:]
    errors = [line for line in log.splitlines() if " ERROR: " in line and "health]" not in line]
    assert len(errors) == 1 and "unreachable at start" in errors[0], errors
    assert stats["finish_reason"] == "redis_unavailable"
    assert "Pw-never-shown" not in log
