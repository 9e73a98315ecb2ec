"""JavaScript-rendered pages through scrapy-playwright (README "JavaScript-rendered sources").

A request is rendered when it carries ``meta["newscrawl_render"]`` (a dict of `RenderSpec` fields, or
True for the defaults): source spiders set it on the article requests of a source with
``render=True``, the `article` spider with ``-a render=true``. `RenderMiddleware` turns it into
scrapy-playwright's meta (``playwright=True``, one context, a goto timeout and one page method that
waits for the declared selector, clicking a "read more" button first when there is one), counts the
outcomes and, when rendering fails or times out, retries once and then falls back to the unrendered
page if the spec allows it. Every other request goes through Scrapy's plain HTTP downloader.

`PlaywrightHandler` is scrapy-playwright's download handler, registered for http and https, with one
change: Playwright (its Node driver and the browser) starts on the first rendered request instead of
when the engine starts, so a crawl without rendered requests never starts either, and this module
does not import Playwright until then. Images, media, fonts and known trackers are aborted in the
browser (`abort_request`); pages are closed after use (scrapy-playwright does so unless
``playwright_include_page``); PLAYWRIGHT_MAX_CONTEXTS / PLAYWRIGHT_MAX_PAGES_PER_CONTEXT cap them.

The browser: `launch_options()` (PLAYWRIGHT_LAUNCH_OPTIONS in settings.py) uses the Chromium at
``$NEWSCRAWL_CHROMIUM``, else Debian's /usr/lib/chromium/chromium when installed, else Playwright's
own download; `browser_problem()` names the fix when none is there.
"""

from __future__ import annotations

import asyncio
import json
import logging
import os
from dataclasses import asdict, dataclass
from pathlib import Path
from urllib.parse import urlsplit

from scrapy.exceptions import IgnoreRequest

logger = logging.getLogger(__name__)

ENV_CHROMIUM = "NEWSCRAWL_CHROMIUM"
DEBIAN_CHROMIUM = "/usr/lib/chromium/chromium"
# Headless in containers and CI: no sandbox (no user namespaces), no GPU, /tmp instead of a small
# /dev/shm; no background networking or component updates (they fail offline and cost time).
CHROMIUM_ARGS = ("--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-background-networking",
                 "--disable-component-update", "--no-first-run")
# Every rendered request uses this browser context (one cookie jar; PLAYWRIGHT_MAX_CONTEXTS is a cap).
CONTEXT = "newscrawl"
META = "newscrawl_render"
DEFAULT_TIMEOUT_MS = 15_000

# ---- the browser --------------------------------------------------------------------------------


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


_FIX = (f"set {ENV_CHROMIUM} to a Chromium executable, or install one: `apt-get install chromium` (Debian, used "
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
    path = (settings.getdict("PLAYWRIGHT_LAUNCH_OPTIONS") or {}).get("executable_path")
    if path:
        if os.path.isfile(path) and os.access(path, os.X_OK):
            return None
        return f"no Chromium executable at {path} (PLAYWRIGHT_LAUNCH_OPTIONS executable_path, from ${ENV_CHROMIUM}): {_FIX}"
    if any(d.is_dir() for d in _playwright_browser_dirs()):
        return None
    return f"no browser for rendered pages: {ENV_CHROMIUM} is unset, {DEBIAN_CHROMIUM} is missing and Playwright's own Chromium is not installed; {_FIX}"


class BrowserNotFound(RuntimeError):
    pass


def check_browser(settings) -> None:
    """Raise BrowserNotFound (with the fix) when rendered pages cannot be fetched."""
    problem = browser_problem(settings)
    if problem:
        raise BrowserNotFound(problem)


# ---- what a rendered page loads -------------------------------------------------------------------

BLOCKED_RESOURCE_TYPES = frozenset({"image", "media", "font"})
# Analytics, ad and tag-manager hosts (registered domains; subdomains included). Their scripts
# never write article text.
TRACKER_DOMAINS = frozenset({
    "google-analytics.com", "googletagmanager.com", "googletagservices.com", "doubleclick.net",
    "googlesyndication.com", "googleadservices.com", "adservice.google.com", "connect.facebook.net",
    "facebook.net", "scorecardresearch.com", "chartbeat.com", "chartbeat.net", "quantserve.com",
    "hotjar.com", "segment.com", "segment.io", "mixpanel.com", "newrelic.com", "nr-data.net",
    "criteo.com", "criteo.net", "taboola.com", "outbrain.com", "amazon-adsystem.com", "adnxs.com",
    "pubmatic.com", "rubiconproject.com", "casalemedia.com", "openx.net", "moatads.com", "krxd.net",
    "bluekai.com", "demdex.net", "omtrdc.net", "everesttech.net", "parsely.com", "optimizely.com",
    "cxense.com", "ioam.de", "xiti.com", "gemius.pl", "yandex.ru", "mc.yandex.ru", "clarity.ms",
    "bat.bing.com", "ads-twitter.com", "analytics.twitter.com", "tiktok.com", "snap.licdn.com",
})


def is_tracker(url: str) -> bool:
    host = (urlsplit(url).hostname or "").lower()
    parts = host.split(".")
    return any(".".join(parts[i:]) in TRACKER_DOMAINS for i in range(len(parts) - 1))


def abort_request(request) -> bool:
    """PLAYWRIGHT_ABORT_REQUEST: images, media, fonts and tracker requests are never sent, nor
    requests to non-web schemes or to non-public addresses the operator did not name (the page's
    scripts and frames do not pass the URL gate; newscrawl/urlgate.py)."""
    from newscrawl.urlgate import browser_request_refused

    return (request.resource_type in BLOCKED_RESOURCE_TYPES or is_tracker(request.url)
            or browser_request_refused(request.url))


# ---- what a request declares ---------------------------------------------------------------------


@dataclass(frozen=True)
class RenderSpec:
    wait_selector: str | None = None    # present once the body is there (none: the page's load event)
    click_selector: str | None = None   # a "read more" button, clicked when present
    timeout_ms: int = DEFAULT_TIMEOUT_MS  # navigation, and waiting/clicking after it (together)
    fallback: bool = False              # after the retry failed: use the unrendered page

    @classmethod
    def of_source(cls, source) -> RenderSpec | None:
        if not getattr(source, "render", False):
            return None
        return cls(source.render_wait_selector, source.render_click_selector,
                   source.render_timeout_ms or DEFAULT_TIMEOUT_MS, source.render_fallback)

    @classmethod
    def from_meta(cls, value) -> RenderSpec | None:
        if not value:
            return None
        if isinstance(value, RenderSpec):
            return value
        if value is True:
            return cls()
        return cls(**value)

    def meta(self) -> dict:
        """Request meta that asks for rendering (plain values: requests stay serialisable)."""
        return {META: asdict(self)}


async def settle(page, wait_selector: str | None, click_selector: str | None, timeout_ms: int) -> None:
    """The page method of a rendered request: wait (at most `timeout_ms` in all) until
    `wait_selector` is in the page; when `click_selector` comes first, click it, then wait."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout_ms / 1000

    def left() -> float:
        return max(1, round((deadline - loop.time()) * 1000))

    if click_selector:
        either = f"{wait_selector}, {click_selector}" if wait_selector else click_selector
        await page.wait_for_selector(either, state="attached", timeout=left())
        if not (wait_selector and await page.query_selector(wait_selector)):
            button = page.locator(click_selector).first
            if await button.count():
                await button.click(timeout=left())
    if wait_selector:
        await page.wait_for_selector(wait_selector, state="attached", timeout=left())


def playwright_meta(spec: RenderSpec) -> dict:
    from scrapy_playwright.page import PageMethod

    return {
        "playwright": True,
        "playwright_context": CONTEXT,
        # With a selector to wait for, the DOM is enough; the selector proves the body is there.
        "playwright_page_goto_kwargs": {"wait_until": "domcontentloaded" if spec.wait_selector else "load",
                                        "timeout": spec.timeout_ms},
        "playwright_page_methods": [PageMethod(settle, spec.wait_selector, spec.click_selector, spec.timeout_ms)],
    }


_PLAYWRIGHT_KEYS = ("playwright", "playwright_context", "playwright_page_goto_kwargs", "playwright_page_methods",
                    "playwright_page", "playwright_include_page")


class RenderMiddleware:
    """Routes requests declaring `newscrawl_render` to the browser; retries a failed render
    NEWSCRAWL_RENDER_RETRIES times, then falls back to the plain page when the spec allows it.
    Stats: newscrawl/render/rendered, .../retried, .../fallback, .../failed."""

    def __init__(self, stats, retries: int):
        self.stats = stats
        self.retries = retries

    @classmethod
    def from_crawler(cls, crawler):
        return cls(crawler.stats, crawler.settings.getint("NEWSCRAWL_RENDER_RETRIES", 1))

    def process_request(self, request):
        if request.meta.get("newscrawl_render_fallback") or "playwright" in request.meta:
            return None
        spec = RenderSpec.from_meta(request.meta.get(META))
        if spec:
            request.meta.update(playwright_meta(spec))
        return None

    def process_response(self, request, response):
        if request.meta.get(META) and "playwright" in response.flags:
            # The browser follows redirects itself (Playwright's routing never sees them): a page
            # that ended on a non-public address the operator did not name is not used.
            from newscrawl.urlgate import browser_request_refused, loggable_url

            if response.url != request.url and browser_request_refused(response.url):
                self.stats.inc_value("newscrawl/refused/private_address")
                logger.info("Refused %s: private_address (rendered page redirected from %s)",
                            loggable_url(response.url), loggable_url(request.url))
                raise IgnoreRequest("refused: private_address")
            self.stats.inc_value("newscrawl/render/rendered")
        return response

    def process_exception(self, request, exception):
        spec = RenderSpec.from_meta(request.meta.get(META))
        if not spec or not request.meta.get("playwright"):
            return None
        why = f"{type(exception).__name__}: {str(exception).splitlines()[0][:200] if str(exception) else ''}"
        tries = request.meta.get("newscrawl_render_retries", 0)
        if tries < self.retries and not isinstance(exception, BrowserNotFound):
            self.stats.inc_value("newscrawl/render/retried")
            logger.info("Rendering %s failed (%s): retrying", request.url, why)
            return request.replace(meta={**request.meta, "newscrawl_render_retries": tries + 1}, dont_filter=True)
        if spec.fallback:
            self.stats.inc_value("newscrawl/render/fallback")
            logger.warning("Rendering %s failed (%s): using the unrendered page", request.url, why)
            meta = {k: v for k, v in request.meta.items() if k not in _PLAYWRIGHT_KEYS}
            return request.replace(meta={**meta, "newscrawl_render_fallback": True}, dont_filter=True)
        self.stats.inc_value("newscrawl/render/failed")
        logger.error("Rendering %s failed (%s)%s", request.url, why,
                     "" if isinstance(exception, BrowserNotFound) else "; the source declares no fallback")
        return None


# ---- the download handler --------------------------------------------------------------------------


def _handler_class():
    from scrapy_playwright.handler import ScrapyPlaywrightDownloadHandler

    class PlaywrightHandler(ScrapyPlaywrightDownloadHandler):
        """scrapy-playwright's handler, starting Playwright on the first rendered request (not at
        engine start) and turning a missing browser into BrowserNotFound naming the fix."""

        def __init__(self, crawler):
            super().__init__(crawler)
            self._newscrawl_settings = crawler.settings
            self._started = False
            self._start_lock = asyncio.Lock()

        async def _maybe_launch_in_thread(self) -> None:   # engine_started (Scrapy >= 2.14): not yet
            return None

        def _engine_started(self):                           # engine_started (older Scrapy): not yet
            return None

        async def _download_request(self, request, spider=None):
            if not self._started:
                async with self._start_lock:
                    if not self._started:
                        check_browser(self._newscrawl_settings)
                        await self._launch()
                        self._started = True
            return await super()._download_request(request, spider)

        async def _maybe_launch_browser(self) -> None:
            try:
                await super()._maybe_launch_browser()
            except Exception as exc:
                if "xecutable doesn't exist" in str(exc):
                    raise BrowserNotFound(f"{str(exc).splitlines()[0]}: {_FIX}") from exc
                raise

    PlaywrightHandler.__module__ = __name__
    PlaywrightHandler.__qualname__ = "PlaywrightHandler"
    return PlaywrightHandler


def __getattr__(name):
    # DOWNLOAD_HANDLERS loads "newscrawl.render.PlaywrightHandler": built on first access, so importing
    # this module (settings.py does) does not import Playwright.
    if name == "PlaywrightHandler":
        cls = _handler_class()
        globals()[name] = cls
        return cls
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
