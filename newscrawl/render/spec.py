"""What a rendered request declares (`RenderSpec`, carried in ``meta["newscrawl_render"]`` as plain
values) and the scrapy-playwright meta it becomes (`playwright_meta`): one browser context, a goto
timeout and one page method (`settle`) that waits for the declared selector, clicking a "read more"
button first when there is one. Imports nothing of Playwright: spiders import this module.
"""

from __future__ import annotations

import asyncio
from dataclasses import asdict, dataclass

# Every rendered request uses this browser context (one cookie jar; PLAYWRIGHT_MAX_CONTEXTS is a cap).
CONTEXT = "newscrawl"
META = "newscrawl_render"
DEFAULT_TIMEOUT_MS = 15_000
# The meta keys playwright_meta sets (or scrapy-playwright reads): dropped for the unrendered fallback.
PLAYWRIGHT_KEYS = ("playwright", "playwright_context", "playwright_page_goto_kwargs", "playwright_page_methods",
                   "playwright_page", "playwright_include_page")


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
