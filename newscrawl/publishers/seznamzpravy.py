"""Seznam Zprávy (seznamzpravy.cz). React page with generated class names but stable `data-dot`
hooks: the standfirst is `p[data-dot="ogm-article-perex"]`, the article `[data-dot="ogm-article-content"]`
whose blocks are `mol-paragraph` paragraphs, `mol-list` lists and <h2> intertitles; between them sit
boxes that are not the article's text: links to earlier articles (`mol-document-links`), promotion
slots (`mol-self-promo`), tables (`mol-table`), embeds (`mol-static-content`) and collapsible
context cards (`mol-post-card`, e.g. the background of an affair with its own heading, paragraphs
and link lists). An accessibility heading "Článek" precedes the article. JSON-LD NewsArticle gives
headline, datePublished and the authors."""

import lxml.etree

from newscrawl.extract.text import clean_text
from newscrawl.pages import LayoutSelectors, source_page
from newscrawl.pages.base import ArticlePage
from newscrawl.sources import Feed, Source


SOURCE = Source(
    slug="seznamzpravy",
    name="Seznam Zprávy",
    domains=("seznamzpravy.cz",),
    language="cs",
    timezone="Europe/Prague",
    feeds=(
        Feed("rss", "https://www.seznamzpravy.cz/rss"),
        Feed("sitemap", "https://www.seznamzpravy.cz/sitemaps/sitemap_articles.xml"),
        Feed("news_sitemap", "https://www.seznamzpravy.cz/sitemaps/sitemap_news.xml"),
    ),
    article_url=r"seznamzpravy\.cz/clanek/[\w-]+-\d{4,}(?:[/?#]|$)",
)


@source_page(SOURCE)
class SeznamZpravy(ArticlePage):
    """Layout in use since 2023 (seen on 2025 pages)."""

    PEREX = lxml.etree.XPath('//*[@data-dot="ogm-article-perex"]')
    # Blocks of the article's own column (cards nest their blocks deeper, inside mol-post-card).
    BLOCKS = lxml.etree.XPath('(//*[@data-dot="ogm-article-content"])[1]/*/*'
                              '[@data-dot="mol-paragraph" or @data-dot="mol-list" or self::h2 or self::h3]')

    def summary(self) -> str | None:
        return self.first_text(self.PEREX) or super().summary()

    selectors = LayoutSelectors(body=BLOCKS, lede=PEREX)

    def layout_paragraphs(self) -> list[str]:
        paragraphs = []
        for el in self.BLOCKS(self.tree):
            if el.xpath('ancestor::*[contains(@class, "mol-post-card")]'):
                continue
            items = el.xpath(".//li") if el.get("data-dot") == "mol-list" else [el]
            paragraphs += [t for t in (clean_text(i.text_content()) for i in items) if t]
        return paragraphs
