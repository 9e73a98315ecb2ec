"""The browser for rendered pages: `launch_options()` (the Rendering add-on's
PLAYWRIGHT_LAUNCH_OPTIONS) uses the Chromium at ``$NEWSCRAWL_CHROMIUM``, else Debian's
/usr/lib/chromium/chromium when installed, else Playwright's own download; `browser_problem()`
names the fix when none is there, and `check_browser()` lets a rendering spider fail at start.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

ENV_CHROMIUM = "NEWSCRAWL_CHROMIUM"
DEBIAN_CHROMIUM = "/usr/lib/chromium/chromium"
# Headless in containers and CI: no sandbox (no user namespaces), no GPU, /tmp instead of a small
# /dev/shm; no background networking or component updates (they fail offline and cost time).
CHROMIUM_ARGS = ("--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-background-networking",
                 "--disable-component-update", "--no-first-run")


def chromium_executable(env=None) -> str | None:
    """$NEWSCRAWL_CHROMIUM when set (even if missing: then `browser_problem` says so), else Debian's
    Chromium when installed, else None (Playwright's own browser)."""
    env = os.environ if env is None else env
    if env.get(ENV_CHROMIUM):
        return env[ENV_CHROMIUM]
    return DEBIAN_CHROMIUM if os.access(DEBIAN_CHROMIUM, os.X_OK) else None


def launch_options(env=None) -> dict:
    """PLAYWRIGHT_LAUNCH_OPTIONS: headless Chromium with CHROMIUM_ARGS, at `chromium_executable()`."""
    options = {"headless": True, "args": list(CHROMIUM_ARGS)}
    path = chromium_executable(env)
    if path:
        options["executable_path"] = path
    return options


FIX = (f"set {ENV_CHROMIUM} to a Chromium executable, or install one: `apt-get install chromium` (Debian, used "
       f"from {DEBIAN_CHROMIUM}) or `.venv/bin/playwright install chromium` (Playwright's own)")


def _playwright_browser_dirs() -> list[Path]:
    """Where Playwright's own Chromium of this Playwright version would be (normal and headless shell)."""
    import importlib.util

    spec = importlib.util.find_spec("playwright")
    if spec is None or not spec.submodule_search_locations:
        return []
    package = Path(list(spec.submodule_search_locations)[0]) / "driver" / "package"
    try:
        browsers = json.loads((package / "browsers.json").read_text())["browsers"]
    except (OSError, ValueError, KeyError):
        return []
    root = os.environ.get("PLAYWRIGHT_BROWSERS_PATH")
    base = package / ".local-browsers" if root == "0" else Path(root) if root else Path.home() / ".cache" / "ms-playwright"
    return [base / f"{b['name'].replace('-', '_')}-{b['revision']}" for b in browsers
            if b["name"] in ("chromium", "chromium-headless-shell")]


def browser_problem(settings) -> str | None:
    """Why rendered pages cannot be fetched with these settings (a message naming the fix), or None."""
    if settings.get("PLAYWRIGHT_CDP_URL") or settings.get("PLAYWRIGHT_CONNECT_URL"):
        return None  # a remote browser
    # A spider checks before the add-ons have set PLAYWRIGHT_LAUNCH_OPTIONS: then they will be ours.
    options = launch_options() if settings.get("PLAYWRIGHT_LAUNCH_OPTIONS") is None \
        else settings.getdict("PLAYWRIGHT_LAUNCH_OPTIONS")
    path = options.get("executable_path")
    if path:
        if os.path.isfile(path) and os.access(path, os.X_OK):
            return None
        return f"no Chromium executable at {path} (PLAYWRIGHT_LAUNCH_OPTIONS executable_path, from ${ENV_CHROMIUM}): {FIX}"
    if any(d.is_dir() for d in _playwright_browser_dirs()):
        return None
    return f"no browser for rendered pages: {ENV_CHROMIUM} is unset, {DEBIAN_CHROMIUM} is missing and Playwright's own Chromium is not installed; {FIX}"


class BrowserNotFound(RuntimeError):
    pass


def check_browser(settings) -> None:
    """Raise BrowserNotFound (with the fix) when rendered pages cannot be fetched. With rendering
    switched off (NEWSCRAWL_RENDERING_ENABLED) pages are fetched plain and need no browser."""
    if not settings.getbool("NEWSCRAWL_RENDERING_ENABLED"):
        return
    problem = browser_problem(settings)
    if problem:
        raise BrowserNotFound(problem)
