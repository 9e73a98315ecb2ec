"""`python -m tools.web_screenshots --uri ...` photographs the pages of an existing store."""

import subprocess
import sys

from tests.conftest import REPO
from tests.web.web_fixtures import article


def test_screenshots_of_the_pages_are_written_as_png(tmp_path, mongo_db):
    mongo_db.store.upsert_batch([article("https://fr.example/a", language="fr", title="Un titre",
                                         published_at="2026-11-20T08:30:00Z")])
    proc = subprocess.run([sys.executable, "-m", "tools.web_screenshots", "--uri", mongo_db.uri, "--database",
                           mongo_db.name, "--out", str(tmp_path)], cwd=REPO, capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr[-2000:]
    shots = sorted(p.name for p in tmp_path.glob("web-*.png"))
    assert shots == ["web-article.png", "web-day.png", "web-days.png", "web-health.png"]
    for name in shots:
        data = (tmp_path / name).read_bytes()
        assert data.startswith(b"\x89PNG\r\n\x1a\n") and len(data) > 5000, name


def test_screenshots_of_an_empty_store_say_so_in_one_line(tmp_path, mongo_db):
    proc = subprocess.run([sys.executable, "-m", "tools.web_screenshots", "--uri", mongo_db.uri, "--database",
                           mongo_db.name, "--out", str(tmp_path)], cwd=REPO, capture_output=True, text=True, timeout=120)
    assert proc.returncode == 1 and proc.stderr.strip().splitlines() == [
        f"error: no articles in {mongo_db.name} at {mongo_db.uri}: run `make demo` first"]
