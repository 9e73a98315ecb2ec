"""Rzeczpospolita (rp.pl). JSON-LD NewsArticle (headline, datePublished with offset, authors); the
standfirst is `div.blog--subtitle`, the article `div.articleBody` whose own blocks carry
`articleBodyBlock`: paragraphs `p.article--paragraph` and intertitles `h2.article--header`. Between
them: "Czytaj więcej" teasers of other articles (a `div.articleBodyBlock` wrapping
`content--excerpt` with the other article's title and lead), in-text video and adverts. The
text is split into several consecutive `div.articleBody` sections (adverts between them) and the
generic extraction stops after the first, so the body is read from the blocks of all sections."""

import lxml.etree

from newscrawl.extract.text import clean_text
from newscrawl.pages import LayoutSelectors, source_page
from newscrawl.pages.base import ArticlePage
from newscrawl.pages.selectors import has_class
from newscrawl.sources import Feed, Source


SOURCE = Source(
    slug="rp",
    name="Rzeczpospolita",
    domains=("rp.pl",),
    language="pl",
    timezone="Europe/Warsaw",
    feeds=(
        Feed("sitemap", "https://www.rp.pl/sitemaps/sitemap.xml"),
        Feed("news_sitemap", "https://www.rp.pl/sitemaps/news-sitemap.xml"),
    ),
    article_url=r"rp\.pl/(?:[\w-]+/)*art\d+-[\w-]+",
    exclude_url=r"/(?:galeria|wideo|video)/",
)


@source_page(SOURCE)
class Rzeczpospolita(ArticlePage):
    """Layout in use since the 2021 relaunch (URLs `/<section>/art<id>-<slug>`)."""

    SUBTITLE = lxml.etree.XPath(f'//div[{has_class("blog--subtitle")}]')
    BLOCKS = lxml.etree.XPath(
        f'//div[{has_class("articleBody")}]/*[{has_class("articleBodyBlock")}]'
        f'[{has_class("article--paragraph")} or {has_class("article--header")}'
        ' or self::ul or self::ol or self::blockquote]')

    def summary(self) -> str | None:
        return self.first_text(self.SUBTITLE) or super().summary()

    selectors = LayoutSelectors(body=BLOCKS, lede=SUBTITLE)

    def layout_paragraphs(self) -> list[str]:
        paragraphs = []
        for el in self.BLOCKS(self.tree):
            items = el.findall(".//li") if el.tag in ("ul", "ol") else [el]
            paragraphs += [t for t in (clean_text(i.text_content()) for i in items) if t]
        return paragraphs
