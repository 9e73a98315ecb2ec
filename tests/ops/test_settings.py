"""Settings: every newscrawl setting (NEWSCRAWL_*, MONGODB_*) has one default and is documented in the
Settings table of docs/operations.md; settings.py reads the environment only for addresses and secrets and imports
no runtime code; the add-ons switch their parts on from a setting."""

import ast
import json
import re
import subprocess
import sys
from pathlib import Path

from newscrawl import settings
from newscrawl.distributed import defaults as distributed_defaults

REPO = Path(__file__).resolve().parents[2]
SETTINGS_DOC = (REPO / "docs" / "operations.md").read_text(encoding="utf-8").split("## Settings", 1)[1]
OURS = re.compile(r"(NEWSCRAWL|MONGODB)_[A-Z_]+$")


def test_every_project_setting_is_documented():
    names = [n for module in (settings, distributed_defaults) for n in dir(module) if OURS.match(n)]
    assert len(names) > 20
    missing = [n for n in names if f"| `{n}`" not in SETTINGS_DOC and f", `{n}`" not in SETTINGS_DOC]
    assert not missing, f"settings missing from the table in docs/operations.md: {missing}"


def test_each_default_is_stated_once():
    both = sorted(n for n in dir(distributed_defaults) if OURS.match(n) and hasattr(settings, n))
    assert both == []


def test_no_secret_defaults():
    # Credentials come from the environment only; the default URI has no password in it.
    assert "@" not in settings.MONGODB_URI or "MONGODB_URI" in __import__("os").environ


def test_settings_read_the_environment_only_for_addresses_and_secrets():
    tree = ast.parse((REPO / "newscrawl" / "settings.py").read_text(encoding="utf-8"))
    read = {node.args[0].value for node in ast.walk(tree)
            if isinstance(node, ast.Call) and getattr(node.func, "attr", "") == "get"
            and getattr(node.func.value, "attr", "") == "environ" and node.args}
    assert read == {"MONGODB_URI", "REDIS_URL", "NEWSCRAWL_CONTACT"}
    imports = [node for node in ast.walk(tree) if isinstance(node, (ast.Import, ast.ImportFrom))]
    assert [getattr(node, "module", None) or node.names[0].name for node in imports] == ["os"]


def crawl_settings(**cmdline) -> dict:
    """What a crawl runs with: project settings, `-s` values, then the add-ons (a fresh process:
    the reactor is installed once)."""
    code = ("import json, sys; from scrapy.utils.reactor import install_reactor; "
            "install_reactor('twisted.internet.asyncioreactor.AsyncioSelectorReactor'); "
            "from scrapy import Spider; from scrapy.crawler import Crawler; "
            "from scrapy.utils.conf import build_component_list; "
            "from scrapy.utils.project import get_project_settings; s = get_project_settings(); "
            "s.setdict(json.loads(sys.argv[1]), 'cmdline'); c = Crawler(Spider, s); c._apply_settings(); "
            "s = c.settings; print(json.dumps({'SCHEDULER': s.get('SCHEDULER'), "
            "'pipelines': build_component_list(s.getwithbase('ITEM_PIPELINES')), "
            "'extensions': build_component_list(s.getwithbase('EXTENSIONS'))}))")
    out = subprocess.run([sys.executable, "-c", code, json.dumps(cmdline)], cwd=REPO, capture_output=True,
                         text=True, timeout=60)
    assert out.returncode == 0, out.stderr
    return json.loads(out.stdout.strip().splitlines()[-1])


def test_storage_and_distributed_mode_are_switched_by_settings():
    default = crawl_settings()
    assert default["pipelines"][-1] == "newscrawl.pipelines.MongoPipeline"
    assert "newscrawl.runs.recorder.CrawlRunRecorder" in default["extensions"]
    assert not default["SCHEDULER"].startswith("newscrawl.")

    without_store = crawl_settings(MONGODB_ENABLED="false")
    assert "newscrawl.pipelines.MongoPipeline" not in without_store["pipelines"]
    assert "newscrawl.runs.recorder.CrawlRunRecorder" not in without_store["extensions"]

    distributed = crawl_settings(NEWSCRAWL_DISTRIBUTED="redis")
    assert distributed["SCHEDULER"] == "newscrawl.distributed.scheduler.ReliableScheduler"
    assert "newscrawl.distributed.idle.IdleWait" in distributed["extensions"]
    assert distributed["pipelines"] == default["pipelines"]


def test_an_unknown_distributed_mode_is_refused_before_the_crawl(tmp_path):
    out = subprocess.run([sys.executable, "-m", "scrapy", "crawl", "article", "-a", "urls=https://example.org/a",
                          "-s", "NEWSCRAWL_DISTRIBUTED=kafka"], cwd=REPO, capture_output=True, text=True, timeout=60)
    assert out.returncode == 2, out.stderr[-2000:]
    assert "NEWSCRAWL_DISTRIBUTED" in out.stderr and "Traceback" not in out.stderr


def test_a_distributed_setting_is_known_to_the_setting_check(tmp_path):
    out = subprocess.run([sys.executable, "-m", "scrapy", "crawl", "article", "-a", "urls=https://example.org/a",
                          "-s", "NEWSCRAWL_REDIS_IDLE_SECONDS=abc"], cwd=REPO, capture_output=True, text=True,
                         timeout=60)
    assert out.returncode == 2 and "must be a number" in out.stderr, out.stderr[-2000:]
