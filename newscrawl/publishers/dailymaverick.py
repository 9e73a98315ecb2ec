"""Daily Maverick (dailymaverick.co.za). WordPress with three "reading modes" as tab panes: `#summary`
(`h2.first-paragraph` standfirst and bullet points), `#long-form` (the article:
`div.article-content` with the same `h2.first-paragraph`, `p`, `h4` intertitles, `dm_add_wrapper`
ad boxes and `wp-caption` images) and `#speed-read` (a `textarea` copy). The byline is
`span.author-name`, the visible date `span.article_date` (day only); JSON-LD (a Yoast `@graph`)
has the author and datePublished with offset. The generic extraction is exact on this layout."""

from newscrawl.pages import LayoutSelectors, css, source_page
from newscrawl.pages.base import ArticlePage
from newscrawl.sources import Feed, Source


SOURCE = Source(
    slug="dailymaverick",
    name="Daily Maverick",
    domains=("dailymaverick.co.za",),
    language="en",
    timezone="Africa/Johannesburg",
    feeds=(
        Feed("news_sitemap", "https://www.dailymaverick.co.za/news-sitemap.xml"),
        Feed("sitemap", "https://www.dailymaverick.co.za/sitemap_index.xml"),
    ),
    article_url=r"dailymaverick\.co\.za/(?:article|opinionista)/\d{4}-\d{2}-\d{2}-[\w-]+",
)


@source_page(SOURCE)
class DailyMaverick(ArticlePage):
    """Reading-modes layout in use since 2023."""

    selectors = LayoutSelectors(
        body=css("div.article-content"),)
