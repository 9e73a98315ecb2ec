"""Scrapy add-ons (``ADDONS`` in settings.py) that switch newscrawl's optional parts on as a whole:
each reads its own switch setting in ``update_settings`` and adds the components and settings it
needs, so one setting (``-s`` or the environment's URI) turns a part on or off."""


class MongoStorage:
    """MongoDB storage, switched by MONGODB_ENABLED (settings.py, on; `-s MONGODB_ENABLED=false`
    crawls without a server): adds the store pipeline (after validate, dedupe, language) and the
    crawl run recorder (a `crawl_runs` document per crawl), at add-on priority, so settings.py or
    `-s ITEM_PIPELINES=...` can still move or remove either."""

    PIPELINE = "newscrawl.pipelines.MongoPipeline"
    PIPELINE_ORDER = 900
    RECORDER = "newscrawl.runs.recorder.CrawlRunRecorder"
    RECORDER_ORDER = 500

    def update_settings(self, settings):
        from scrapy.exceptions import NotConfigured

        if not settings.getbool("MONGODB_ENABLED"):
            raise NotConfigured
        settings["ITEM_PIPELINES"].set(self.PIPELINE, self.PIPELINE_ORDER, "addon")
        settings["EXTENSIONS"].set(self.RECORDER, self.RECORDER_ORDER, "addon")


class Rendering:
    """JavaScript rendering through scrapy-playwright (newscrawl/render/), switched by
    NEWSCRAWL_RENDERING_ENABLED (settings.py, on: which pages are rendered is decided per request,
    by `-a render=true` or a source's `render`). Installs the Playwright handler for http and https
    (requests without meta `playwright` still go to Scrapy's HTTP/1.1 handler), RenderMiddleware,
    and the PLAYWRIGHT_* settings below (their one statement), all at add-on priority: settings.py,
    a spider or `-s` override any of them. Other schemes' handlers are left as they are (None)."""

    HANDLER = "newscrawl.render.handler.PlaywrightHandler"
    MIDDLEWARE = "newscrawl.middlewares.render.RenderMiddleware"
    # Exceptions and responses travel down the orders: a failed render reaches RenderMiddleware
    # (its retry, then fallback) before RetryMiddleware (550), and a rendered page is checked
    # before MetaRefreshMiddleware (580) reads it; on the way out it sets the Playwright meta
    # after the headers (400, 500) are in place.
    MIDDLEWARE_ORDER = 585
    SETTINGS = {
        "PLAYWRIGHT_BROWSER_TYPE": "chromium",
        "PLAYWRIGHT_MAX_CONTEXTS": 2,
        "PLAYWRIGHT_MAX_PAGES_PER_CONTEXT": 4,      # pages open at once (each is closed after its response)
        "PLAYWRIGHT_DEFAULT_NAVIGATION_TIMEOUT": 30_000,
        "PLAYWRIGHT_ABORT_REQUEST": "newscrawl.render.handler.abort_request",   # images, media, fonts, trackers
    }

    def update_settings(self, settings):
        from scrapy.exceptions import NotConfigured

        from newscrawl.render.browser import launch_options

        if not settings.getbool("NEWSCRAWL_RENDERING_ENABLED"):
            raise NotConfigured
        # Debian's Chromium (or $NEWSCRAWL_CHROMIUM) when present, else Playwright's own; computed
        # for each crawl, so settings.py imports no runtime code.
        for name, value in {**self.SETTINGS, "PLAYWRIGHT_LAUNCH_OPTIONS": launch_options()}.items():
            settings.set(name, value, "addon")
        for scheme in ("http", "https"):
            settings["DOWNLOAD_HANDLERS"].set(scheme, self.HANDLER, "addon")
        settings["DOWNLOADER_MIDDLEWARES"].set(self.MIDDLEWARE, self.MIDDLEWARE_ORDER, "addon")


class Distributed:
    """Distributed crawling over Redis, switched by NEWSCRAWL_DISTRIBUTED ("redis", or empty: off),
    given by `-s`, settings.py or a scrapyd job setting; REDIS_URL (with its credentials) comes from
    the environment through settings.py. Installs scrapy-redis's roles as newscrawl.distributed has
    them (scheduler, queue, dupefilter, JSON serializer) and IdleWait, at add-on priority
    (newscrawl/distributed/defaults.py)."""

    def update_settings(self, settings):
        from scrapy.exceptions import NotConfigured

        from newscrawl.distributed import defaults
        from newscrawl.errors import SettingError

        mode = str(settings.get("NEWSCRAWL_DISTRIBUTED") or "").strip().lower()
        if not mode:
            raise NotConfigured
        if mode != "redis":
            raise SettingError(f"NEWSCRAWL_DISTRIBUTED must be 'redis' or empty, not {mode!r}")
        for name, value in defaults.SETTINGS.items():
            settings.set(name, value, "addon")
        for path, order in defaults.EXTENSIONS.items():
            settings["EXTENSIONS"].set(path, order, "addon")
