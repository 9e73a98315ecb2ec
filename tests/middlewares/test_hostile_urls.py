"""Only the web is fetched, and only where the operator pointed (issue 17 §1; newscrawl/urlgate.py).

Unit tests classify a table of hostile hosts; crawl tests run `scrapy crawl` in a subprocess
against the session's `http_site` (127.0.0.1, the named host) and a second local server that no
argument names: what third-party content (redirects, meta refresh, sitemap links, WARC targets)
points at there must never be requested, and each refusal is counted. Local files carry a marker
that must never reach the log or the items."""

import base64
import json
import os
import subprocess
import sys
import threading
from http.server import ThreadingHTTPServer
from io import BytesIO
from types import SimpleNamespace

import pytest
from scrapy import Request
from scrapy.exceptions import IgnoreRequest
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from conftest import REPO, Site, _handler, article_html, run_crawl
from newscrawl.middlewares.warc_replay import WarcReplayMiddleware
from newscrawl.urlgate import NamedHosts, PrivateAddressRefused, PublicOnlyResolver, is_public, literal_addresses
from newscrawl.warc import write_warc

P = "/hostile-urls"
MARKER = "zqxSECRETmarker7731"


def _serve(host: str) -> Site | None:
    try:
        server = ThreadingHTTPServer((host, 0), None)
    except OSError:
        return None
    server.daemon_threads = True
    site = Site(*server.server_address[:2])
    server.RequestHandlerClass = _handler(site)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    site.server = server
    return site


@pytest.fixture(scope="module")
def other_site():
    """A second server on 127.0.0.1 that no crawl argument names: it must never be asked anything."""
    site = _serve("127.0.0.1")
    yield site
    site.server.shutdown()
    site.server.server_close()


@pytest.fixture(scope="module")
def loop2_site():
    """A server on 127.0.0.2 (another loopback address), when the system lets us bind it."""
    site = _serve("127.0.0.2")
    yield site
    if site:
        site.server.shutdown()
        site.server.server_close()


@pytest.fixture(scope="module")
def secret_file(tmp_path_factory):
    path = tmp_path_factory.mktemp("local") / "secret.html"
    path.write_text(article_html(f"Local file {MARKER}"), encoding="utf-8")
    return path


def page(title: str) -> str:
    return article_html(f"Council approves the {title} bridge")


def redirect(to: str) -> dict:
    return {"Location": to, "Content-Type": "text/plain"}


def refresh(to: str) -> str:
    return (f'<html><head><meta http-equiv="refresh" content="0; url={to}"><title>Moved</title></head>'
            f"<body>moved</body></html>")


# ---- classification -------------------------------------------------------------------------------

HOSTILE_HOSTS = [
    "127.0.0.1", "127.9.8.7", "localhost", "LOCALHOST.", "api.localhost", "0.0.0.0", "0",
    "2130706433", "0x7f000001", "0x7f.1", "0177.0.0.1", "127.1", "127.000.000.001", "010.0.0.1",
    "10.0.0.1", "172.16.5.4", "192.168.1.1", "169.254.169.254", "100.64.0.1", "192.0.0.8", "198.18.0.1",
    "224.0.0.1", "239.255.255.250", "240.0.0.1", "255.255.255.255",
    "::1", "[::1]", "::", "::ffff:127.0.0.1", "::ffff:10.0.0.1", "::ffff:169.254.169.254", "fe80::1",
    "fe80::1%eth0", "fc00::1", "fd12:3456::1", "fec0::1", "ff02::1", "2002:7f00:1::", "2002:a9fe:a9fe::1",
    "64:ff9b::7f00:1", "2001:db8::1", "::127.0.0.1",
]
PUBLIC_HOSTS = ["8.8.8.8", "93.184.216.34", "2606:4700::1111", "::ffff:8.8.8.8", "2002:808:808::1"]


@pytest.mark.parametrize("host", HOSTILE_HOSTS)
def test_hostile_hosts_are_classified_non_public(host):
    addresses = literal_addresses(host)
    assert addresses, host
    assert any(not is_public(ip) for ip in addresses), (host, addresses)


@pytest.mark.parametrize("host", PUBLIC_HOSTS)
def test_public_addresses_are_public(host):
    assert all(is_public(ip) for ip in literal_addresses(host))


@pytest.mark.parametrize("host", ["example.com", "www.lemonde.fr", "cafe.be", "xn--caf-dma.fr"])
def test_names_are_left_to_resolution(host):
    assert literal_addresses(host) is None


def test_named_hosts_url_names_its_port_or_the_default_ports():
    named = NamedHosts.empty()
    named.add_url("http://127.0.0.1:5000/sitemap.xml")
    named.add_url("http://intranet.example/feed")
    named.add_host("10.1.2.3")
    named.add_host("[::1]:8080")
    named.add_domain("lemonde.fr")
    assert named.allows("127.0.0.1", 5000) and not named.allows("127.0.0.1", 5001)
    assert named.allows("intranet.example", 80) and named.allows("intranet.example", 443)
    assert not named.allows("intranet.example", 6379)       # a Redis port behind a named web host
    assert named.allows("10.1.2.3", 22)                       # a setting without port: any port
    assert named.allows("::1", 8080) and not named.allows("::1", 80)
    assert named.allows("www.lemonde.fr", 8080) and not named.allows("notlemonde.fr", 80)


class _Crawler:
    def __init__(self, **spider_attrs):
        from scrapy.settings import Settings

        self.settings = Settings({"NEWSCRAWL_ALLOWED_PRIVATE_HOSTS": []})
        self.spider = SimpleNamespace(**spider_attrs)


def test_resolver_refuses_non_public_answers_for_names_not_named():
    resolver = PublicOnlyResolver.__new__(PublicOnlyResolver)
    resolver._owner = SimpleNamespace(crawlers=[_Crawler(urls=["http://intranet.example:8080/a"])])
    with pytest.raises(PrivateAddressRefused):
        resolver._judge("127.0.0.1", "rebinding.example")
    with pytest.raises(PrivateAddressRefused):
        resolver._judge("169.254.169.254", "metadata.example")
    assert resolver._judge("93.184.216.34", "example.com") == "93.184.216.34"
    assert resolver._judge("10.0.0.7", "intranet.example") == "10.0.0.7"


# ---- the download handlers ------------------------------------------------------------------------

HANDLER_SCRIPT = r"""
import json, sys
import scrapy
from scrapy.crawler import CrawlerProcess
from scrapy.utils.project import get_project_settings

urls = json.loads(sys.argv[1])
failures = {}

class Probe(scrapy.Spider):
    name = "probe"

    async def start(self):
        for url in urls:
            yield scrapy.Request(url, callback=self.parse, errback=self.failed, dont_filter=True)

    def parse(self, response):
        print("READ", response.url, response.body[:200])

    def failed(self, failure):
        failures[failure.request.url] = type(failure.value).__name__

settings = get_project_settings()
# A code path that bypasses every URL check: the gate is gone, only the handlers remain.
settings.set("DOWNLOADER_MIDDLEWARES", {"newscrawl.middlewares.urlgate.UrlGateMiddleware": None}, priority="cmdline")
settings.set("SPIDER_MODULES", [], priority="cmdline")
settings.set("ITEM_PIPELINES", {}, priority="cmdline")
settings.set("MONGODB_ENABLED", False, priority="cmdline")   # the MongoStorage add-on adds its pipeline
settings.set("EXTENSIONS", {}, priority="cmdline")
settings.set("ROBOTSTXT_OBEY", False, priority="cmdline")
settings.set("RETRY_ENABLED", False, priority="cmdline")
settings.set("TELNETCONSOLE_ENABLED", False, priority="cmdline")
settings.set("LOG_LEVEL", "INFO", priority="cmdline")
process = CrawlerProcess(settings)
process.crawl(Probe)
process.start()
print("FAILURES", json.dumps(failures))
"""


def test_file_data_ftp_s3_handlers_are_disabled_even_without_the_gate(tmp_path, secret_file):
    fifo = tmp_path / "fifo"
    os.mkfifo(fifo)   # the file handler would block the reactor on it forever
    inline = base64.b64encode(f"<title>{MARKER}</title>".encode()).decode()
    urls = [secret_file.as_uri(), fifo.as_uri(), "file:///dev/zero", f"data:text/html;base64,{inline}",
            "ftp://127.0.0.1:1/x", "s3://bucket/key"]
    proc = subprocess.run([sys.executable, "-c", HANDLER_SCRIPT, json.dumps(urls)], cwd=REPO,
                          capture_output=True, text=True, timeout=120)
    out = proc.stdout + proc.stderr
    assert proc.returncode == 0, out[-3000:]
    assert not [line for line in proc.stdout.splitlines() if line.startswith("READ")]
    assert MARKER not in out
    failures = json.loads(proc.stdout.split("FAILURES", 1)[1])
    assert set(failures) == set(urls), failures
    assert set(failures.values()) == {"NotSupported"}, failures


# ---- crawls ----------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def redirect_crawl(http_site, other_site, loop2_site, secret_file, tmp_path_factory):
    site, port2 = http_site, other_site.port
    other_site.add("/secret.html", page(f"other {MARKER}"))
    if loop2_site:
        loop2_site.add("/secret.html", page(f"loop2 {MARKER}"))
    private_targets = {
        "port": f"http://127.0.0.1:{port2}/secret.html",
        "localhost": f"http://localhost:{port2}/secret.html",
        "decimal": f"http://2130706433:{port2}/secret.html",
        "hex": f"http://0x7f.1:{port2}/secret.html",
        "octal": f"http://0177.0.0.1:{port2}/secret.html",
        "short": f"http://127.1:{port2}/secret.html",
        "zero": f"http://0.0.0.0:{port2}/secret.html",
        "mapped": f"http://[::ffff:127.0.0.1]:{port2}/secret.html",
        "v6": f"http://[::1]:{port2}/secret.html",
        "metadata": "http://169.254.169.254/latest/meta-data/",
    }
    if loop2_site:
        private_targets["loop2"] = f"http://127.0.0.2:{loop2_site.port}/secret.html"
    urls = [site.add(f"{P}/good.html", page("good"))]
    for name, target in private_targets.items():
        urls.append(site.add(f"{P}/r/{name}.html", "", status=302, headers=redirect(target)))
    urls.append(site.add(f"{P}/r/file.html", "", status=302, headers=redirect(secret_file.as_uri())))
    urls.append(site.add(f"{P}/r/passwd.html", "", status=301, headers=redirect("file:///etc/passwd")))
    urls.append(site.add(f"{P}/m/file.html", refresh(secret_file.as_uri())))
    urls.append(site.add(f"{P}/m/data.html", refresh(f"data:text/html,<title>{MARKER}</title>")))
    urls.append(site.add(f"{P}/m/private.html", refresh(f"http://localhost:{port2}/refresh-secret.html")))
    urls.append(site.add(f"{P}/m/decimal.html", refresh(f"http://2130706433:{port2}/refresh-secret.html")))
    tmp = tmp_path_factory.mktemp("redirects")
    items, stats, rc, log = run_crawl(tmp, "article", {"urls": ",".join(urls)}, {"NEWSCRAWL_HEALTH_ENABLED": False})
    return SimpleNamespace(items=items, stats=stats, rc=rc, log=log, private=private_targets)


def test_redirects_and_meta_refresh_to_private_addresses_are_refused_and_counted(redirect_crawl, other_site,
                                                                                loop2_site):
    crawl = redirect_crawl
    assert crawl.rc == 0, crawl.log[-3000:]
    assert [i["title"] for i in crawl.items] == ["Council approves the good bridge"]
    assert other_site.requests() == []
    if loop2_site:
        assert loop2_site.requests() == []
    # every private redirect target and the two private meta refreshes
    assert crawl.stats["newscrawl/refused/private_address"] == len(crawl.private) + 2, crawl.stats


def test_redirects_and_meta_refresh_to_local_files_are_refused_and_never_read(redirect_crawl):
    crawl = redirect_crawl
    # 302 to file:, 301 to file:///etc/passwd, meta refresh to file: and to data:
    assert crawl.stats["newscrawl/refused/scheme"] == 4, crawl.stats
    assert MARKER not in crawl.log and MARKER not in json.dumps(crawl.items)
    assert "root:x:0:0" not in crawl.log
    assert "NotSupported" not in crawl.log      # refused before any handler was asked


def test_a_named_second_host_is_followed(http_site, other_site, tmp_path):
    other_site.add(f"{P}/named-target.html", page("named target"))
    url = http_site.add(f"{P}/r/to-named.html", "", status=302,
                        headers=redirect(other_site.url(f"{P}/named-target.html")))
    items, stats, rc, log = run_crawl(tmp_path, "article", {"urls": url},
                                      {"NEWSCRAWL_HEALTH_ENABLED": False,
                                       "NEWSCRAWL_ALLOWED_PRIVATE_HOSTS": f"127.0.0.1:{other_site.port}"})
    assert rc == 0, log[-3000:]
    assert [i["title"] for i in items] == ["Council approves the named target bridge"]
    assert other_site.requests(f"{P}/named-target.html") == [f"{P}/named-target.html"]
    assert "newscrawl/refused/private_address" not in stats


def test_sitemap_links_to_other_local_addresses_are_refused(http_site, other_site, tmp_path):
    other_site.add(f"{P}/sm/a.html", page("sitemap other"))
    good = http_site.add(f"{P}/sm/good.html", page("sitemap good"))
    locs = [good, other_site.url(f"{P}/sm/a.html"), f"http://localhost:{other_site.port}{P}/sm/a.html",
            f"http://2130706433:{other_site.port}{P}/sm/a.html", f"http://[::1]:{other_site.port}{P}/sm/a.html"]
    body = ('<?xml version="1.0"?><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
            + "".join(f"<url><loc>{u}</loc></url>" for u in locs) + "</urlset>")
    sitemap = http_site.add(f"{P}/sm/sitemap.xml", body, headers={"Content-Type": "application/xml"})
    items, stats, rc, log = run_crawl(tmp_path, "article", {"sitemap": sitemap}, {"NEWSCRAWL_HEALTH_ENABLED": False})
    assert rc == 0, log[-3000:]
    assert [i["title"] for i in items] == ["Council approves the sitemap good bridge"]
    assert other_site.requests(f"{P}/sm/") == []
    assert stats["newscrawl/refused/private_address"] == 4, stats


def test_resolver_refuses_private_names_when_the_gate_is_bypassed(http_site, other_site, tmp_path):
    """DNS rebinding: a name that passed a check and then resolves to a private address. With the
    gate middleware removed, the resolver still refuses the connection."""
    other_site.add(f"{P}/rebind/a.html", page("rebind"))
    urls = [http_site.add(f"{P}/rebind/{n}.html", "", status=302,
                          headers=redirect(f"http://{host}:{other_site.port}{P}/rebind/a.html"))
            for n, host in (("localhost", "localhost"), ("decimal", "2130706433"), ("hex", "0x7f.1"))]
    items, stats, rc, log = run_crawl(tmp_path, "article", {"urls": ",".join(urls)},
                                      {"NEWSCRAWL_HEALTH_ENABLED": False,
                                       "DOWNLOADER_MIDDLEWARES": json.dumps({"newscrawl.middlewares.urlgate.UrlGateMiddleware": None})})
    assert other_site.requests(f"{P}/rebind/") == [], log[-3000:]
    assert items == []
    assert "resolves to a non-public address" in log
    assert stats["newscrawl/refused/private_address"] == 3, stats


# ---- WARC -------------------------------------------------------------------------------------------


def test_warc_targets_that_are_not_web_urls_are_skipped_and_counted(tmp_path, http_site, secret_file):
    warc = tmp_path / "t.warc.gz"
    date = "2024-05-01T10:00:00Z"
    ctype = "text/html; charset=utf-8"
    bad = [secret_file.as_uri(), "file:///etc/passwd", f"data:text/html,{MARKER}", "ftp://example.com/a.html",
           "/relative/a.html", "http:///no-host.html", "javascript:alert(1)", "https://example.com/" + "a" * 5000]
    pages = [(u, page(f"bad target {n}").encode(), date, ctype) for n, u in enumerate(bad)]
    pages.append(("https://news.example.com/2024/05/01/good.html", page("archived").encode(), date, ctype))
    write_warc(str(warc), pages)
    items, stats, rc, log = run_crawl(tmp_path, "warc", {"path": str(warc)}, {"NEWSCRAWL_HEALTH_ENABLED": False})
    assert rc == 0, log[-3000:]
    assert [i["title"] for i in items] == ["Council approves the archived bridge"]
    assert stats["newscrawl/warc/skipped/bad_url"] == len(bad)
    assert stats["newscrawl/warc/records_replayed"] == 1
    assert MARKER not in log


def test_warc_meta_refresh_never_reaches_the_network(tmp_path, http_site):
    target = http_site.url(f"{P}/warc/refresh-target.html")
    http_site.add(f"{P}/warc/refresh-target.html", page("live"))
    warc = tmp_path / "r.warc.gz"
    write_warc(str(warc), [("https://news.example.com/moved.html", refresh(target).encode(),
                            "2024-05-01T10:00:00Z", "text/html")])
    # Default: the warc spider does not follow refreshes; switched on, the archive refuses them.
    for settings in ({}, {"METAREFRESH_ENABLED": True, "REDIRECT_ENABLED": True}):
        items, stats, rc, log = run_crawl(tmp_path, "warc", {"path": str(warc)},
                                          {"NEWSCRAWL_HEALTH_ENABLED": False, **settings})
        assert rc == 0, log[-3000:]
        assert http_site.requests(f"{P}/warc/") == [], settings
        assert items == []
        if settings:
            assert stats["newscrawl/refused/warc_redirect"] == 1, stats


class _Stats:
    def __init__(self):
        self.values = {}

    def inc_value(self, key, count=1):
        self.values[key] = self.values.get(key, 0) + count


def test_warc_replay_reads_only_the_files_the_spider_was_given(tmp_path):
    given = tmp_path / "given.warc.gz"
    write_warc(str(given), [("https://news.example.com/a.html", page("given").encode(), "2024-05-01T10:00:00Z",
                             "text/html")])
    stats = _Stats()
    crawler = SimpleNamespace(stats=stats, spider=SimpleNamespace(paths=[str(given)]))
    mw = WarcReplayMiddleware(stats, 1000, crawler)
    ok = Request("https://news.example.com/a.html", meta={"warc": {"path": str(given), "offset": 0}})
    assert mw.process_request(ok).status == 200
    # meta from a shared queue naming any other file is refused before the file is opened
    for ref in ({"path": "/etc/passwd", "offset": 0}, {"path": "/dev/zero", "offset": 0},
                {"path": str(given), "offset": "0"}, "not a dict"):
        with pytest.raises(IgnoreRequest):
            mw.process_request(Request("https://news.example.com/a.html", meta={"warc": ref}))
    assert stats.values["newscrawl/refused/warc_path"] == 4


def test_damaged_warc_records_are_logged_without_their_bytes(tmp_path):
    warc = tmp_path / "damaged.warc"
    good = BytesIO()
    writer = WARCWriter(good, gzip=False)
    http = StatusAndHeaders("200 OK", [("Content-Type", "text/html")], protocol="HTTP/1.1")
    body = page("after damage").encode()
    writer.write_record(writer.create_warc_record("https://news.example.com/ok.html", "response",
                                                  payload=BytesIO(body), http_headers=http,
                                                  warc_headers_dict={"WARC-Date": "2024-05-01T10:00:00Z"}))
    damaged = (f"WARC/1.0\r\nWARC-Type: response\r\nWARC-Record-ID: <urn:uuid:1>\r\nWARC-Date: 2024-05-01T10:00:00Z\r\n"
               f"Content-Length: {MARKER}\r\n\r\n{MARKER}\r\n\r\n").encode()
    warc.write_bytes(f"{MARKER} is not a WARC header\r\n\r\n".encode() + damaged + good.getvalue())
    items, stats, rc, log = run_crawl(tmp_path, "warc", {"path": str(warc)}, {"NEWSCRAWL_HEALTH_ENABLED": False})
    assert [i["title"] for i in items] == ["Council approves the after damage bridge"], log[-3000:]
    assert stats["newscrawl/warc/invalid_records"] >= 1
    assert MARKER not in log


# ---- no page content in log lines ---------------------------------------------------------------------


def test_no_log_line_prints_page_content(http_site, tmp_path):
    """Pages whose content is a marker, in every way a page can fail: the marker is never logged."""
    m = MARKER
    routes = {
        "not-xml.xml": (f"{m} {m} plain text, not a sitemap", "application/xml"),
        "unknown-root.xml": (f'<?xml version="1.0"?><{m}><loc>{m}</loc></{m}>', "application/xml"),
        "broken.xml": (f'<?xml version="1.0"?><urlset><url><lastmod>{m}</lastmod><news:title>{m}', "application/xml"),
        "html-as-sitemap.xml": (f"<html><head><title>{m}</title></head><body>{m}</body></html>", "text/html"),
        "bad-gzip.xml.gz": (b"\x1f\x8b\x08\x00" + m.encode() * 20, "application/octet-stream"),
    }
    discovery = []
    for name, (body, ctype) in routes.items():
        discovery.append(http_site.add(f"{P}/log/{name}", body, headers={"Content-Type": ctype}))
    articles = [
        http_site.add(f"{P}/log/short.html", f"<html><head><title>{m}</title></head><body><p>{m}</p></body></html>"),
        http_site.add(f"{P}/log/no-title.html", f"<html><body><p>{m} " * 50 + "</p></body></html>"),
        http_site.add(f"{P}/log/binary.html", (m.encode() + b"\x00\xff\xfe") * 100),
        http_site.add(f"{P}/log/not-html.html", f"{m} as a page", headers={"Content-Type": f"application/x-{m}"}),
        http_site.add(f"{P}/log/script.html", f"<html><head><title>{m}</title><script>{m}</script></head></html>"),
        http_site.add(f"{P}/log/refresh.html", refresh(f"data:text/html,{m}")),
        http_site.add(f"{P}/log/redirect.html", f"{m} in the body of a redirect", status=302,
                      headers=redirect("file:///etc/passwd")),
        http_site.add(f"{P}/log/jsonld.html", article_html("A fine headline", head=(
            f'<script type="application/ld+json">{{"@type": "NewsArticle", "headline": [{m}</script>'))),
    ]
    items, stats, rc, log = run_crawl(tmp_path, "article", {"sitemap": ",".join(discovery), "urls": ",".join(articles)},
                                      {"NEWSCRAWL_HEALTH_ENABLED": False})
    assert stats["newscrawl/discovery/invalid"] >= 3, log[-3000:]      # not XML, unknown root, bad gzip
    assert stats["newscrawl/refused/scheme"] == 2
    assert m.lower() not in log.lower(), [line for line in log.splitlines() if m.lower() in line.lower()]


# ---- the browser ------------------------------------------------------------------------------------


def test_rendered_pages_cannot_load_local_files_or_private_addresses():
    from newscrawl import urlgate
    from newscrawl.render.handler import abort_request

    def req(url, kind="script"):
        return SimpleNamespace(url=url, resource_type=kind)

    named = _Crawler(urls=["http://127.0.0.1:5000/a.html"])
    urlgate.GATED.add(named)
    try:
        for url in ("file:///etc/passwd", "ftp://example.com/x", "http://127.0.0.1:5001/api",
                    "http://localhost:6379/", "http://169.254.169.254/latest/meta-data/", "http://[::1]/",
                    "http://2130706433/", "http://0x7f.1:5000/", "chrome://settings"):
            assert abort_request(req(url, "fetch")), url
        for url in ("http://127.0.0.1:5000/app.js", "https://news.example/app.js",
                    "data:text/javascript,1", "blob:https://news.example/1", "about:blank"):
            assert not abort_request(req(url)), url
    finally:
        urlgate.GATED.discard(named)
