"""Schweizer Radio und Fernsehen (srf.ch). No JSON-LD article; meta tags carry the date
(`article:published_time`, with offset) and authors (short staff signatures such as "srf/hosb").
The <h1 class="article-title"> holds a kicker (`article-title__overline`), an off-screen dash and
the headline proper (`article-title__text`); og:title joins kicker and headline, so the title is
read from the headline span."""

import lxml.etree

from newscrawl.extract.text import clean_text
from newscrawl.pages import LayoutSelectors, source_page
from newscrawl.pages.base import ArticlePage
from newscrawl.pages.selectors import has_class
from newscrawl.sources import Feed, Source


SOURCE = Source(
    slug="srf",
    name="Schweizer Radio und Fernsehen",
    domains=("srf.ch",),
    language="de",
    timezone="Europe/Zurich",
    feeds=(
        Feed("rss", "https://www.srf.ch/news/bnf/rss/1646"),
        Feed("news_sitemap", "https://www.srf.ch/sitemaps/newsmap/news/index.xml"),
        Feed("sitemap", "https://www.srf.ch/new-news-sitemap"),
    ),
    article_url=r"srf\.ch/(?:news|sport|kultur|wissen|meteo)/(?:[\w-]+/)+[^\W_]+(?:-[^\W_]+){2,}/?(?:[?#]|$)",
    exclude_url=r"/(?:audio|video|play|sendungen|bnf)/|liveticker|live-ticker|newsticker",
)


@source_page(SOURCE)
class SRF(ArticlePage):
    """Layout in use since the 2019 redesign of srf.ch/news."""

    selectors = LayoutSelectors(
        body='//section[@itemprop="articleBody"]',)

    HEADLINE = lxml.etree.XPath('//h1[contains(@class, "article-title")]'
                                f'//*[{has_class("article-title__text")}]')

    def title(self) -> str | None:
        for el in self.HEADLINE(self.tree):
            text = clean_text(el.text_content())
            if text:
                return text
        return super().title()
