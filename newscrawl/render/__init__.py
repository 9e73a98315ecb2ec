"""JavaScript-rendered pages through scrapy-playwright (docs/rendering.md).

A request is rendered when it carries ``meta["newscrawl_render"]`` (a dict of `RenderSpec` fields, or
True for the defaults): source spiders set it on the article requests of a source with
``render=True``, the `article` spider with ``-a render=true``. Every other request goes through
Scrapy's plain HTTP downloader.

  spec.py      what a request declares (`RenderSpec`) and the scrapy-playwright meta it becomes
  browser.py   which Chromium, its launch options, and the check that names the fix when none is there
  handler.py   the download handler (Playwright starts on the first rendered request) and the
               filter of what a rendered page may load (`abort_request`)

`RenderMiddleware` (newscrawl/middlewares/render.py) applies the spec, counts the outcomes, retries
and falls back. The `Rendering` add-on (newscrawl/addons.py) installs the handler, the middleware
and the PLAYWRIGHT_* settings; NEWSCRAWL_RENDERING_ENABLED=False leaves all of them out.
"""
