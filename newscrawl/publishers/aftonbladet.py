"""Aftonbladet (aftonbladet.se). React "hyperion" markup with hashed class names, so the layout is
read through its ``data-test-tag`` attributes: the article's blocks are children of the element
holding ``h1[data-test-tag=headline]``; ``h2[data-test-tag=subtitle]`` under the headline is a
second headline (not text), ``p[data-test-tag=lead-text]`` the standfirst, ``h2[data-test-tag=
paragraph-header]`` the intertitles; images sit in ``div[role=button]`` wrappers with their
captions. A closing paragraph set entirely in italics is an editorial note ("Familjen har godkänt
namn- och bildpubliceringen") and is left out. JSON-LD carries headline, authors and dates."""

import lxml.etree

from newscrawl.pages import LayoutSelectors, source_page
from newscrawl.pages.containers import element_lines
from newscrawl.pages.base import ArticlePage
from newscrawl.sources import Feed, Source


SOURCE = Source(
    slug="aftonbladet",
    name="Aftonbladet",
    domains=("aftonbladet.se",),
    language="sv",
    timezone="Europe/Stockholm",
    feeds=(
        Feed("news_sitemap", "https://www.aftonbladet.se/sitemaps/files/articles-48hrs.xml"),
        Feed("sitemap", "https://www.aftonbladet.se/sitemap.xml"),
        Feed("rss", "https://rss.aftonbladet.se/rss2/small/pages/sections/senastenytt/"),
    ),
    article_url=r"^https?://www\.aftonbladet\.se/(?:[\w-]+/)*a/\w{5,8}(?:/[\w-]*)?/?(?:[?#]|$)",
    exclude_url=r"/(?:live|video|tv|bildspel)/",
    concurrency=4,
    delay=0.5,
)


@source_page(SOURCE)
class Aftonbladet(ArticlePage):
    """Layout in use since 2022 (hyperion front end)."""

    CONTAINER = lxml.etree.XPath('//*[h1[@data-test-tag="headline"]]')
    BLOCKS = lxml.etree.XPath('./p | ./h2[@data-test-tag="paragraph-header"] | ./h3 | ./ul/li | ./ol/li'
                              ' | ./blockquote')
    ITALIC_NOTE = lxml.etree.XPath('boolean(self::p[(em|i) and not(normalize-space(text()))'
                                   ' and count(*) = count(em|i|br)])')

    def applies(self) -> bool:
        return bool(self.CONTAINER(self.tree))

    selectors = LayoutSelectors(body=CONTAINER)

    def layout_paragraphs(self) -> list[str]:
        found = self.CONTAINER(self.tree)
        blocks = self.BLOCKS(found[0]) if found else []
        while blocks and self.ITALIC_NOTE(blocks[-1]):
            blocks.pop()
        return [line for el in blocks for line in element_lines(el)]
