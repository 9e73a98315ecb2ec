"""Sankei Shimbun (sankei.com, Arc XP). JSON-LD NewsArticle with headline, datePublished (+09:00) and
the reporter as author (also the ``author`` meta); ``h1.article-headline`` in
``div.article-header``. The text is ``p.article-text`` paragraphs and ``h2.article-middle-headline``
intertitles in ``div.article-body``, between photo figures and inline ad slots
(``div.inline-gptAd``): read from those elements, as trafilatura merges the header's byline and
date line and the captions into the text on short articles."""

import lxml.etree

from newscrawl.pages import LayoutSelectors, source_page
from newscrawl.pages.containers import element_lines
from newscrawl.pages.base import ArticlePage
from newscrawl.sources import Feed, Source


SOURCE = Source(
    slug="sankei",
    name="産経新聞",
    domains=("sankei.com",),
    language="ja",
    timezone="Asia/Tokyo",
    feeds=(
        Feed("news_sitemap", "https://www.sankei.com/feeds/sitemapindex-category/?outputType=xml"),
    ),
    article_url=r"^https?://www\.sankei\.com/article/\d{8}-[A-Z0-9]{20,}/?(?:[?#]|$)",
    concurrency=4,
    delay=0.5,
)


@source_page(SOURCE)
class Sankei(ArticlePage):
    """Arc XP layout in use since 2021."""

    BLOCKS = lxml.etree.XPath('//div[contains(@class, "article-body")]//*[self::p[contains(@class, "article-text")]'
                              ' or self::h2[contains(@class, "article-middle-headline")]]')

    selectors = LayoutSelectors(body=BLOCKS)

    def layout_paragraphs(self) -> list[str]:
        return [line for el in self.BLOCKS(self.tree) for line in element_lines(el)]
