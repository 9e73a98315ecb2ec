"""Salzburger Nachrichten (sn.at). Nuxt page with a complete JSON-LD NewsArticle (headline,
datePublished with offset, description = the `article-leadtext` standfirst) and the body in
`section-text article-body-text` blocks; the generic extraction is exact. Agency copy names no
person: the byline shows the agency ("von APA"), JSON-LD and meta author name the paper itself."""

from newscrawl.pages import LayoutSelectors, css, source_page
from newscrawl.pages.base import ArticlePage
from newscrawl.sources import Feed, Source


SOURCE = Source(
    slug="sn",
    name="Salzburger Nachrichten",
    domains=("sn.at",),
    language="de",
    timezone="Europe/Vienna",
    feeds=(
        Feed("news_sitemap", "https://www.sn.at/news-artikel.sitemap.xml"),
        Feed("sitemap", "https://www.sn.at/portal-artikel.sitemap.xml"),
    ),
    article_url=r"sn\.at/(?:[\w-]+/)+[\w-]+-\d{7,}/?(?:[?#]|$)",
    exclude_url=r"/(?:video|videos|bildergalerie|fotos|thema|autor)/|liveticker|liveblog",
)


@source_page(SOURCE)
class SalzburgerNachrichten(ArticlePage):
    """Layout in use since the 2023 relaunch (article URLs end in `-<9-digit id>`)."""

    selectors = LayoutSelectors(
        body=css("div.article-body-text"), lede=css("p.article-leadtext"),)
