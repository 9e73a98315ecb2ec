"""Le Monde (lemonde.fr). The generic extraction is exact on its layout: JSON-LD NewsArticle with
headline, datePublished (with offset) and authors; body paragraphs `article__paragraph` with
`article__sub-title` intertitles."""

from newscrawl.pages import LayoutSelectors, css, source_page
from newscrawl.pages.base import ArticlePage
from newscrawl.sources import Feed, Source


SOURCE = Source(
    slug="lemonde",
    name="Le Monde",
    domains=("lemonde.fr",),
    language="fr",
    timezone="Europe/Paris",
    feeds=(
        Feed("news_sitemap", "https://www.lemonde.fr/sitemap_news.xml"),
        Feed("sitemap", "https://www.lemonde.fr/sitemap_index.xml"),
    ),
    article_url=r"lemonde\.fr/[\w-]+/article/\d{4}/\d{2}/\d{2}/",
    exclude_url=r"/live/",
)


@source_page(SOURCE)
class LeMonde(ArticlePage):
    """Layout in use since 2020."""

    selectors = LayoutSelectors(
        body=css("article.article__content > p.article__paragraph, article.article__content > h2"),
        lede=css("p.article__desc"),)
