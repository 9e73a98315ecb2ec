"""Failures are reported as failures (issue 17 §6): the crawl's outcome (ok / degraded / failed) and
its exit code (0 / 5 / 3) from what happened to the articles, in the log, the stats and crawl_runs;
operator errors (an unknown `-a` name, a bad value or setting) as one clean line and exit code 2;
`ops scrapyd` refusing a network address without authentication.

Crawls run as `scrapy crawl` subprocesses against pages on 127.0.0.1 and the real
MongoDB-compatible server; the misbehaving components are in tests/runs/outcome_components.py."""

import json
import os
import signal
import socket
import subprocess
import sys
import time
from urllib.request import urlopen

import pytest

from conftest import REPO, article_html, run_crawl
from newscrawl import settings as project_settings
from newscrawl.runs.health import OUTCOME_EXIT_CODES, outcome
from newscrawl.ops.server import is_loopback
from newscrawl.spiders.base import known_arguments
from newscrawl.spiders.sources import SourceSpider
from newscrawl.storage.articles import ArticleStore
from mongo_server import EmbeddedServer
from outcome_components import BOOM, PIPELINE_FAIL, BoomSpider


def story(n: int, topic: str = "harbour") -> str:
    """An article page whose text is its own (no near-duplicate of another story)."""
    paragraphs = [f"Story {n} about the {topic}: the council of district {n} voted {n * 7} to {n + 2} on "
                  f"the new {topic} plan after a debate that lasted until {n % 12 + 1} in the morning.",
                  f"Residents of street {n * 13} said the {topic} works would begin in month {n % 11 + 1} "
                  f"and cost {n * 101} thousand, according to figures published on day {n}.",
                  f"A spokesperson for the {topic} office number {n} declined to comment on the {n * 3} "
                  f"objections filed by the neighbourhood association of ward {n + 40}."]
    return article_html(f"Story {n} on the {topic}", published="2026-11-20T08:00:00Z", paragraphs=paragraphs)


def store_settings(mongo_db, tmp_path) -> dict:
    return {**mongo_db.settings, "MONGODB_FLUSH_SECONDS": 0.2, "MONGODB_SPOOL_DIR": str(tmp_path / "spool")}


def outcome_lines(log: str) -> list[str]:
    return [line for line in log.splitlines() if "Crawl outcome of " in line]


def closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


# ---- the outcome function ------------------------------------------------------------------------

STORED = {"item_scraped_count": 3, "newscrawl/mongodb/inserted": 3}
HEALTH_OK = {"status": "ok", "reasons": []}

OUTCOME_CASES = [
    # (case, stats, close reason, health, storing, outcome, words every reason list must contain)
    ("stored", STORED, "finished", HEALTH_OK, True, "ok", []),
    ("revised, unchanged and updated count as stored",
     {"item_scraped_count": 3, "newscrawl/mongodb/unchanged": 1, "newscrawl/mongodb/updated": 1,
      "newscrawl/mongodb/revised": 1}, "finished", HEALTH_OK, True, "ok", []),
    ("every copy an alias of a stored article: nothing new to store",
     {"newscrawl/dropped/duplicate_content": 4, "newscrawl/mongodb/aliased": 4}, "finished", HEALTH_OK, True, "ok", []),
    ("incremental: nothing new at all", {"newscrawl/discovery/already_stored": 40}, "finished", HEALTH_OK, True,
     "ok", []),
    ("max_articles reached", STORED, "max_articles", HEALTH_OK, True, "ok", []),
    ("without the store, items exported", {"item_scraped_count": 3}, "finished", None, False, "ok", []),
    ("some spooled", {**STORED, "newscrawl/mongodb/spooled": 2}, "finished", HEALTH_OK, True, "degraded",
     ["2 article(s) spooled"]),
    ("some rejected, with the reason", {**STORED, "newscrawl/mongodb/rejected": 1,
                                        "newscrawl/mongodb/rejected/bson": 1}, "finished", HEALTH_OK, True,
     "degraded", ["1 document(s) rejected", "bson: 1"]),
    ("some lost", {**STORED, "newscrawl/mongodb/lost": 1}, "finished", HEALTH_OK, True, "degraded",
     ["1 article(s) lost"]),
    ("an alias write matched nothing", {**STORED, "newscrawl/mongodb/alias_errors": 1}, "finished", HEALTH_OK, True,
     "degraded", ["1 alias write(s)"]),
    ("a pipeline stage lost an item", {**STORED, "newscrawl/pipeline/errors": 1,
                                       "newscrawl/pipeline/errors/dedupe": 1}, "finished", HEALTH_OK, True,
     "degraded", ["1 item(s) lost to pipeline errors (dedupe: 1)"]),
    ("pipeline errors counted by stage only", {**STORED, "newscrawl/pipeline/errors/store": 2}, "finished",
     HEALTH_OK, True, "degraded", ["2 item(s) lost to pipeline errors"]),
    ("a callback raised", {**STORED, "spider_exceptions/count": 1, "spider_exceptions/KeyError": 1}, "finished",
     HEALTH_OK, True, "degraded", ["1 spider callback exception(s) (KeyError: 1)"]),
    ("stopped by a signal", STORED, "shutdown", HEALTH_OK, True, "degraded", ["closed early (shutdown)"]),
    ("without the store, one item lost in a pipeline", {"item_scraped_count": 2, "newscrawl/pipeline/errors": 1},
     "finished", None, False, "degraded", ["1 item(s) lost"]),
    ("everything spooled", {"item_scraped_count": 5, "newscrawl/mongodb/spooled": 5}, "finished", HEALTH_OK, True,
     "failed", ["stored nothing", "5 article(s) spooled"]),
    ("everything lost", {"item_scraped_count": 5, "newscrawl/mongodb/lost": 5}, "finished", HEALTH_OK, True,
     "failed", ["stored nothing", "5 article(s) lost"]),
    ("everything rejected", {"item_scraped_count": 2, "newscrawl/mongodb/rejected": 2}, "finished", HEALTH_OK, True,
     "failed", ["stored nothing"]),
    ("items passed the pipelines, the store counted nothing", {"item_scraped_count": 4}, "finished", HEALTH_OK,
     True, "failed", ["stored nothing"]),
    ("every alias write failed", {"newscrawl/mongodb/alias_errors": 3}, "finished", HEALTH_OK, True, "failed",
     ["stored nothing", "3 alias write(s)"]),
    ("every page's callback raised", {"spider_exceptions/count": 4, "spider_exceptions/TypeError": 4}, "finished",
     HEALTH_OK, True, "failed", ["stored nothing", "4 spider callback exception(s)"]),
    ("without the store, every item lost in a pipeline", {"newscrawl/pipeline/errors": 3}, "finished", None, False,
     "failed", ["no article passed the pipelines"]),
    ("MongoDB unreachable at open", {}, "mongodb_unreachable", HEALTH_OK, True, "failed", ["mongodb_unreachable"]),
    ("neither store nor spool", {**STORED, "newscrawl/mongodb/spooled": 1}, "storage_unavailable", HEALTH_OK, True,
     "failed", ["storage_unavailable", "1 article(s) spooled"]),
    ("Redis gone", STORED, "redis_unavailable", HEALTH_OK, True, "failed", ["redis_unavailable"]),
    ("health check failed", STORED, "finished", {"status": "failed", "reasons": ["every request failed (3 requests"]},
     True, "failed", ["health: every request failed"]),
]


@pytest.mark.parametrize("stats, reason, health, storing, expected, words",
                         [c[1:] for c in OUTCOME_CASES], ids=[c[0] for c in OUTCOME_CASES])
def test_outcome_of_stats_and_close_reason(stats, reason, health, storing, expected, words):
    status, reasons = outcome(stats, reason, health, storing=storing)
    assert status == expected, reasons
    assert bool(reasons) == (status != "ok")
    text = "; ".join(reasons)
    for word in words:
        assert word in text, text


def test_outcome_exit_codes_are_the_documented_ones():
    assert OUTCOME_EXIT_CODES == {"ok": 0, "degraded": 5, "failed": 3}


# ---- outcomes of real crawls ---------------------------------------------------------------------

def test_normal_crawl_is_ok_exit_0_and_recorded(http_site, tmp_path, mongo_db):
    urls = [http_site.add(f"/outcome-ok/{n}.html", story(n)) for n in range(3)]
    items, stats, rc, log = run_crawl(tmp_path, "article", {"urls": ",".join(urls)}, store_settings(mongo_db, tmp_path))
    assert rc == 0, log[-3000:]
    assert stats["newscrawl/outcome/status"] == "ok" and stats["newscrawl/outcome/exit_code"] == 0
    assert stats["newscrawl/mongodb/inserted"] == 3 and mongo_db.store.articles.count_documents({}) == 3
    [line] = outcome_lines(log)
    assert "INFO: Crawl outcome of article: ok (exit code 0)" in line
    run = mongo_db.db.crawl_runs.find_one({"run_id": stats["newscrawl/run_id"]})
    assert run["status"] == "finished" and run["outcome"] == "ok" and run["outcome_reasons"] == []


def test_store_unreachable_fails_exit_3(http_site, tmp_path):
    """Nothing listens at MONGODB_URI: whether the spider closes at once (`mongodb_unreachable`) or
    spools every article, nothing is stored and the run failed."""
    urls = [http_site.add(f"/outcome-nostore/{n}.html", story(n, "ferry")) for n in range(3)]
    settings = {"MONGODB_ENABLED": True, "MONGODB_URI": f"mongodb://127.0.0.1:{closed_port()}",
                "MONGODB_DATABASE": "unreachable", "MONGODB_SERVER_TIMEOUT_MS": 300, "MONGODB_RETRY_ATTEMPTS": 1,
                "MONGODB_RETRY_BACKOFF_SECONDS": 0.05, "MONGODB_FLUSH_SECONDS": 0.2,
                "MONGODB_SPOOL_DIR": str(tmp_path / "spool")}
    items, stats, rc, log = run_crawl(tmp_path, "article", {"urls": ",".join(urls)}, settings)
    assert rc == OUTCOME_EXIT_CODES["failed"] == 3, log[-3000:]
    assert stats["newscrawl/outcome/status"] == "failed"
    assert not any(stats.get(f"newscrawl/mongodb/{k}") for k in ("inserted", "updated", "unchanged"))
    [line] = outcome_lines(log)
    assert "ERROR: Crawl outcome of article: failed (exit code 3): " in line
    assert "mongodb_unreachable" in line or ("stored nothing" in line and "3 article(s) spooled" in line), line
    assert "Traceback" not in log and "Crawl health check FAILED" not in log   # no false health verdict


def test_callback_exception_on_one_page_degrades_exit_5(http_site, tmp_path, mongo_db):
    good = [http_site.add(f"/outcome-cb/{n}.html", story(n, "bridge")) for n in range(2)]
    bad = http_site.add(f"/outcome-cb{BOOM}x.html", story(9, "bridge"))
    settings = {**store_settings(mongo_db, tmp_path), "SPIDER_MODULES": "tests.runs.outcome_components"}
    items, stats, rc, log = run_crawl(tmp_path, BoomSpider.name, {"urls": ",".join(good + [bad])}, settings)
    assert rc == OUTCOME_EXIT_CODES["degraded"] == 5, log[-3000:]
    assert stats["spider_exceptions/RuntimeError"] == 1 and stats["newscrawl/mongodb/inserted"] == 2
    [line] = outcome_lines(log)
    assert "WARNING: Crawl outcome of article_boom: degraded (exit code 5): 1 spider callback exception(s)" in line
    run = mongo_db.db.crawl_runs.find_one({"run_id": stats["newscrawl/run_id"]})
    assert run["outcome"] == "degraded" and run["status"] == "finished"
    assert any("spider callback exception" in r for r in run["outcome_reasons"])


def test_pipeline_error_losing_one_article_degrades_exit_5(http_site, tmp_path, mongo_db):
    good = [http_site.add(f"/outcome-pipe/{n}.html", story(n, "tram")) for n in range(2)]
    bad = http_site.add(f"/outcome-pipe{PIPELINE_FAIL}x.html", story(7, "tram"))
    pipelines = {**project_settings.ITEM_PIPELINES, "tests.runs.outcome_components.LoseOnePipeline": 250}
    settings = {**store_settings(mongo_db, tmp_path), "ITEM_PIPELINES": json.dumps(pipelines)}
    items, stats, rc, log = run_crawl(tmp_path, "article", {"urls": ",".join(good + [bad])}, settings)
    assert rc == 5, log[-3000:]
    assert stats["newscrawl/pipeline/errors"] == 1 and stats["newscrawl/mongodb/inserted"] == 2
    assert mongo_db.store.articles.count_documents({}) == 2
    [line] = outcome_lines(log)
    assert "degraded (exit code 5): 1 item(s) lost to pipeline errors" in line


def test_pipeline_losing_every_article_fails_exit_3(http_site, tmp_path):
    urls = [http_site.add(f"/outcome-pipeall{PIPELINE_FAIL}{n}.html", story(n, "canal")) for n in range(2)]
    pipelines = {**project_settings.ITEM_PIPELINES, "tests.runs.outcome_components.LoseOnePipeline": 250}
    items, stats, rc, log = run_crawl(tmp_path, "article", {"urls": ",".join(urls)},
                                      {"ITEM_PIPELINES": json.dumps(pipelines)})
    assert rc == 3 and items == [], log[-3000:]
    [line] = outcome_lines(log)
    assert "failed (exit code 3): no article passed the pipelines" in line


def test_run_of_duplicates_and_aliases_only_is_ok(http_site, tmp_path, mongo_db):
    """Nothing new to store is not a failure: the second run fetches the stored page again and a
    copy of its text under another URL (an alias)."""
    first = http_site.add("/outcome-dup/a.html", story(1, "pier"))
    copy = http_site.add("/outcome-dup/a-copy.html", story(1, "pier"))
    settings = store_settings(mongo_db, tmp_path)
    _, stats, rc, log = run_crawl(tmp_path, "article", {"urls": first}, settings)
    assert rc == 0 and stats["newscrawl/mongodb/inserted"] == 1, log[-3000:]
    _, stats, rc, log = run_crawl(tmp_path, "article", {"urls": f"{first},{copy}"}, settings)
    assert rc == 0, log[-3000:]
    assert stats["newscrawl/outcome/status"] == "ok"
    assert not stats.get("newscrawl/mongodb/inserted")
    assert mongo_db.store.articles.count_documents({}) == 1


class AuthFerretDB(EmbeddedServer):
    """FerretDB with authentication (its SCRAM users, `--test-enable-new-auth`) and one user."""

    USER, PASSWORD = "crawler", "right-password"

    def command(self):
        return super().command() + ["--test-enable-new-auth", f"--setup-username={self.USER}",
                                    f"--setup-password={self.PASSWORD}", "--setup-database=admin"]


@pytest.fixture
def auth_server(tmp_path):
    server = AuthFerretDB(tmp_path / "authdb")
    if server.kind != "ferretdb":
        pytest.skip("authentication is set up for FerretDB only")
    server.start()
    yield server
    server.stop()


def test_store_rejecting_credentials_fails_exit_3_with_an_error_line(http_site, tmp_path, auth_server):
    urls = [http_site.add(f"/outcome-auth/{n}.html", story(n, "quay")) for n in range(2)]
    uri = f"mongodb://{AuthFerretDB.USER}:wrong-password@127.0.0.1:{auth_server.port}/?authSource=admin"
    settings = {"MONGODB_ENABLED": True, "MONGODB_URI": uri, "MONGODB_DATABASE": "authtest",
                "MONGODB_SERVER_TIMEOUT_MS": 1000, "MONGODB_RETRY_ATTEMPTS": 1, "MONGODB_RETRY_BACKOFF_SECONDS": 0.05,
                "MONGODB_FLUSH_SECONDS": 0.2, "MONGODB_SPOOL_DIR": str(tmp_path / "spool")}
    items, stats, rc, log = run_crawl(tmp_path, "article", {"urls": ",".join(urls)}, settings)
    assert rc == 3, log[-3000:]
    [line] = outcome_lines(log)
    assert "ERROR: Crawl outcome of article: failed (exit code 3)" in line
    assert "mongodb_unreachable" in line or "stored nothing" in line, line
    assert "wrong-password" not in log
    # The store says why, at ERROR: authentication, not a generic failure.
    assert any("ERROR" in l and "Authentication failed" in l for l in log.splitlines()), log[-3000:]
    right = ArticleStore(f"mongodb://{AuthFerretDB.USER}:{AuthFerretDB.PASSWORD}@127.0.0.1:{auth_server.port}/"
                         "?authSource=admin", "authtest", "articles", server_timeout_ms=3000)
    try:
        assert right.articles.count_documents({}) == 0
    finally:
        right.close()


# ---- operator errors: one line, exit code 2 ------------------------------------------------------

def scrapy_crawl(spider: str, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "scrapy", "crawl", spider, *args, "-s", "MONGODB_ENABLED=false",
                           "-s", "TELNETCONSOLE_ENABLED=false"],
                          cwd=REPO, capture_output=True, text=True, timeout=120)


@pytest.mark.parametrize("spider, args, name", [
    ("article", ["-a", "urls=http://127.0.0.1:9/a", "-a", "nope=1"], "nope"),
    ("article", ["-a", "urls=http://127.0.0.1:9/a", "-a", "max_articles=abc"], "max_articles"),
    ("article", ["-a", "urls=http://127.0.0.1:9/a", "-a", "since=yesterday"], "since"),
    ("article", ["-a", "urls=http://127.0.0.1:9/a", "-a", "name=other"], "name"),
    ("article", ["-a", "urls=www.example.com/a"], "urls"),       # the message quotes the value: named
    ("article", ["-a", "urls=https://a.example/", "-a", "rss=file:///etc/passwd"], "rss"),
    ("abc_es", ["-a", "sections=unknown"], "sections"),
    ("abc_es", ["-a", "until=2020-01-01", "-a", "since=2021-01-01"], "until"),
    ("abc_es", ["-a", "refresh=maybe"], "refresh"),
    ("abc_es", ["-a", "urls=http://127.0.0.1:9/a"], "urls"),   # the article spider's, not a source's
])
def test_argument_error_is_one_line_and_exit_2(spider, args, name):
    proc = scrapy_crawl(spider, *args)
    assert proc.returncode == 2, proc.stderr[-3000:]
    assert "Traceback" not in proc.stderr and "[asyncio]" not in proc.stderr and "never retrieved" not in proc.stderr
    errors = [line for line in proc.stderr.splitlines() if f"-a {name}" in line]
    assert len(errors) == 1 and errors[0].startswith(f"scrapy crawl {spider}: error: -a {name}"), proc.stderr[-3000:]
    assert proc.stderr.rstrip().endswith(errors[0])   # the last word, nothing after it
    assert "Spider opened" not in proc.stderr


def test_unknown_argument_lists_the_known_ones_from_the_init_chain():
    proc = scrapy_crawl("abc_es", "-a", "sectoins=espana")
    assert proc.returncode == 2
    line = proc.stderr.strip().splitlines()[-1]
    assert "-a sectoins: not an argument of spider 'abc_es'; it takes " in line
    assert line.endswith(", ".join(known_arguments(SourceSpider))), line
    assert {"max_articles", "refresh", "sections", "since", "until"} <= set(known_arguments(SourceSpider))
    # A subclass's own parameter is an argument without being declared anywhere else.
    assert "marker" in known_arguments(BoomSpider) and "urls" in known_arguments(BoomSpider)
    assert "marker" not in known_arguments(SourceSpider)


def test_scrapyd_arguments_are_not_unknown(http_site, tmp_path):
    url = http_site.add("/outcome-scrapyd/a.html", story(3, "lock"))
    items, stats, rc, log = run_crawl(tmp_path, "article", {"urls": url, "_job": "job-42", "_version": "17"})
    assert rc == 0 and len(items) == 1, log[-3000:]


def test_bad_setting_is_one_line_and_exit_2():
    proc = scrapy_crawl("article", "-a", "urls=http://127.0.0.1:9/a", "-s", "NEWSCRAWL_MALLOC_MMAP_THRESHOLD=999999999")
    assert proc.returncode == 2 and "Traceback" not in proc.stderr, proc.stderr[-3000:]
    assert proc.stderr.rstrip().splitlines()[-1].startswith(
        "scrapy crawl article: error: NEWSCRAWL_MALLOC_MMAP_THRESHOLD=999999999")


@pytest.mark.parametrize("setting, what", [
    ("MONGODB_BUFFER_SIZE=abc", "must be a number"),            # ours
    ("NEWSCRAWL_HEALTH_ENABLED=maybe", "must be true or false"),
    ("CONCURRENT_REQUESTS=many", "must be a number"),           # Scrapy's
    ("DOWNLOAD_DELAY=soon", "must be a number"),
])
def test_setting_of_the_wrong_type_is_one_line_and_exit_2(setting, what):
    proc = scrapy_crawl("article", "-a", "urls=http://127.0.0.1:9/a", "-s", setting)
    assert proc.returncode == 2 and "Traceback" not in proc.stderr, proc.stderr[-3000:]
    name, value = setting.split("=")
    assert [line for line in proc.stderr.splitlines() if name in line] == [
        f"scrapy crawl article: error: -s {name}={value!r} {what}"]
    assert "Spider opened" not in proc.stderr


def test_unknown_setting_of_ours_is_one_line_and_exit_2():
    proc = scrapy_crawl("article", "-a", "urls=http://127.0.0.1:9/a", "-s", "MONGODB_BUFER_SIZE=10")
    assert proc.returncode == 2 and "Traceback" not in proc.stderr, proc.stderr[-3000:]
    assert proc.stderr.rstrip().splitlines()[-1] == (
        "scrapy crawl article: error: -s MONGODB_BUFER_SIZE: not a newscrawl setting; did you mean MONGODB_BUFFER_SIZE?")


def test_settings_of_the_right_type_pass_the_check():
    # A number for an integer default (Scrapy's DOWNLOAD_TIMEOUT = 180) and a boolean word are
    # fine: the crawl goes on to the argument check, which refuses the URL.
    proc = scrapy_crawl("article", "-a", "urls=not-a-url", "-s", "DOWNLOAD_TIMEOUT=7.5", "-s",
                        "NEWSCRAWL_HEALTH_ENABLED=False", "-s", "MONGODB_FLUSH_SECONDS=1")
    assert proc.returncode == 2
    assert proc.stderr.rstrip().splitlines()[-1] == "scrapy crawl article: error: -a urls: not an http(s) URL: 'not-a-url'"


def test_missing_browser_for_rendering_is_one_line_and_exit_2(tmp_path):
    missing = str(tmp_path / "no-chromium")
    proc = subprocess.run([sys.executable, "-m", "scrapy", "crawl", "article", "-a", "urls=http://127.0.0.1:9/a",
                           "-a", "render=true", "-s", "MONGODB_ENABLED=false"], cwd=REPO, capture_output=True,
                          text=True, timeout=120, env={**os.environ, "NEWSCRAWL_CHROMIUM": missing})
    assert proc.returncode == 2 and "Traceback" not in proc.stderr, proc.stderr[-3000:]
    last = proc.stderr.rstrip().splitlines()[-1]
    assert last.startswith("scrapy crawl article: error: BrowserNotFound: ") and missing in last


def test_other_start_errors_keep_their_traceback_and_exit_1(tmp_path):
    """Only operator errors are shortened: a bug while starting is still printed in full."""
    pipelines = {"tests.runs.outcome_components.NoSuchPipeline": 100}
    proc = scrapy_crawl("article", "-a", "urls=http://127.0.0.1:9/a", "-s", f"ITEM_PIPELINES={json.dumps(pipelines)}")
    assert proc.returncode == 1
    assert "Traceback" in proc.stderr and "NoSuchPipeline" in proc.stderr


@pytest.mark.parametrize("job, message", [
    ('args = { max_articels = 200 }',
     "error: job 'abc_es': args 'max_articels' is not an argument of spider 'abc_es'; it takes "),
    ('args = { max_articles = 200 }\nsettings = { DOWNLOAD_DELAY = "soon" }',
     "error: job 'abc_es': settings: DOWNLOAD_DELAY='soon' must be a number"),
    ('settings = { MONGODB_BUFER_SIZE = 10 }',
     "error: job 'abc_es': settings: MONGODB_BUFER_SIZE: not a newscrawl setting; did you mean MONGODB_BUFFER_SIZE?"),
])
def test_schedule_with_a_bad_argument_or_setting_is_refused_before_scrapyd(tmp_path, job, message):
    """The same checks as `scrapy crawl`, at scheduling time: nothing scheduled, exit code 2, one line
    (scrapyd is not even asked: its URL here answers nothing)."""
    path = tmp_path / "schedules.toml"
    path.write_text(f'[[job]]\nspider = "abc_es"\nevery = "30m"\n{job}\n', encoding="utf-8")
    proc = subprocess.run([sys.executable, "-m", "newscrawl.ops", "schedule", "--file", str(path), "--state",
                           str(tmp_path / "state.json"), "--url", f"http://127.0.0.1:{closed_port()}/"],
                          cwd=REPO, capture_output=True, text=True, timeout=60)
    assert proc.returncode == 2 and proc.stdout == "", proc.stdout + proc.stderr
    assert proc.stderr.strip().startswith(message) and len(proc.stderr.strip().splitlines()) == 1, proc.stderr
    assert not (tmp_path / "state.json").exists()


# ---- ops scrapyd: no network address without authentication -------------------------------------

def ops_scrapyd(tmp_path, *args, env=None, **kw):
    env = {k: v for k, v in os.environ.items() if not k.startswith("SCRAPYD_")} | (env or {})
    return subprocess.run([sys.executable, "-m", "newscrawl.ops", "scrapyd", "--home", str(tmp_path / "sd"), *args],
                          cwd=REPO, env=env, capture_output=True, text=True, timeout=60, **kw)


@pytest.mark.parametrize("args, env", [
    (["--bind", "0.0.0.0"], {}),
    (["--bind", "0.0.0.0", "--no-auth"], {}),
    (["--bind", "::", "--no-auth"], {}),
    (["--bind", "10.0.0.5", "--no-auth"], {}),
    (["--bind", "0.0.0.0", "--no-auth"], {"SCRAPYD_USERNAME": "ops"}),                  # half the credentials
    (["--bind", "127.0.0.1", "--no-auth"], {"SCRAPYD_BIND_ADDRESS": "0.0.0.0"}),        # what scrapyd will use
])
def test_ops_scrapyd_refuses_a_network_address_without_auth(tmp_path, args, env):
    proc = ops_scrapyd(tmp_path, *args, env=env)
    assert proc.returncode == 2
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 1 and "without authentication" in lines[0] and "SCRAPYD_PASSWORD" in lines[0], proc.stderr


def test_loopback_detection():
    assert all(is_loopback(a) for a in ("127.0.0.1", "127.0.0.2", "::1", "[::1]", "localhost", "::ffff:127.0.0.1"))
    assert not any(is_loopback(a) for a in ("0.0.0.0", "::", "10.0.0.5", "192.168.1.1", "example.invalid"))


def test_ops_scrapyd_on_loopback_without_auth_still_runs(tmp_path):
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    env = {k: v for k, v in os.environ.items() if not k.startswith("SCRAPYD_")}
    proc = subprocess.Popen([sys.executable, "-m", "newscrawl.ops", "scrapyd", "--home", str(tmp_path / "sd"),
                             "--port", str(port), "--no-auth"], cwd=REPO, env=env, stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL, start_new_session=True)
    try:
        deadline = time.monotonic() + 30
        while True:
            assert proc.poll() is None, "scrapyd exited"
            try:
                with urlopen(f"http://127.0.0.1:{port}/daemonstatus.json", timeout=2) as resp:
                    assert json.loads(resp.read())["status"] == "ok"
                    break
            except OSError:
                assert time.monotonic() < deadline, "scrapyd did not answer"
                time.sleep(0.2)
    finally:
        os.killpg(proc.pid, signal.SIGTERM)
        proc.wait(timeout=15)
