"""MongoDB killed in the middle of a real crawl: the crawl goes on, what could not be written is
spooled, and after the server is back the replay command stores every article exactly once."""

import subprocess
import sys
import time

from pymongo import MongoClient

from conftest import REPO, article_html
from mongo_server import EmbeddedServer

N = 30


def paragraphs(n: int) -> list[str]:
    return [f"Report {n}: the county board voted {n} times on the new harbour plan before approving "
            f"budget line {n * 13}, officials said on day {n} of the session.",
            f"Opponents of plan {n} said the {n + 40} million cost was too high for a county of "
            f"{n * 1000 + 7} residents and promised to appeal."]


def test_server_killed_mid_crawl_spool_and_replay(http_site, tmp_path):
    urls = [http_site.add(f"/outage/a{n}.html", article_html(f"County harbour report {n}",
                                                            published="2026-11-20T10:00:00Z",
                                                            paragraphs=paragraphs(n)))
            for n in range(N)]
    server = EmbeddedServer(tmp_path / "db").start()
    uri, port = server.uri, server.port
    spool = tmp_path / "spool"
    settings = {"MONGODB_ENABLED": True, "MONGODB_URI": uri, "MONGODB_DATABASE": "outage",
                "MONGODB_BUFFER_SIZE": 5, "MONGODB_FLUSH_SECONDS": 0.2, "MONGODB_RETRY_ATTEMPTS": 2,
                "MONGODB_RETRY_BACKOFF_SECONDS": 0.2, "MONGODB_SERVER_TIMEOUT_MS": 1000,
                "MONGODB_SPOOL_DIR": str(spool), "CONCURRENT_REQUESTS": 1, "DOWNLOAD_DELAY": 0.15}
    client = MongoClient(uri, serverSelectionTimeoutMS=2000)
    try:
        # Kill the server (SIGKILL) once the first articles are stored, while the crawl runs.
        crawl = subprocess.Popen([sys.executable, "-c", _RUNNER, str(tmp_path), ",".join(urls), repr(settings)],
                                 cwd=REPO)
        deadline = time.time() + 60
        while client.outage.articles.count_documents({}) < 4:
            assert time.time() < deadline and crawl.poll() is None, "crawl ended before the kill"
            time.sleep(0.1)
        server.process.kill()
        server.process.wait()
        assert crawl.wait(timeout=180) == 5             # degraded: some articles only spooled
        items = [line for line in (tmp_path / "items.jsonl").read_text().splitlines() if line]
        assert len(items) == N                         # the crawl itself went on
        assert list(spool.glob("spool-*.jsonl")), "nothing was spooled"
        stats = (tmp_path / "crawl-stats.txt").read_text()
        assert "'newscrawl/mongodb/spooled'" in stats
        server = EmbeddedServer(tmp_path / "db", port=port).start()   # back: same data, same URI
        replay = subprocess.run([sys.executable, "-m", "newscrawl.storage", "replay", "--spool", str(spool),
                                 "--uri", uri, "--database", "outage"], cwd=REPO, capture_output=True, text=True,
                                timeout=120)
        assert replay.returncode == 0, replay.stderr
        stored = list(client.outage.articles.find({}, {"url": 1}))
        assert len(stored) == N
        assert sorted(d["url"] for d in stored) == sorted(urls)
        # Replaying again stores nothing twice.
        again = subprocess.run([sys.executable, "-m", "newscrawl.storage", "replay", "--spool", str(spool),
                                "--uri", uri, "--database", "outage"], cwd=REPO, capture_output=True, text=True,
                               timeout=120)
        assert again.returncode == 0 and client.outage.articles.count_documents({}) == N
    finally:
        client.close()
        server.stop()


# The crawl, as a separate process, through the shared test helper.
_RUNNER = """
import sys, ast, pathlib
sys.path.insert(0, "tests")
from conftest import run_crawl
items, stats, rc, log = run_crawl(pathlib.Path(sys.argv[1]), "article", {"urls": sys.argv[2]}, ast.literal_eval(sys.argv[3]))
pathlib.Path(sys.argv[1], "crawl-stats.txt").write_text(repr(stats))
sys.exit(rc)
"""
