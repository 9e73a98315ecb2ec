"""The Guardian (theguardian.com). DCR (dotcom-rendering) markup with hashed `dcr-...` classes; the
stable hooks are `data-gu-name` blocks: `headline`, `standfirst` (a `<p>`, also the meta
description), `meta` (byline `a[rel=author]` in an `address`, date in a `details/summary`) and
`body` (`div.article-body-commercial-selector` with `p`, `h2` intertitles, rich-link `aside`s and
newsletter-signup `figure`s). JSON-LD NewsArticle has person authors ("Guardian staff reporter"
for unsigned copy) and datePublished in UTC. The generic extraction is exact on this layout."""

from newscrawl.pages import LayoutSelectors, source_page
from newscrawl.pages.base import ArticlePage
from newscrawl.sources import Feed, Source


SOURCE = Source(
    slug="guardian",
    name="The Guardian",
    domains=("theguardian.com",),
    language="en",
    timezone="Europe/London",
    feeds=(
        Feed("news_sitemap", "https://www.theguardian.com/sitemaps/news.xml"),
    ),
    article_url=r"theguardian\.com/(?:[\w-]+/)+\d{4}/[a-z]{3}/\d{2}/[\w-]+",
    exclude_url=r"theguardian\.com/(?:[\w-]+/)*(?:live|gallery|video|audio|picture|crosswords?)/",
)


@source_page(SOURCE)
class Guardian(ArticlePage):
    """DCR layout in use since 2021."""

    selectors = LayoutSelectors(
        body='//*[@data-gu-name="body"]//div[contains(@class, "article-body-commercial-selector")]',
        lede='//*[@data-gu-name="standfirst"]')
