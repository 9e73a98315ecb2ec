"""The project's spider loader (SPIDER_LOADER_CLASS): Scrapy's, which finds the spiders of
SPIDER_MODULES (one per declared source among them: the publisher modules' and the catalog's,
newscrawl/publishers/catalog.toml), plus one spider per extra source of the JSON
file named by the NEWSCRAWL_EXTRA_SOURCES setting (a list of objects with the fields of
newscrawl.sources.Source; crawled with the generic extraction). The setting comes first; when it is
unset, the environment variable of the same name is read, for scripts and scrapyd jobs that set it
there. The extra sources are registered in newscrawl.sources.SOURCES, so that `get_source` and the
page routing know them. An extra source may repeat a declared source only word for word (it is
then the same source, with its spider); one that redefines a declared slug stops the loading."""

import os

from scrapy.spiderloader import SpiderLoader

from newscrawl.sources import SOURCES, load_extra_sources
from newscrawl.spiders.sources import spider_class


class SourceSpiderLoader(SpiderLoader):
    def __init__(self, settings):
        super().__init__(settings)
        path = settings.get("NEWSCRAWL_EXTRA_SOURCES") or os.environ.get("NEWSCRAWL_EXTRA_SOURCES")
        if not path:
            return
        for source in load_extra_sources(path):
            SOURCES.register(source)
            if getattr(self._spiders.get(source.slug), "source", None) == source:
                continue    # the same declaration as a catalog source: its spider already exists
            if source.slug in self._spiders:
                raise ValueError(f"NEWSCRAWL_EXTRA_SOURCES: a spider named {source.slug!r} already exists")
            self._spiders[source.slug] = spider_class(source)
