"""Daily Maverick (dailymaverick.co.za). WordPress with three "reading modes" as tab panes: `#summary`
(`h2.first-paragraph` standfirst and bullet points), `#long-form` (the article:
`div.article-content` with the same `h2.first-paragraph`, `p`, `h4` intertitles, `dm_add_wrapper`
ad boxes and `wp-caption` images) and `#speed-read` (a `textarea` copy). The byline is
`span.author-name`, the visible date `span.article_date` (day only); JSON-LD (a Yoast `@graph`)
has the author and datePublished with offset. The generic extraction is exact on this layout."""

from newscrawl.pages import source_page
from newscrawl.pages.base import ArticlePage


@source_page("dailymaverick")
class DailyMaverick(ArticlePage):
    """Reading-modes layout in use since 2023."""
