"""Operations end to end with the real thing: scrapyd (started by `python -m newscrawl.ops scrapyd`
on a free loopback port, basic auth, its working directory a temporary folder with the generated
scrapyd.conf), the egg deployed by `python -m newscrawl.ops deploy`, crawls of a local source
scheduled by `python -m newscrawl.ops schedule`, articles and crawl_runs in the real
MongoDB-compatible server. Then the test site's layout breaks and the failure must be detected,
logged and recorded."""

import base64
import json
import os
import signal
import socket
import subprocess
import sys
import time
from urllib.error import HTTPError
from urllib.request import Request, urlopen

import pytest

from conftest import REPO, article_html
from newscrawl.ops.schedule import load_schedule
from newscrawl.sources import SOURCES

USER, PASSWORD = "ops", "e2e-secret-pw"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_for(predicate, timeout: float, what: str, interval: float = 0.2):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(interval)
    raise AssertionError(f"timed out after {timeout}s waiting for {what}")


def api(url: str, endpoint: str, *, auth: bool = True, data: bytes | None = None):
    req = Request(url + endpoint, data=data)
    if auth:
        req.add_header("Authorization", "Basic " + base64.b64encode(f"{USER}:{PASSWORD}".encode()).decode())
    with urlopen(req, timeout=10) as resp:
        return json.loads(resp.read())


def ops(*args, env, timeout=120) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "newscrawl.ops", *args], cwd=REPO, env=env, capture_output=True,
                          text=True, timeout=timeout)


def test_committed_schedule_file_names_known_spiders():
    entries = load_schedule(REPO / "schedules.toml")
    assert entries and all(e.spider in SOURCES and e.every.total_seconds() >= 60 for e in entries)


def test_committed_schedule_crawls_every_declared_source():
    assert {e.spider for e in load_schedule(REPO / "schedules.toml")} == set(SOURCES)


def paragraphs(n: int) -> list[str]:
    return [f"Operations story {n}: the harbour board met on day {n} and approved budget line {n * 11} after a "
            f"long debate about the quay, the ferries and the night trains serving district {n}.",
            f"A second paragraph for story {n} quotes {n + 2} councillors and a report on {n + 1990} figures "
            f"published by the regional transport office last week."]


def sitemap(site, entries) -> str:
    urls = "".join(f"<url><loc>{site.url(p)}</loc><news:news><news:publication><news:name>Ops</news:name>"
                   f"<news:language>en</news:language></news:publication><news:publication_date>{d}"
                   f"</news:publication_date><news:title>t</news:title></news:news></url>" for p, d in entries)
    return ('<?xml version="1.0" encoding="UTF-8"?><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9" '
            'xmlns:news="http://www.google.com/schemas/sitemap-news/0.9">' + urls + "</urlset>")


@pytest.fixture
def scrapyd(tmp_path, mongo_db, http_site):
    prefix = f"/ops{tmp_path.name[-6:]}"
    sources = tmp_path / "sources.json"
    sources.write_text(json.dumps([{
        "slug": "opsnews", "name": "Ops News", "domains": ["127.0.0.1"], "language": "en",
        "timezone": "Europe/London", "feeds": [{"kind": "news_sitemap", "url": http_site.url(f"{prefix}/sitemap.xml")}],
        "article_url": r"/news/\d{4}/", "concurrency": 1, "delay": 1.0}]))
    port = free_port()
    url = f"http://127.0.0.1:{port}/"
    env = {**os.environ, "SCRAPYD_USERNAME": USER, "SCRAPYD_PASSWORD": PASSWORD, "SCRAPYD_URL": url,
           "MONGODB_URI": mongo_db.uri, "NEWSCRAWL_EXTRA_SOURCES": str(sources)}
    home = tmp_path / "scrapyd"
    log = open(tmp_path / "scrapyd.out", "wb")
    proc = subprocess.Popen([sys.executable, "-m", "newscrawl.ops", "scrapyd", "--home", str(home), "--port", str(port),
                             "--poll-interval", "0.2"], cwd=REPO, env=env, stdout=log, stderr=subprocess.STDOUT,
                            start_new_session=True)
    try:
        def up():
            assert proc.poll() is None, (tmp_path / "scrapyd.out").read_text()
            try:
                return api(url, "daemonstatus.json")["status"] == "ok"
            except OSError:
                return False
        wait_for(up, 30, "scrapyd to answer")
        yield {"url": url, "env": env, "home": home, "site": http_site, "prefix": prefix, "tmp": tmp_path,
               "out": tmp_path / "scrapyd.out"}
    finally:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGTERM)
            try:
                proc.wait(timeout=15)
            except subprocess.TimeoutExpired:
                os.killpg(proc.pid, signal.SIGKILL)
                proc.wait(timeout=5)
        log.close()


def test_deploy_schedule_crawl_refuse_and_detect_failure(scrapyd, mongo_db):
    url, env, site, prefix, tmp = scrapyd["url"], scrapyd["env"], scrapyd["site"], scrapyd["prefix"], scrapyd["tmp"]
    home = scrapyd["home"]

    # The generated configuration: loopback, absolute folders, no credentials in the file.
    conf = (home / "scrapyd.conf").read_text()
    assert "bind_address = 127.0.0.1" in conf and PASSWORD not in conf
    for key in ("logs_dir", "items_dir", "eggs_dir", "dbs_dir"):
        assert f"{key} = {home.resolve()}/" in conf

    # Unauthenticated requests are refused.
    for endpoint, data in (("daemonstatus.json", None), ("listprojects.json", None),
                           ("schedule.json", b"project=newscrawl&spider=opsnews")):
        with pytest.raises(HTTPError) as err:
            api(url, endpoint, auth=False, data=data)
        assert err.value.code == 401
    no_creds = {k: v for k, v in env.items() if k not in ("SCRAPYD_USERNAME", "SCRAPYD_PASSWORD")}

    # Deploy the egg.
    out = ops("deploy", env=env, timeout=180)
    assert out.returncode == 0 and "deployed newscrawl version" in out.stdout, out.stdout + out.stderr
    assert "opsnews" in api(url, "listspiders.json?project=newscrawl")["spiders"]

    # The test site: four articles with bylines and dates, served one per second (the source's delay).
    dated = [(f"{prefix}/news/2026/story-{n}.html", f"2026-11-2{n}T08:00:00+00:00") for n in range(1, 5)]
    for n, (path, date) in enumerate(dated, 1):
        site.add(path, article_html(f"Harbour story number {n}", published=date, paragraphs=paragraphs(n),
                                    head='<meta name="author" content="Jane Harbourmaster">'))
    site.add(f"{prefix}/sitemap.xml", sitemap(site, dated))
    schedule = tmp / "schedules.toml"
    schedule.write_text("""
[[job]]
spider = "opsnews"
every = "1s"
settings = { AUTOTHROTTLE_ENABLED = false, ROBOTSTXT_OBEY = false, TELNETCONSOLE_ENABLED = false, \
MONGODB_FLUSH_SECONDS = 0.2, NEWSCRAWL_HEALTH_MIN_HISTORY = 1, NEWSCRAWL_HEALTH_MIN_ITEMS = 2, \
MONGODB_DATABASE = "@database@", LOG_LEVEL = "INFO" }
""".replace("@database@", mongo_db.name))
    state = tmp / "state.json"
    sched = ["schedule", "--file", str(schedule), "--state", str(state)]

    # A dry run says what it would schedule and schedules nothing (no job, no state file).
    out = ops(*sched, "--dry-run", env=env)
    assert out.returncode == 0, out.stdout + out.stderr
    lines = out.stdout.splitlines()
    assert lines[0].split()[:3] == ["would", "schedule", "opsnews"] and "scheduled" not in out.stdout, out.stdout
    assert lines[-1].endswith("would schedule 1, error 0") and not state.exists(), out.stdout
    jobs = api(url, "listjobs.json?project=newscrawl")
    assert jobs["pending"] == jobs["running"] == jobs["finished"] == []

    # Without credentials the scheduler reports the 401 and exits non-zero.
    out = ops(*sched, env=no_creds)
    assert out.returncode == 2 and "401" in out.stderr and not state.exists(), out.stdout + out.stderr

    out = ops(*sched, env=env)
    assert out.returncode == 0 and out.stdout.startswith("scheduled"), out.stdout + out.stderr
    job1 = out.stdout.split("job ", 1)[1].split()[0]
    assert json.loads(state.read_text())["opsnews"]["jobid"] == job1

    def running(job):
        return any(j["id"] == job for j in api(url, "listjobs.json?project=newscrawl")["running"])
    wait_for(lambda: running(job1), 30, "the first job to run")

    # A second scheduling while the first job runs is refused.
    out = ops(*sched, env=env)
    assert out.returncode == 0, out.stdout + out.stderr
    assert out.stdout.startswith("skipped-running") and f"job {job1} is running" in out.stdout, out.stdout
    jobs = api(url, "listjobs.json?project=newscrawl")
    assert [j["id"] for j in jobs["running"] + jobs["pending"]] == [job1]

    def finished(job):
        return any(j["id"] == job for j in api(url, "listjobs.json?project=newscrawl")["finished"])
    wait_for(lambda: finished(job1), 60, "the first job to finish", interval=0.5)

    articles = list(mongo_db.store.articles.find({"source": "opsnews"}, {"title": 1, "authors": 1, "published_at": 1}))
    assert sorted(a["title"] for a in articles) == [f"Harbour story number {n}" for n in range(1, 5)]
    assert all(a["authors"] == ["Jane Harbourmaster"] and a["published_at"] for a in articles)
    run1 = mongo_db.db.crawl_runs.find_one({"run_id": job1})
    assert run1["status"] == "finished" and run1["failure_reasons"] == [], run1
    assert run1["items"]["stored"] == 4 and run1["quality"]["authors_share"] == 1.0

    # The site is redesigned: new articles lose their byline and date markup (bodies still there).
    broken = [(f"{prefix}/news/2026/redesign-{n}.html", f"2026-11-2{n}T09:00:00+00:00") for n in range(5, 8)]
    for n, (path, _) in enumerate(broken, 5):
        site.add(path, article_html(f"Harbour story number {n}", paragraphs=paragraphs(n)))
    site.add(f"{prefix}/sitemap.xml", sitemap(site, dated + broken))
    out = ops(*sched, env=env)
    assert out.returncode == 0 and out.stdout.startswith("scheduled"), out.stdout + out.stderr
    job2 = out.stdout.split("job ", 1)[1].split()[0]
    wait_for(lambda: finished(job2), 60, "the second job to finish", interval=0.5)

    run2 = mongo_db.db.crawl_runs.find_one({"run_id": job2})
    assert run2["status"] == "failed", run2
    assert "published_at coverage 0% vs 100% median of the last 1 runs" in run2["failure_reasons"]
    assert "authors coverage 0% vs 100% median of the last 1 runs" in run2["failure_reasons"]
    assert run2["quality"]["items"] == 3 and run2["quality"]["already_stored"] == 4
    job_log = (home / "logs" / "newscrawl" / "opsnews" / f"{job2}.log").read_text()
    errors = [line for line in job_log.splitlines() if "[newscrawl.runs.health] ERROR" in line]
    assert len(errors) == 2, errors     # the health check's line, then the outcome's
    assert "Crawl health check FAILED for opsnews: published_at coverage 0%" in errors[0]
    assert "Crawl outcome of opsnews: failed (exit code 3): health: published_at coverage 0%" in errors[1]
    assert run2["outcome"] == "failed" and run1["outcome"] == "ok"
    # The crawl process exited non-zero, and scrapyd says so.
    wait_for(lambda: "exitstatus=3" in scrapyd["out"].read_text() and job2 in scrapyd["out"].read_text(), 10,
             "scrapyd to log the failed process")

    # Job status from crawl_runs: both runs, newest first, the failure's reasons.
    out = ops("runs", "--spider", "opsnews", "--database", mongo_db.name, env=env)
    assert out.returncode == 0, out.stderr
    lines = out.stdout.splitlines()
    assert lines[0] == "== opsnews"
    assert "failed" in lines[2] and job2 in lines[2] and "finished" in lines[3] and job1 in lines[3]
    assert f"{job2} failed: health: published_at coverage 0%" in out.stdout
    assert PASSWORD not in out.stdout + out.stderr
    # The scrapyd password reaches no job log, item file, scrapyd output or crawl_runs document.
    written = [p for p in home.rglob("*") if p.is_file() and p.suffix in (".log", ".jl", ".jsonl", ".json")]
    assert any(p.suffix == ".log" for p in written)
    for path in written:
        assert PASSWORD not in path.read_text(errors="replace"), path
    assert PASSWORD not in scrapyd["out"].read_text(errors="replace")
    assert PASSWORD not in json.dumps([run1, run2], default=str)


def test_schedule_round_decisions(tmp_path):
    """The decisions of one round without a server (the e2e test above runs them against scrapyd)."""
    import io
    from datetime import datetime, timedelta, timezone

    from newscrawl.ops.client import ScrapydError
    from newscrawl.ops.schedule import ScheduleFileError, StateFile, run_schedule

    path = tmp_path / "s.toml"
    path.write_text('[[job]]\nspider = "a"\nevery = "30m"\nargs = { max_articles = 5, refresh = true }\n'
                    '[[job]]\nspider = "a"\nname = "a-sport"\nevery = "1h"\nargs = { sections = "sport" }\n'
                    '[[job]]\nspider = "b"\nevery = "2h"\n'
                    '[[job]]\nspider = "c"\nevery = "1d"\nenabled = false\n'
                    '[[job]]\nspider = "d"\nevery = "15m"\n')
    entries = load_schedule(path)
    assert entries[0].args == {"max_articles": "5", "refresh": "true"} and entries[1].name == "a-sport"

    class Recorder:
        def __init__(self):
            self.calls = []

        def listjobs(self, project):
            return {"pending": [{"id": "j-b", "spider": "b"}], "running": [], "finished": []}

        def schedule(self, project, spider, *, args, settings, priority):
            if spider == "d":
                raise ScrapydError("schedule.json: spider 'd' not found")
            self.calls.append((spider, args))
            return f"job-{spider}-{len(self.calls)}"

    now = datetime(2026, 11, 27, 12, 0, tzinfo=timezone.utc)
    server, out = Recorder(), io.StringIO()
    with StateFile(tmp_path / "state.json") as state:
        counts = run_schedule(entries, server, "newscrawl", state, now=now, out=out)
    lines = out.getvalue().splitlines()
    assert [line.split()[0] for line in lines] == ["scheduled", "skipped-running", "skipped-running", "disabled",
                                                   "error"]
    assert "a job job-a-1 is pending" in lines[1]           # the entry just scheduled blocks the second
    assert server.calls == [("a", {"max_articles": "5", "refresh": "true"})]
    assert counts == {"scheduled": 1, "skipped-running": 2, "not-due": 0, "disabled": 1, "error": 1}
    # 10 minutes later `a` is not due; a dry run schedules nothing.
    server, out = Recorder(), io.StringIO()
    with StateFile(tmp_path / "state.json") as state:
        run_schedule(entries[:1], server, "newscrawl", state, now=now + timedelta(minutes=10), out=out)
        assert out.getvalue().startswith("not-due") and "next in 20m00s" in out.getvalue()
        out = io.StringIO()
        counts = run_schedule(entries, server, "newscrawl", state, now=now + timedelta(minutes=29, seconds=30),
                              out=out, dry_run=True)
        lines = out.getvalue().splitlines()
        assert lines[0].split() == ["would", "schedule", "a", "max_articles=5", "refresh=true"] and server.calls == []
        assert "scheduled" not in out.getvalue()
        assert "skipped-running  a-sport  a: entry a above would schedule it" in lines[1]   # as a real round would
        assert counts == {"would schedule": 2, "skipped-running": 2, "not-due": 0, "disabled": 1, "error": 0}
        assert state.last("a") == now   # the dry run wrote nothing
    for bad in ('[[job]]\nspider = "a"\n', '[[job]]\nspider = "a"\nevery = "5 minutes"\n',
                '[[job]]\nspider = "a"\nevery = "5m"\n[[job]]\nspider = "a"\nevery = "1h"\n', 'jobs = 1\n'):
        path.write_text(bad)
        with pytest.raises(ScheduleFileError):
            load_schedule(path)
