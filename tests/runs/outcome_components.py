"""Components that misbehave on purpose, loaded by the crawl subprocesses of
tests/runs/test_hostile_outcomes.py through `-s SPIDER_MODULES=` / `-s ITEM_PIPELINES=` (no pytest here:
this module is imported by `scrapy crawl`)."""

from itemadapter import ItemAdapter

from newscrawl.spiders.article import ArticleSpider

BOOM = "/boom/"            # article pages whose callback raises
PIPELINE_FAIL = "/lose-in-pipeline/"   # items an unguarded pipeline loses


class BoomSpider(ArticleSpider):
    """`article`, whose callback raises on pages under BOOM; takes one argument of its own
    (`marker`), known to `-a` checking without being declared anywhere else."""

    name = "article_boom"

    def __init__(self, *args, marker=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.marker = marker

    def parse_article(self, response):
        if BOOM in response.url:
            raise RuntimeError("a bug in a callback")
        yield from super().parse_article(response)


class LoseOnePipeline:
    """A third-party stage without a guard: raises for items under PIPELINE_FAIL."""

    def process_item(self, item):
        if PIPELINE_FAIL in ItemAdapter(item).get("url", ""):
            raise RuntimeError("a bug in a pipeline")
        return item
