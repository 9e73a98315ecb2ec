"""Every newscrawl setting (NEWSCRAWL_*, MONGODB_*) is documented in the README's Settings table."""

import re
from pathlib import Path

from newscrawl import settings

README = (Path(__file__).resolve().parent.parent / "README.md").read_text(encoding="utf-8")


def test_every_project_setting_is_documented():
    names = [n for n in dir(settings) if re.match(r"(NEWSCRAWL|MONGODB)_[A-Z_]+$", n)]
    assert len(names) > 20
    missing = [n for n in names if f"`{n}`" not in README]
    assert not missing, f"settings missing from README: {missing}"


def test_no_secret_defaults():
    # Credentials come from the environment only; the default URI has no password in it.
    assert "@" not in settings.MONGODB_URI or "MONGODB_URI" in __import__("os").environ
