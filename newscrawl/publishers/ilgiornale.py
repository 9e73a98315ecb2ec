"""Il Giornale (ilgiornale.it), layout in use since the 2022 redesign: header ``article.article``
with ``h1.article__title``, standfirst ``p.article__abstract``, byline
``.article__meta--author`` and ``time.article__meta--date``; the text is the first
``div.typography--content`` of ``section.article__content``, with <p> paragraphs and <h2>
intertitles between media, banners and embedded boxes (``div``/``aside``/``figure``). The CMS
sometimes leaves a closing paragraph as bare text after an advertising <div> (outside any <p>);
the generic extraction drops it, so the body is read from the container's own blocks and loose
text."""

from lxml.etree import XPath

from newscrawl.extract.text import clean_text
from newscrawl.pages import LayoutSelectors, source_page
from newscrawl.pages.base import ArticlePage
from newscrawl.pages.selectors import has_class
from newscrawl.sources import Feed, Source


# Articles: /news/<section>/<slug>-<id>.html; videos and galleries have their own paths.
SOURCE = Source(
    slug="ilgiornale",
    name="Il Giornale",
    domains=("ilgiornale.it",),
    language="it",
    timezone="Europe/Rome",
    feeds=(
        Feed("news_sitemap", "https://www.ilgiornale.it/sitemap/google-news.xml"),
        Feed("rss", "https://www.ilgiornale.it/feed.xml"),
        Feed("sitemap", "https://www.ilgiornale.it/sitemap/indice.xml"),
    ),
    article_url=r"ilgiornale\.it/news/(?:[\w-]+/)*[\w-]+-\d{5,}\.html",
    exclude_url=r"/(?:video|gallery|foto)/",
)


_BLOCKS = {"p", "h2", "h3", "h4", "blockquote", "li"}


@source_page(SOURCE)
class IlGiornale(ArticlePage):
    """Layout in use since 2022 (``article__*`` classes)."""

    CONTAINER = XPath('(//section[contains(@class, "article__content")]'
                      f'/div[{has_class("typography--content")}])[1]')
    STANDFIRST = XPath('(//p[contains(@class, "article__abstract")])[1]')

    def standfirst(self) -> str | None:
        found = self.STANDFIRST(self.tree)
        return clean_text(found[0].text_content()) if found else None

    def container_blocks(self, container) -> list[str]:
        """Text blocks of the container in order: its paragraphs, intertitles and list items, and
        text left outside them (before the first child, after a child); boxes are skipped."""
        out = [container.text]
        for child in container:
            if isinstance(child.tag, str) and child.tag in ("ul", "ol"):
                out.extend(li.text_content() for li in child.iter("li"))
            elif isinstance(child.tag, str) and child.tag in _BLOCKS:
                out.append(child.text_content())
            out.append(child.tail)
        return [t for t in (clean_text(v) for v in out if v) if t]

    selectors = LayoutSelectors(body=CONTAINER, lede=STANDFIRST)

    def layout_paragraphs(self) -> list[str]:
        found = self.CONTAINER(self.tree)
        return self.container_blocks(found[0]) if found else []
