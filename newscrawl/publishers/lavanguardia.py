"""La Vanguardia (lavanguardia.com), layout in use since about 2020: standfirst ``h2.epigraph``
in the header, text ``div.article-modules`` with ``p.paragraph`` and ``h3.subtitle`` intertitles,
JSON-LD NewsArticle with headline, person authors and datePublished with its
offset (``+0100``). The generic extraction is exact on it."""

from newscrawl.pages import LayoutSelectors, css, source_page
from newscrawl.pages.base import ArticlePage
from newscrawl.sources import Source


# Articles: /<section>/<yyyymmdd>/<id>/<slug>.html. No feed is listed in publishers.json.
SOURCE = Source(
    slug="lavanguardia",
    name="La Vanguardia",
    domains=("lavanguardia.com",),
    language="es",
    timezone="Europe/Madrid",
    feeds=(),
    article_url=r"lavanguardia\.com/(?:[\w-]+/)+\d{8}/\d{6,}/[\w-]+\.html",
    exclude_url=r"lavanguardia\.com/(?:[\w-]+/)*(?:videos?|fotos|album)/|/\d{6,}/(?:directo|en-directo|ultima-hora)-",
)


@source_page(SOURCE)
class LaVanguardia(ArticlePage):
    """Layout in use since about 2020."""

    selectors = LayoutSelectors(
        body=css("div.article-modules > p.paragraph, div.article-modules > span.content-subtitle,"
                 " div.article-modules > h2, div.article-modules > h3"),
        lede=css("div.epigraph-container"),)
