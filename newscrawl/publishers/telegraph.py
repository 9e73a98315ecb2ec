"""The Telegraph (telegraph.co.uk). Schema.org microdata in the markup: the visible headline is
`h1[itemprop=headline]` (the JSON-LD headline is an SEO variant that differs from it), the
standfirst `p[itemprop=description]` (`e-standfirst`), the byline `span[itemprop=author]` with
`span.e-byline__author`, and the date `time[itemprop=datePublished]` with an offset (microdata,
read by the generic extraction). The text is a series of `div.component.article-body-text`
blocks inside `div.articleBodyText`, between which sit images, embeds and shopping widgets.
On the "Recommended" shopping reviews (/recommended/) the lists in the text are product
"at a glance" lists and specification bullets repeated from the product widgets, not prose."""

import lxml.etree

from newscrawl.extract.text import clean_text
from newscrawl.pages import LayoutSelectors, source_page
from newscrawl.pages.base import ArticlePage
from newscrawl.pages.selectors import has_class
from newscrawl.sources import Feed, Source


SOURCE = Source(
    slug="telegraph",
    name="The Telegraph",
    domains=("telegraph.co.uk",),
    language="en",
    timezone="Europe/London",
    feeds=(
        Feed("news_sitemap", "https://www.telegraph.co.uk/custom/daily-news/sitemap.xml"),
        Feed("sitemap", "https://www.telegraph.co.uk/sitemap.xml"),
    ),
    article_url=r"telegraph\.co\.uk/(?:(?:[\w-]+/)+\d{4}/\d{2}/\d{2}/[\w-]+|recommended/(?:[\w-]+/)+[a-z0-9]+(?:-[a-z0-9]+)+/?(?:$|[?#]))",
    exclude_url=r"telegraph\.co\.uk/(?:[\w-]+/)*(?:tv|videos?|galleries|picturegalleries|puzzles)/",
)


_HEADLINE = lxml.etree.XPath("//h1[@itemprop='headline']")
_STANDFIRST = lxml.etree.XPath("//p[@itemprop='description' or contains(@class, 'e-standfirst')]")
_TEXT_COMPONENT = ("//div[contains(@class, 'articleBodyText')]"
                   f"//div[{has_class('article-body-text')}]")
_BLOCKS = lxml.etree.XPath(_TEXT_COMPONENT + "/*[self::p or self::h2 or self::h3 or self::blockquote]"
                           " | " + _TEXT_COMPONENT + "/*[self::ul or self::ol]/li")
_PROSE_BLOCKS = lxml.etree.XPath(_TEXT_COMPONENT + "/*[self::p or self::h2 or self::h3 or self::blockquote]")


@source_page(SOURCE)
class TelegraphRecommended(ArticlePage):
    """Shopping reviews under /recommended/ (layout of 2022-2023): lists left out of the text."""

    blocks_xpath = _PROSE_BLOCKS

    def applies(self) -> bool:
        return "/recommended/" in self.fetched_url

    def title(self) -> str | None:
        for el in _HEADLINE(self.tree):
            text = clean_text(el.text_content())
            if text:
                return text
        return super().title()

    def summary(self) -> str | None:
        return self.first_text(_STANDFIRST) or super().summary()

    selectors = LayoutSelectors(body=_PROSE_BLOCKS, lede=_STANDFIRST)

    def layout_paragraphs(self) -> list[str]:
        blocks = [clean_text(el.text_content()) for el in self.blocks_xpath(self.tree)]
        return [b for b in blocks if b]


@source_page(SOURCE)
class Telegraph(TelegraphRecommended):
    """News and features layout (2022-2023): list items are paragraphs of the text."""

    blocks_xpath = _BLOCKS
    selectors = LayoutSelectors(body=_BLOCKS, lede=_STANDFIRST)

    def applies(self) -> bool:
        return True
