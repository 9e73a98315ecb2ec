"""ABC (abc.es), "voc" templates (layout in use since the 2022 redesign, URLs ending in
``-<yyyymmddhhmmss>-nt.html``): headline ``h1.voc-title`` followed by ``h2.voc-subtitle``
elements, of which the first (plain text) is the standfirst and any further one holding a link is
a teaser for a related article; text in ``div.voc-d`` as ``p.voc-p`` with ``h3.voc-d-c__s-title``
intertitles, partly wrapped in ``span.paywall``; "Noticia Relacionada" boxes
(``section.voc-c-container`` / ``.voc-d-c-related-news``) with their own ``p.voc-p`` summaries sit
between the paragraphs and are left out. The generic extraction takes the linked subtitle for
the standfirst and keeps the related box's summary."""

from lxml.etree import XPath

from newscrawl.extract.text import clean_text
from newscrawl.pages import LayoutSelectors, source_page
from newscrawl.pages.base import ArticlePage
from newscrawl.pages.selectors import has_class
from newscrawl.sources import Feed, Source


# Articles end in -<yyyymmddhhmmss>-nt.html (-vi videos, -fo galleries, -di live), older ones in _noticia.html.
SOURCE = Source(
    slug="abc_es",
    name="ABC",
    domains=("abc.es",),
    language="es",
    timezone="Europe/Madrid",
    feeds=(
        Feed("news_sitemap", "https://www.abc.es/sitemap.xml"),
        Feed("rss", "https://www.abc.es/rss/2.0/portada/"),
        Feed("rss", "https://www.abc.es/rss/2.0/espana/", "espana"),
    ),
    article_url=r"abc\.es/(?:[\w-]+/)+[\w-]+(?:-\d{14}-nt\.html|_noticia\.html)",
    exclude_url=r"/(?:videos?|fotos|directo)/",
    concurrency=2,
    delay=1.5,
)


@source_page(SOURCE)
class Abc(ArticlePage):
    """Layout in use since 2022 ("voc" classes)."""

    BODY = XPath(f'//div[{has_class("voc-d")}]'
                 f'//*[self::p[{has_class("voc-p")}]'
                 ' or self::h3[contains(@class, "voc-d-c__s-title")]]'
                 '[not(ancestor::section) and not(ancestor::*[contains(@class, "related")])]')
    STANDFIRST = XPath('(//h1[contains(@class, "voc-title")]/following-sibling::h2'
                       '[contains(@class, "voc-subtitle")][not(.//a)])[1]')

    def standfirst(self) -> str | None:
        found = self.STANDFIRST(self.tree)
        return clean_text(found[0].text_content()) if found else None

    def summary(self) -> str | None:
        return self.standfirst() or super().summary()

    selectors = LayoutSelectors(body=BODY, lede=STANDFIRST)
