"""Euronews, French edition (fr.euronews.com), "newsy" article layout (``o-article-newsy``, in
use since the 2023 redesign). Two headlines: an SEO one in ``h1.c-article-redesign-title``, the
JSON-LD headline and <title>, and Euronews's own (its feeds and social cards) in og:title, which
we take. Standfirst ``p.c-article-summary``, text ``div.c-article-content`` with <p> and <h2>/<h3>
intertitles, JSON-LD NewsArticle with person authors and datePublished as
``2024-04-30 16:00:34 +02:00``. Otherwise the generic extraction is exact on it."""

from newscrawl.pages import LayoutSelectors, css, source_page
from newscrawl.pages.base import ArticlePage
from newscrawl.sources import Feed, Source


# Euronews' French edition lives on its own host; www/en/de... are other editions.
SOURCE = Source(
    slug="euronews_fr",
    name="Euronews",
    domains=("fr.euronews.com",),
    language="fr",
    timezone="Europe/Paris",
    feeds=(
        Feed("news_sitemap", "https://fr.euronews.com/sitemaps/fr/latest-news.xml"),
        Feed("sitemap", "https://fr.euronews.com/sitemaps/fr/articles.xml"),
    ),
    article_url=r"fr\.euronews\.com/(?:[\w-]+/)*\d{4}/\d{2}/\d{2}/[\w-]+/?(?:[?#]|$)",
    exclude_url=r"fr\.euronews\.com/(?:video|live|programmes)/|/live-",
)


@source_page(SOURCE)
class EuronewsFr(ArticlePage):
    """Layout in use since 2023 (``o-article-newsy``)."""

    selectors = LayoutSelectors(
        body=css("div.c-article-content"), lede=css("p.c-article-summary"),)

    headline_field = "og:title"
