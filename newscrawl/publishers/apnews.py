"""Associated Press News (apnews.com). The 2023 React layout: headline `h1` in
`div.CardHeadline` (`data-key=card-headline`), byline `span.Component-bylines` ("By NAME" in capitals),
text `div.Article[data-key=article]` paragraphs with ad and hub-peek slots between them; JSON-LD
NewsArticle with `author` as a list of plain strings ("Associated Press" for unsigned wire copy) and
datePublished in UTC. The generic extraction is exact on this layout. (AP moved to a new
`Page-headline` / `RichTextStoryBody` template later in 2023; add a layout when pages of it are
collected.)"""

from newscrawl.pages import LayoutSelectors, css, source_page
from newscrawl.pages.base import ArticlePage
from newscrawl.sources import Feed, Source


SOURCE = Source(
    slug="apnews",
    name="Associated Press News",
    domains=("apnews.com",),
    language="en",
    timezone="America/New_York",
    feeds=(
        Feed("news_sitemap", "https://apnews.com/news-sitemap-content.xml"),
        Feed("sitemap", "https://apnews.com/sitemap.xml"),
    ),
    article_url=r"apnews\.com/article/[\w-]+",
)


@source_page(SOURCE)
class APNews(ArticlePage):
    """React layout of 2021-2023 (/article/<slug>-<32 hex digits>)."""

    selectors = LayoutSelectors(
        body=css("div.Article > p, div.RichTextStoryBody > p, div.RichTextStoryBody > h2"),)
