"""A news source served by the tests' local site (news sitemap, article pages, optional slow pages
and redirects) and declared as an extra source: what the distributed and hostile tests crawl."""

import json
import threading
import time
from collections import Counter
from datetime import datetime, timedelta, timezone

from conftest import article_html
from feeds import news_sitemap, paragraphs


def page(body: bytes, delay: float, fetched: Counter | None = None):
    """A page served after `delay` seconds; `fetched` counts requests per User-Agent (per worker)."""
    lock = threading.Lock()

    def handler(req):
        if fetched is not None:
            with lock:
                fetched[req.headers.get("User-Agent", "")] += 1
        time.sleep(delay)
        req.send_response(200)
        req.send_header("Content-Type", "text/html; charset=utf-8")
        req.send_header("Content-Length", str(len(body)))
        req.end_headers()
        req.wfile.write(body)
    return handler


def redirect(location: str, delay: float):
    def handler(req):
        time.sleep(delay)
        req.send_response(301)
        req.send_header("Location", location)
        req.send_header("Content-Length", "0")
        req.end_headers()
    return handler


def source(site, tmp_path, slug, pages, *, delay=0.1, redirects=False, fetched=None, concurrency=2):
    """A source of `pages` articles listed in a news sitemap. With `redirects`, the sitemap lists
    slow URLs that redirect (301) to the fast article pages, so requests are scheduled mid-crawl
    by every response. Returns (env, the article URLs that must end up stored)."""
    prefix = f"/{slug}{tmp_path.name[-6:]}"
    start = datetime(2026, 11, 1, tzinfo=timezone.utc)
    entries, urls = [], []
    for n in range(pages):
        path = f"{prefix}/news/2026/story-{n}.html"
        date = (start + timedelta(minutes=n)).isoformat()
        body = article_html(f"{slug} headline {n}", published=date, paragraphs=paragraphs(n)).encode("utf-8")
        if redirects:
            site.add(path, body)
            listed = f"{prefix}/news/2026/r{n}.html"
            site.add_handler(listed, redirect(site.url(path), delay))
        else:
            site.add_handler(path, page(body, delay, fetched))
            listed = path
        entries.append((listed, date))
        urls.append(site.url(path))
    site.add(f"{prefix}/news-sitemap.xml", news_sitemap(site, entries))
    config = [{"slug": slug, "name": slug, "domains": ["127.0.0.1"], "language": "en", "timezone": "UTC",
               "feeds": [{"kind": "news_sitemap", "url": site.url(f"{prefix}/news-sitemap.xml")}],
               "article_url": r"/news/\d{4}/", "concurrency": concurrency, "delay": 0}]
    path = tmp_path / f"sources-{slug}.json"
    path.write_text(json.dumps(config))
    return {"NEWSCRAWL_EXTRA_SOURCES": str(path)}, urls


# Distributed mode is a setting (the Distributed add-on), REDIS_URL comes from the environment.
DISTRIBUTED = {"NEWSCRAWL_DISTRIBUTED": "redis"}
