"""The data directory (newscrawl/datadir.py): runtime files go to the project's var/ (or
NEWSCRAWL_DATA_DIR), not to wherever a command was started; the spool's default is <data dir>/spool,
and `storage replay` shows its progress and still prints its summary."""

import subprocess
import sys
from pathlib import Path

from scrapy import Spider
from scrapy.utils.test import get_crawler

from newscrawl import datadir
from newscrawl.distributed import defaults as distributed_defaults
from newscrawl.distributed.scheduler import ReliableScheduler
from newscrawl.ops.client import project_dir as ops_project_dir
from newscrawl.storage.articles import ArticleStore
from newscrawl.storage.spool import Spool, spool_dir
from newscrawl.storage.writer import BatchWriter

from sample_articles import article

REPO = Path(__file__).resolve().parents[2]


def project(tmp_path: Path) -> Path:
    """A Scrapy project directory (scrapy.cfg naming newscrawl's settings) with a subdirectory."""
    root = tmp_path / "project"
    (root / "deep" / "er").mkdir(parents=True)
    (root / "scrapy.cfg").write_text("[settings]\ndefault = newscrawl.settings\n")
    return root


def test_data_dir_is_var_of_the_nearest_scrapy_cfg_from_any_subdirectory(tmp_path, monkeypatch):
    root = project(tmp_path)
    monkeypatch.chdir(root / "deep" / "er")
    assert datadir.data_dir() == root.resolve() / "var"
    assert datadir.data_path(None, "spool", "redis") == root.resolve() / "var" / "spool" / "redis"
    assert spool_dir() == root.resolve() / "var" / "spool"


def test_outside_a_project_the_checkout_of_the_package_then_the_user_data_dir(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)   # no scrapy.cfg above tmp_path
    assert datadir.data_dir() == REPO / "var"   # the editable checkout newscrawl is imported from
    assert ops_project_dir() == REPO            # and `ops` reads that checkout's scrapy.cfg / scrapyd.conf
    monkeypatch.setattr(datadir, "__file__", str(tmp_path / "site-packages" / "newscrawl" / "datadir.py"))
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    monkeypatch.delenv("XDG_DATA_HOME", raising=False)
    assert datadir.data_dir() == tmp_path / "home" / ".local" / "share" / "newscrawl"
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "xdg"))
    assert datadir.data_dir() == tmp_path / "xdg" / "newscrawl"


def test_setting_wins_and_a_relative_one_is_taken_from_the_project(tmp_path, monkeypatch):
    root = project(tmp_path)
    monkeypatch.chdir(root / "deep")
    assert datadir.data_dir({"NEWSCRAWL_DATA_DIR": "data"}) == root.resolve() / "data"
    assert datadir.data_dir({"NEWSCRAWL_DATA_DIR": str(tmp_path / "abs")}) == tmp_path / "abs"
    assert spool_dir({"NEWSCRAWL_DATA_DIR": str(tmp_path / "abs")}) == tmp_path / "abs" / "spool"
    assert spool_dir({"MONGODB_SPOOL_DIR": str(tmp_path / "mine")}) == tmp_path / "mine"


def test_crawl_components_spool_into_the_project_data_dir_not_the_working_directory(tmp_path, monkeypatch):
    root = project(tmp_path)
    monkeypatch.chdir(root / "deep" / "er")
    crawler = get_crawler(Spider, {"MONGODB_SPOOL_DIR": None})
    crawler.spider = Spider("demo")
    store = ArticleStore("mongodb://127.0.0.1:9", "unused", "articles", server_timeout_ms=100)  # never contacted
    try:
        writer = BatchWriter.from_crawler(crawler, store, lambda: None)
        path = writer.spool.write([article(1)])
    finally:
        store.close()
    assert path.parent == root.resolve() / "var" / "spool"
    assert path.is_file() and not (root / "deep" / "er" / "var").exists()

    scheduler = ReliableScheduler.from_crawler(get_crawler(Spider, {
        **distributed_defaults.SETTINGS, "MONGODB_SPOOL_DIR": None, "REDIS_URL": "redis://127.0.0.1:9"}))
    assert scheduler.spool_dir == root.resolve() / "var" / "spool" / "redis"


def _spool(directory: Path, n: int) -> None:
    spool = Spool(directory, spider="demo")
    spool.write([article(i) for i in range(n)])
    with open(spool.path, "ab") as fh:
        fh.write(b"not json\n")


def _replay(mongo_db, spool: Path, *flags: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "newscrawl.storage", "replay", "--spool", str(spool),
                           "--uri", mongo_db.uri, "--database", mongo_db.name, "--batch-size", "5", *flags],
                          cwd=REPO, capture_output=True, text=True, timeout=120)


def test_replay_progress_bar_counts_documents_and_set_aside_then_prints_the_summary(mongo_db, tmp_path):
    _spool(tmp_path / "spool", 12)
    done = _replay(mongo_db, tmp_path / "spool", "--progress")
    assert done.returncode == 1, done.stderr        # the unreadable line is quarantined
    assert "13/13" in done.stderr and "set_aside=1" in done.stderr
    assert "replayed 1 file(s), 12 document(s)" in done.stdout and "inserted=12" in done.stdout
    assert mongo_db.db.articles.count_documents({}) == 12


def test_replay_without_a_terminal_prints_no_bar(mongo_db, tmp_path):
    _spool(tmp_path / "spool", 3)
    done = _replay(mongo_db, tmp_path / "spool")     # stderr is a pipe here
    assert "replayed 1 file(s), 3 document(s)" in done.stdout
    assert "4/4" not in done.stderr and "doc/s" not in done.stderr
