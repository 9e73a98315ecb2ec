"""Die Welt (welt.de), layout in use since the 2019 relaunch (``c-*`` classes): standfirst
``div.c-summary__intro`` in the header, text ``div.c-article-text`` with <p> paragraphs and ``h3.o-headline``
intertitles, byline ``.c-author__by-line``, JSON-LD NewsArticle with headline, author (persons)
and datePublished in UTC. The generic extraction is exact on it."""

from newscrawl.pages import LayoutSelectors, source_page
from newscrawl.pages.base import ArticlePage
from newscrawl.sources import Feed, Source


# Articles (and WELTplus articles): /<section>/.../article<id>/<Slug>.html; video<id>, live<id>
# and gallery<id> pages do not match.
SOURCE = Source(
    slug="welt",
    name="Die Welt",
    domains=("welt.de",),
    language="de",
    timezone="Europe/Berlin",
    feeds=(
        Feed("news_sitemap", "https://www.welt.de/sitemaps/newssitemap/newssitemap.xml"),
        Feed("rss", "https://www.welt.de/feeds/latest.rss"),
        Feed("sitemap", "https://www.welt.de/sitemaps/sitemap/sitemap.xml"),
    ),
    article_url=r"welt\.de/(?:[\w-]+/)*(?:article|plus)\d+/[\w.-]+\.html",
    exclude_url=r"welt\.de/(?:mediathek|bildergalerien)/",
    concurrency=2,
    delay=1.5,
)


@source_page(SOURCE)
class Welt(ArticlePage):
    """Layout in use since 2019."""

    selectors = LayoutSelectors(
        body='//*[@itemprop="articleBody"]', lede='//*[@data-qa="Article.Intro"]',)
