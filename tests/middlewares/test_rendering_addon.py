"""The Rendering add-on (newscrawl/addons.py) and how the downloader components are put together:
what the add-on installs, that one setting switches rendering off, that the operator's settings
win over the add-on's, that no two downloader middlewares share an order, and that each component
with a switch turns itself off in from_crawler. (settings.py importing no runtime code:
tests/ops/test_settings.py.)"""

import json

import pytest
from scrapy.exceptions import NotConfigured
from scrapy.settings import Settings
from scrapy.utils.project import get_project_settings

from newscrawl.addons import Rendering
from newscrawl.middlewares.render import RenderMiddleware
from newscrawl.middlewares.retry_after import RetryAfterMiddleware
from newscrawl.render.browser import BrowserNotFound, check_browser, launch_options

HANDLER = "newscrawl.render.handler.PlaywrightHandler"
OFF_SCHEMES = ("file", "data", "ftp", "s3")


def settings_after_addons(**cmdline) -> Settings:
    """The project's settings with `-s` values, as the crawler sees them once the add-ons ran."""
    settings = get_project_settings()
    for name, value in cmdline.items():
        settings.set(name, value, priority="cmdline")
    try:
        Rendering().update_settings(settings)
    except NotConfigured:
        pass
    return settings


def enabled_downloader_middlewares(settings) -> dict:
    return {k: v for k, v in settings.getwithbase("DOWNLOADER_MIDDLEWARES").items() if v is not None}


def test_rendering_addon_installs_the_browser_for_http_and_https_only():
    settings = settings_after_addons()
    handlers = settings.getwithbase("DOWNLOAD_HANDLERS")
    assert handlers["http"] == handlers["https"] == HANDLER
    assert all(handlers[scheme] is None for scheme in OFF_SCHEMES)
    assert enabled_downloader_middlewares(settings)["newscrawl.middlewares.render.RenderMiddleware"] == 585
    assert settings.getdict("PLAYWRIGHT_LAUNCH_OPTIONS") == launch_options()
    assert settings["PLAYWRIGHT_ABORT_REQUEST"] == "newscrawl.render.handler.abort_request"
    assert settings.getint("PLAYWRIGHT_MAX_PAGES_PER_CONTEXT") == 4


def test_rendering_switched_off_leaves_every_download_plain(tmp_path):
    settings = settings_after_addons(NEWSCRAWL_RENDERING_ENABLED=False)
    handlers = settings.getwithbase("DOWNLOAD_HANDLERS")
    assert "newscrawl" not in handlers["http"] and "newscrawl" not in handlers["https"]
    assert all(handlers[scheme] is None for scheme in OFF_SCHEMES)
    assert not any("render" in k for k in enabled_downloader_middlewares(settings))
    assert not [k for k in settings if k.startswith("PLAYWRIGHT_")]
    # A rendering source then needs no browser: its pages are fetched plain.
    check_browser(Settings({"NEWSCRAWL_RENDERING_ENABLED": False,
                            "PLAYWRIGHT_LAUNCH_OPTIONS": {"executable_path": str(tmp_path / "none")}}))
    with pytest.raises(BrowserNotFound):
        check_browser(Settings({"NEWSCRAWL_RENDERING_ENABLED": True,
                                "PLAYWRIGHT_LAUNCH_OPTIONS": {"executable_path": str(tmp_path / "none")}}))


def test_operator_settings_win_over_the_addon():
    settings = settings_after_addons(PLAYWRIGHT_MAX_CONTEXTS=5,
                                     DOWNLOAD_HANDLERS=json.dumps({"https": "example.Handler", "file": None}))
    assert settings.getint("PLAYWRIGHT_MAX_CONTEXTS") == 5
    handlers = settings.getwithbase("DOWNLOAD_HANDLERS")
    assert handlers["https"] == "example.Handler" and handlers["http"] == HANDLER


def test_no_two_downloader_middlewares_share_an_order():
    orders = enabled_downloader_middlewares(settings_after_addons())
    assert len(set(orders.values())) == len(orders), sorted(orders.items(), key=lambda kv: kv[1])


def test_components_with_a_switch_turn_themselves_off():
    from scrapy.utils.test import get_crawler

    with pytest.raises(NotConfigured):
        RenderMiddleware.from_crawler(get_crawler(settings_dict={"NEWSCRAWL_RENDERING_ENABLED": False}))
    with pytest.raises(NotConfigured):
        RetryAfterMiddleware.from_crawler(get_crawler(settings_dict={"NEWSCRAWL_RETRY_AFTER_MAX_SECONDS": 0}))
    on = RenderMiddleware.from_crawler(get_crawler(settings_dict={"NEWSCRAWL_RENDERING_ENABLED": True,
                                                                  "NEWSCRAWL_RENDER_RETRIES": 2}))
    assert on.retries == 2
