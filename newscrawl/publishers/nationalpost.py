"""National Post (nationalpost.com), a Postmedia site: `h1#articleTitle`, standfirst
`p.article-subtitle`, byline `span.published-by__author`, visible date `span.published-date__since`
(day only). The text is split into several `section.article-content__content-group--story`, with
ad groups and widget groups (newsletter sign-up, related stories) between them and a hidden
"Article content" `h2` at the top of each. JSON-LD (ReportageNewsArticle) has person authors and
datePublished with an offset. The generic extraction is exact on this layout."""

from newscrawl.pages import LayoutSelectors, css, source_page
from newscrawl.pages.base import ArticlePage
from newscrawl.sources import Feed, Source


SOURCE = Source(
    slug="nationalpost",
    name="National Post",
    domains=("nationalpost.com",),
    language="en",
    timezone="America/Toronto",
    feeds=(
        Feed("news_sitemap", "https://nationalpost.com/sitemap-news.xml"),
        Feed("sitemap", "https://nationalpost.com/sitemap-old.xml"),
        Feed("rss", "https://nationalpost.com/feed"),
    ),
    article_url=r"nationalpost\.com/(?:[a-z0-9-]+/){1,3}[a-z0-9]+(?:-[a-z0-9]+){2,}/?(?:$|[?#])",
    exclude_url=r"nationalpost\.com/(?:category|author|tag|feed|videos?|newsletters?|podcasts?)/",
)


@source_page(SOURCE)
class NationalPost(ArticlePage):
    """Postmedia layout in use since 2020."""

    selectors = LayoutSelectors(
        body=css("section.article-content__content-group > p, section.article-content__content-group > h2,"
                 " section.article-content__content-group > h3"),
        lede=css("p.article-subtitle"),)
