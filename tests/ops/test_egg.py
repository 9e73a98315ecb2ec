"""The scrapyd egg carries the package only: no benchmarks, demo, embedded server or tests."""

import zipfile

from conftest import REPO
from newscrawl.ops.deploy import build_egg


def test_the_egg_holds_the_newscrawl_package_and_nothing_of_the_workshop(tmp_path, monkeypatch):
    monkeypatch.chdir(REPO)                      # deploy builds where scrapy.cfg is, as operators run it
    with zipfile.ZipFile(build_egg(tmp_path / "newscrawl.egg")) as egg:
        names = egg.namelist()
    assert "newscrawl/settings.py" in names and "newscrawl/pipelines.py" in names
    assert {name.split("/", 1)[0] for name in names} == {"newscrawl", "EGG-INFO"}, sorted(names)
    assert not [n for n in names if any(part in n for part in ("bench", "demo", "mongo_server", "conftest"))]
