"""Scrapy settings for newscrawl; every newscrawl setting is documented in docs/operations.md ("Settings").

Each default is stated once: here, or, for settings only one part reads, beside that part
(NEWSCRAWL_REDIS_*: newscrawl/distributed/defaults.py; PLAYWRIGHT_*: the Rendering add-on). The
environment gives addresses and secrets only (MONGODB_URI, REDIS_URL, NEWSCRAWL_CONTACT). Optional
parts are add-ons (ADDONS, newscrawl/addons.py), each switched by one setting, so `-s` or a scrapyd
job setting turns them on or off. This module imports no runtime code."""

import os

BOT_NAME = "newscrawl"
SPIDER_MODULES = ["newscrawl.spiders"]
# Scrapy's loader plus one spider per source of NEWSCRAWL_EXTRA_SOURCES (newscrawl/spiders/loader.py).
SPIDER_LOADER_CLASS = "newscrawl.spiders.loader.SourceSpiderLoader"
# A JSON file of more sources, crawled with the generic extraction (docs/sources.md). When
# unset, the loader reads the environment variable of the same name.
NEWSCRAWL_EXTRA_SOURCES = None
NEWSPIDER_MODULE = "newscrawl.spiders"

# Where runtime files go (spool, scheduler state, scrapyd home; newscrawl/datadir.py). None: var/ beside
# the project's scrapy.cfg (found from the working directory up, else the checkout the package runs
# from), outside a project ~/.local/share/newscrawl. A relative path is taken from the project directory.
NEWSCRAWL_DATA_DIR = None

# Identify ourselves and give site owners a way to reach us.
NEWSCRAWL_CONTACT = os.environ.get("NEWSCRAWL_CONTACT", "https://github.com/newscrawl/newscrawl")
USER_AGENT = f"newscrawl/0.1 (+{NEWSCRAWL_CONTACT})"

# Politeness.
ROBOTSTXT_OBEY = True
CONCURRENT_REQUESTS = 32
CONCURRENT_REQUESTS_PER_DOMAIN = 4
DOWNLOAD_DELAY = 0.25
AUTOTHROTTLE_ENABLED = True
AUTOTHROTTLE_START_DELAY = 1.0
AUTOTHROTTLE_MAX_DELAY = 30.0
AUTOTHROTTLE_TARGET_CONCURRENCY = 2.0
DOWNLOAD_TIMEOUT = 30
RETRY_TIMES = 3
RETRY_HTTP_CODES = [500, 502, 503, 504, 522, 524, 408, 429]

# Hostile input: refuse huge responses (also applies to decompressed size).
DOWNLOAD_MAXSIZE = 20 * 1024 * 1024
DOWNLOAD_WARNSIZE = 5 * 1024 * 1024

# Pages larger than this (after decompression) are dropped as `too_large` before parsing.
NEWSCRAWL_MAX_PAGE_BYTES = 8 * 1024 * 1024
# Without -a since, a source spider follows only this many of the newest child sitemaps of an index.
NEWSCRAWL_SITEMAP_MAX_CHILDREN = 3
# Discovery (newscrawl/discovery.py): sitemaps and feeds are third-party input, bounded where they enter.
NEWSCRAWL_SITEMAP_MAX_DEPTH = 3                  # index levels followed below a sitemap the crawl was given
NEWSCRAWL_SITEMAP_MAX_TOTAL = 1000               # child sitemaps requested per crawl
NEWSCRAWL_DISCOVERY_MAX_BYTES = 50 * 1024 * 1024  # a sitemap or feed (uncompressed; the sitemap protocol's limit)
NEWSCRAWL_DISCOVERY_MAX_ENTRIES = 500_000        # entries read from one document (the protocol allows 50,000)
NEWSCRAWL_DISCOVERY_MAX_PENDING = 1_000_000      # article URLs discovered and waiting (~40 bytes each)
NEWSCRAWL_DISCOVERY_MAX_QUEUED = 1000            # requests in the scheduler before discovery waits for it to drain
# Bodies shorter than this many words (CJK: characters) are not articles (`too_short`).
NEWSCRAWL_MIN_BODY_WORDS = 25
# Read every page as one of an unknown site: no page module, source declaration or publisher hint
# (to see what the generic extraction gives a source; `bench extraction` measures it).
NEWSCRAWL_GENERIC_EXTRACTION = False

# Responses whose items are still in the pipelines (e.g. waiting for a story lookup) may hold this
# many bytes before downloads pause (Scrapy's default, 5 MB, stalls the crawl on a slow server).
SCRAPER_SLOT_MAX_ACTIVE_SIZE = 20_000_000
# An article response yields one item: Scrapy starts CONCURRENT_ITEMS asyncio workers for every
# response's output (100 by default, ~1 ms of CPU per page for nothing).
CONCURRENT_ITEMS = 8
# Scrapy parses each callback's source on every call to warn about generators that return values
# (~1 ms per page); our callbacks are tested instead.
WARN_ON_GENERATOR_RETURN_VALUE = False

# One component per module in newscrawl/middlewares/; each order is distinct and says why it sits there.
# RenderMiddleware (585) is added by the Rendering add-on (newscrawl/addons.py).
DOWNLOADER_MIDDLEWARES = {
    # Serves `warc` spider requests from the archive file: after OffsiteMiddleware (50), before the
    # URL gate, robots.txt and everything that reaches the network.
    "newscrawl.middlewares.warc_replay.WarcReplayMiddleware": 55,
    # Refuses non-http(s) URLs and non-public destinations the operator did not name (newscrawl/urlgate.py).
    # After OffsiteMiddleware (50) and the archive, before robots.txt (100) and everything that reaches
    # the network; redirects and meta refreshes come back through it as new requests.
    "newscrawl.middlewares.urlgate.UrlGateMiddleware": 60,
    # Before RetryMiddleware (550) sees a 429/503: wait as the server's Retry-After asks (capped).
    "newscrawl.middlewares.retry_after.RetryAfterMiddleware": 560,
    # Scrapy's MetaRefreshMiddleware in its place, ruling a refresh out on the bytes before decoding
    # the page and counting declined non-http(s) targets.
    "scrapy.downloadermiddlewares.redirect.MetaRefreshMiddleware": None,
    "newscrawl.middlewares.redirect.MetaRefreshMiddleware": 580,
    # Scrapy's HttpCompressionMiddleware in its place, also counting bodies refused by DOWNLOAD_MAXSIZE
    # (gzip bombs).
    "scrapy.downloadermiddlewares.httpcompression.HttpCompressionMiddleware": None,
    "newscrawl.middlewares.size_limit.SizeLimitMiddleware": 590,
    # Scrapy's RedirectMiddleware in its place, counting the redirects to non-http(s) URLs it declines.
    "scrapy.downloadermiddlewares.redirect.RedirectMiddleware": None,
    "newscrawl.middlewares.redirect.RedirectMiddleware": 600,
}
NEWSCRAWL_RETRY_AFTER_MAX_SECONDS = 120

# Only the web is fetched: no handler reads local files, inline data, FTP or S3, whatever URL reaches
# the downloader (the URL gate refuses them first; neither layer alone carries it). http and https
# are Scrapy's, or the Playwright handler the Rendering add-on installs.
DOWNLOAD_HANDLERS = {
    "file": None,
    "data": None,
    "ftp": None,
    "s3": None,
}
# Private, loopback and other non-public hosts a crawl may reach although no URL or source of the
# crawl names them: `host` (any port) or `host:port` (newscrawl/urlgate.py).
NEWSCRAWL_ALLOWED_PRIVATE_HOSTS = []
# Scrapy's caching resolver, refusing non-public answers for hosts not named (closes DNS rebinding).
TWISTED_DNS_RESOLVER = "newscrawl.urlgate.PublicOnlyResolver"
# JavaScript-rendered pages (newscrawl/render/, docs/rendering.md): the Rendering
# add-on installs the Playwright handler, RenderMiddleware and the PLAYWRIGHT_* settings. Only requests
# a source or `-a render=true` marks are rendered; the browser starts on the first one. False: none is.
NEWSCRAWL_RENDERING_ENABLED = True
NEWSCRAWL_RENDER_RETRIES = 1              # re-renders of a failed page before fallback / failure

ITEM_PIPELINES = {
    "newscrawl.pipelines.ValidatePipeline": 100,
    "newscrawl.pipelines.DedupePipeline": 200,
    "newscrawl.pipelines.LanguagePipeline": 300,
    # MongoPipeline (900) is added by the MongoStorage add-on (ADDONS below).
}
EXTENSIONS = {
    # CrawlRunRecorder (500) is added by the MongoStorage add-on (ADDONS below).
    # Judges the crawl at close against the source's own history in crawl_runs (newscrawl/runs/health.py):
    # a failed run logs one ERROR line, is recorded `failed` and makes `scrapy crawl` exit 3.
    "newscrawl.runs.health.CrawlHealthMonitor": 510,
    # What happened to the articles (ok / degraded / failed): one line at close, the run record and
    # the exit code of `scrapy crawl` (0 / 5 / 3; newscrawl/runs/health.py `outcome`).
    "newscrawl.runs.health.CrawlOutcome": 515,
    "newscrawl.extensions.memory.MemoryTrim": 530,
    # Debug records of libraries are not built when LOG_LEVEL is above DEBUG (newscrawl/extensions/loglevel.py).
    "newscrawl.extensions.loglevel.RootLogLevel": 540,
    "newscrawl.extensions.gcfreeze.GcFreeze": 550,
    # The periodic crawl line, with articles stored per minute, spooled and dropped
    # (newscrawl/extensions/logstats.py), instead of Scrapy's (same order, LOGSTATS_INTERVAL).
    "scrapy.extensions.logstats.LogStats": None,
    "newscrawl.extensions.logstats.CrawlLogStats": 0,
}
# Objects alive when the spider opens (modules, classes) are left out of garbage collection
# (gc.freeze): full collections then stop walking them again and again (newscrawl/extensions/gcfreeze.py).
NEWSCRAWL_GC_FREEZE = True
# Freed C heap memory goes back to the OS this often (glibc malloc_trim; 0 disables).
NEWSCRAWL_MALLOC_TRIM_SECONDS = 30
# Blocks from this size (bytes) get their own mmap, returned to the OS when freed (glibc; 0 = glibc's
# moving threshold, under which page-sized buffers end up fragmenting the heap).
NEWSCRAWL_MALLOC_MMAP_THRESHOLD = 512 * 1024
# `scrapy crawl` from newscrawl/commands/crawl.py: non-zero exit code when the health check failed.
COMMANDS_MODULE = "newscrawl.commands"
# Health check thresholds (docs/operations.md). Relative rules need MIN_HISTORY finished runs of the
# spider; the baseline is the median of the last HISTORY_RUNS of them.
NEWSCRAWL_HEALTH_ENABLED = True
NEWSCRAWL_HEALTH_HISTORY_RUNS = 10
NEWSCRAWL_HEALTH_MIN_HISTORY = 3
NEWSCRAWL_HEALTH_MIN_ITEMS = 5            # items (and article pages) a run needs for coverage/drop rules
NEWSCRAWL_HEALTH_MIN_REQUESTS = 10        # requests a run needs for the error-rate rule
NEWSCRAWL_HEALTH_ERROR_RATE_FACTOR = 3.0  # failed when above max(median x FACTOR, median + MIN_INCREASE)
NEWSCRAWL_HEALTH_ERROR_RATE_MIN_INCREASE = 0.2
NEWSCRAWL_HEALTH_DROP_RATE_FACTOR = 3.0
NEWSCRAWL_HEALTH_DROP_RATE_MIN_INCREASE = 0.2
NEWSCRAWL_HEALTH_COVERAGE_RATIO = 0.5     # published_at / authors share below median x RATIO fails
NEWSCRAWL_HEALTH_BODY_RATIO = 0.5         # mean (and median) body length below median x RATIO fails
NEWSCRAWL_HEALTH_LAYOUT_MISS_FACTOR = 3.0      # layout-miss rate above max(median x FACTOR, median + MIN_INCREASE)
NEWSCRAWL_HEALTH_LAYOUT_MISS_MIN_INCREASE = 0.2
# Items dropped in the pipelines count `newscrawl/dropped/<reason>`.
# Published/modified times later than crawled_at plus this are implausible: treated as unknown.
NEWSCRAWL_FUTURE_TOLERANCE_HOURS = 6
NEWSCRAWL_DEDUPE_ENABLED = True
NEWSCRAWL_DEDUPE_THRESHOLD = 0.3      # estimated Jaccard similarity of word 3-gram shingles
NEWSCRAWL_DEDUPE_NUM_PERM = 128
# Cross-run story lookups in MongoDB are micro-batched: the articles waiting for one are sent as one
# query when this many wait, or this many milliseconds after the first (one query at a time).
NEWSCRAWL_DEDUPE_LOOKUP_BATCH = 100
NEWSCRAWL_DEDUPE_LOOKUP_WAIT_MS = 100
NEWSCRAWL_DEDUPE_MEMORY_ARTICLES = 2000  # with MongoDB: newest articles kept in memory (> articles not yet written); older ones are looked up
NEWSCRAWL_LANGUAGE_MIN_CONFIDENCE = 0.8
NEWSCRAWL_LANGUAGE_MAX_CHARS = 1000

# MongoDB storage (newscrawl/pipelines.py MongoPipeline, newscrawl/storage/).
# The switch of the MongoStorage add-on (-s MONGODB_ENABLED=false crawls without storage).
MONGODB_ENABLED = True
# With its credentials, from the environment only (never logged: masked).
MONGODB_URI = os.environ.get("MONGODB_URI", "mongodb://127.0.0.1:27017")
MONGODB_DATABASE = "newscrawl"
MONGODB_COLLECTION = "articles"
MONGODB_KEEP_REVISIONS = False          # keep full previous versions, not only their hashes and times
MONGODB_SERVER_TIMEOUT_MS = 5000        # server selection timeout of one attempt
MONGODB_START_CHECK_TIMEOUT_MS = 2500   # the one ping when the spider opens (0: the server timeout)
MONGODB_STORY_LOOKUP = "auto"           # near-duplicate story lookups: index (MongoDB), scan (FerretDB), auto
MONGODB_BUFFER_SIZE = 200               # items per bulk upsert
MONGODB_FLUSH_SECONDS = 2.0             # flush a partial buffer at least this often
MONGODB_MAX_PENDING_BATCHES = 4         # back-pressure: batches in flight before processing waits
MONGODB_RETRY_ATTEMPTS = 5              # attempts per batch before spooling
MONGODB_RETRY_BACKOFF_SECONDS = 0.5     # first backoff; doubles per attempt
MONGODB_SPOOL_DIR = None                # documents MongoDB did not take, for `storage replay`; None: <data dir>/spool
NEWSCRAWL_CRAWL_RUNS_ENABLED = True     # write a crawl_runs document per crawl

# JOBDIR (pause and resume): requests on disk as checked JSON, not Scrapy's pickle (a planted file
# would run code at resume); SpiderState pickles spider.state into the job directory and no spider uses it.
SCHEDULER_DISK_QUEUE = "newscrawl.distributed.serializer.JsonLifoDiskQueue"
EXTENSIONS["scrapy.extensions.spiderstate.SpiderState"] = None

# Distributed crawling (docs/distributed.md, newscrawl/distributed/): "redis" (-s, here, or a
# scrapyd job setting) makes the Distributed add-on put every worker of a spider on scrapy-redis's
# shared request queue and dupefilter at REDIS_URL. NEWSCRAWL_REDIS_* defaults: distributed/defaults.py.
NEWSCRAWL_DISTRIBUTED = ""
# With its credentials, from the environment only (never logged: masked as redis://:***@host).
REDIS_URL = os.environ.get("REDIS_URL", "redis://127.0.0.1:6379")

# Optional parts, each switched by its own setting (newscrawl/addons.py).
ADDONS = {
    "newscrawl.addons.MongoStorage": 0,     # MONGODB_ENABLED
    "newscrawl.addons.Rendering": 0,        # NEWSCRAWL_RENDERING_ENABLED
    "newscrawl.addons.Distributed": 0,      # NEWSCRAWL_DISTRIBUTED
}

FEED_EXPORT_ENCODING = "utf-8"
# FEED_EXPORT_FIELDS: the public Article fields, set by the spiders (NewsSpider.update_settings).
TWISTED_REACTOR = "twisted.internet.asyncioreactor.AsyncioSelectorReactor"
LOG_LEVEL = "INFO"
