"""Dagbladet (dagbladet.no, Aller's "Labrador" CMS). The header holds a kicker (``div.kicker``) above
``h1.headline`` (the JSON-LD headline glues the two: "«Kicker»: Headline"), then ``h3.subtitle``,
the standfirst. The visible byline (``div.bylines .byline address.name``, one per reporter) is
complete, while JSON-LD and ``article:author`` name only one reporter. The text is the direct
children of ``div[itemprop=articleBody].body-copy``: ``p`` and ``h2`` intertitles, between an AI
summary box (``div.aiArticleSummary``, "Kort fortalt"), fact boxes (``aside.factbox``), teasers of
other articles (``article.preview``), ad rows and video players, all left out."""

import lxml.etree

from newscrawl.extract.authors import clean_names
from newscrawl.extract.text import clean_text
from newscrawl.pages import LayoutSelectors, source_page
from newscrawl.pages.containers import element_lines
from newscrawl.pages.base import ArticlePage
from newscrawl.pages.selectors import CHILD_BLOCKS, has_class
from newscrawl.sources import Feed, Source


SOURCE = Source(
    slug="dagbladet",
    name="Dagbladet",
    domains=("dagbladet.no", "db.no"),
    language="no",
    timezone="Europe/Oslo",
    feeds=(
        Feed("news_sitemap", "https://www.dagbladet.no/sitemap"),
        Feed("sitemap", "https://www.dagbladet.no/app/jw-api-proxy/sitemap/index/dagbladet.xml"),
    ),
    article_url=r"^https?://(?:www\.)?(?:dagbladet|db)\.no/(?:[\w-]+/)+\d{6,9}/?(?:[?#]|$)",
    exclude_url=r"/(?:video|tag|emne|direkte)/",
    concurrency=4,
    delay=0.5,
)


@source_page(SOURCE)
class Dagbladet(ArticlePage):
    """Labrador layout in use since 2019."""

    HEADLINE = lxml.etree.XPath(f'//article//header//h1[{has_class("headline")}]')
    STANDFIRST = lxml.etree.XPath(f'//article//header//*[{has_class("subtitle")}]')
    BYLINE = lxml.etree.XPath(f'//*[{has_class("bylines")}]'
                              f'//*[{has_class("byline")}]'
                              '//address[contains(@class, "name")]')
    BODY = lxml.etree.XPath(f'//*[@itemprop="articleBody"][{has_class("body-copy")}]')
    BLOCKS = lxml.etree.XPath(CHILD_BLOCKS)

    def applies(self) -> bool:
        return bool(self.BODY(self.tree))

    def title(self) -> str | None:
        for el in self.HEADLINE(self.tree):
            text = clean_text(el.text_content())
            if text:
                return text
        return super().title()

    def standfirst(self) -> str | None:
        return self.first_text(self.STANDFIRST)

    def summary(self) -> str | None:
        return self.standfirst() or super().summary()

    selectors = LayoutSelectors(body=BODY, lede=STANDFIRST)

    def layout_paragraphs(self) -> list[str]:
        found = self.BODY(self.tree)
        return [line for el in self.BLOCKS(found[0]) for line in element_lines(el)] if found else []

    def authors(self) -> list[str]:
        names = [el.text_content() for el in self.BYLINE(self.tree)]
        persons, _ = clean_names(names, self.site_names())
        return persons or super().authors()
