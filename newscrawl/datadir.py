"""The data directory: where every runtime file of newscrawl goes (spool, scheduler state, scrapyd home),
whatever directory a command was started from.

Setting NEWSCRAWL_DATA_DIR (default None). Unset, the data directory is the first of:

1. `var/` beside the nearest scrapy.cfg, from the working directory up (as `scrapy` finds its project);
2. `var/` of the checkout the package is imported from (an editable install run from elsewhere,
   e.g. ``cd /tmp && SCRAPY_SETTINGS_MODULE=newscrawl.settings scrapy crawl ...``);
3. `$XDG_DATA_HOME/newscrawl`, i.e. `~/.local/share/newscrawl` (an installed package, no project).

A relative NEWSCRAWL_DATA_DIR is taken from the project directory (1 or 2), not the working directory.
The directory is not created here; the component that writes a file creates what it needs.
"""

from __future__ import annotations

import os
from pathlib import Path

from scrapy.utils.conf import closest_scrapy_cfg

SETTING = "NEWSCRAWL_DATA_DIR"


def _get(settings, name: str):
    """A setting from Scrapy Settings, a dict, or a settings module; None = newscrawl/settings.py."""
    if settings is None:
        from newscrawl import settings as settings  # noqa: PLW0127 - the project defaults
    if hasattr(settings, "get"):
        return settings.get(name)
    return getattr(settings, name, None)


def project_dir() -> Path | None:
    """The Scrapy project newscrawl runs in: the nearest scrapy.cfg's directory, else the checkout the
    package is imported from (when it has a scrapy.cfg), else None."""
    cfg = closest_scrapy_cfg()
    if cfg:
        return Path(cfg).resolve().parent
    checkout = Path(__file__).resolve().parent.parent
    return checkout if (checkout / "scrapy.cfg").is_file() else None


def data_dir(settings=None) -> Path:
    """The absolute data directory (see the module docstring for the order)."""
    configured = _get(settings, SETTING)
    project = project_dir()
    if configured:
        path = Path(str(configured)).expanduser()
        return (path if path.is_absolute() else (project or Path.cwd()) / path).resolve()
    if project is not None:
        return project / "var"
    base = os.environ.get("XDG_DATA_HOME") or Path.home() / ".local" / "share"
    return Path(base) / "newscrawl"


def data_path(settings, *parts: str) -> Path:
    """A path under the data directory: ``data_path(settings, "spool")``."""
    return data_dir(settings).joinpath(*parts)
