"""El Mundo (elmundo.es), "ue-c-article" templates (layout in use since about 2019): headline
``h1.ue-c-article__headline``, standfirst ``div.ue-c-article__standfirst`` (one or more
``p.ue-c-article__paragraph``; the JSON-LD description is the first body paragraph cut at 150
characters with "..."), text in ``div.ue-c-article__body`` as ``p.ue-c-article__paragraph`` with
``h2.ue-c-article__subheadline`` intertitles; teasers of related articles (``article`` cards,
``ue-c-cover-content``) are nested in the body and left out."""

from lxml.etree import XPath

from newscrawl.extract.text import clean_text
from newscrawl.pages import LayoutSelectors, source_page
from newscrawl.pages.base import ArticlePage
from newscrawl.pages.selectors import has_class
from newscrawl.sources import Feed, Source


# Articles: /<section>/[<subsection>/]<yyyy>/<mm>/<dd>/<24 hex id>.html; feeds are served from uecdn.es.
SOURCE = Source(
    slug="elmundo",
    name="El Mundo",
    domains=("elmundo.es",),
    language="es",
    timezone="Europe/Madrid",
    feeds=(
        Feed("rss", "https://e00-elmundo.uecdn.es/elmundo/rss/portada.xml"),
        Feed("rss", "https://e00-elmundo.uecdn.es/elmundo/rss/espana.xml", "espana"),
    ),
    article_url=r"elmundo\.es/(?:[\w-]+/)+\d{4}/\d{2}/\d{2}/[0-9a-f]{24}\.html",
    exclude_url=r"elmundo\.es/(?:album|videos?|directo)/",
    allowed_domains=("uecdn.es",),
)


@source_page(SOURCE)
class ElMundo(ArticlePage):
    """Layout in use since about 2019 (``ue-c-article__*`` classes)."""

    BODY = XPath(f'//div[{has_class("ue-c-article__body")}]'
                 '//*[self::p[contains(@class, "ue-c-article__paragraph")]'
                 ' or self::*[self::h2 or self::h3][contains(@class, "ue-c-article__subheadline")]]'
                 '[not(ancestor::article[not(contains(@class, "ue-c-article"))])]'
                 '[not(ancestor::*[contains(@class, "ue-c-cover-content")])]')
    STANDFIRST = XPath(f'(//div[{has_class("ue-c-article__standfirst")}])[1]//p')

    def standfirst(self) -> str | None:
        return " ".join(t for t in (clean_text(p.text_content()) for p in self.STANDFIRST(self.tree)) if t) or None

    def summary(self) -> str | None:
        return self.standfirst() or super().summary()

    selectors = LayoutSelectors(body=BODY, lede=STANDFIRST)
