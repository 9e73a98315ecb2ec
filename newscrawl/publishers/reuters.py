"""Reuters (reuters.com). A Fusion (React) page with hashed class suffixes
(`article-body__content__17Yit`): the stable hooks are the class prefixes and `data-testid`s. The
headline is `h1[data-testid=Heading]`, the byline `a.author-name__author...` links in the header,
the dateline `time` ("April 25, 2023 2:26 PM GMT+2 Updated ...") and JSON-LD with persons and
datePublished in UTC. The text is `div.article-body__content...`: paragraphs
`p[data-testid=paragraph-N]` and intertitles `h2`, with ad slots and, after the text, the sign-off
("Reporting by ...; Editing by ...") and the "Our Standards" line in `div.article-body__element...`,
which are not article text."""

import lxml.etree

from newscrawl.pages import LayoutSelectors, source_page
from newscrawl.pages.base import ArticlePage
from newscrawl.sources import Feed, Source


SOURCE = Source(
    slug="reuters",
    name="Reuters",
    domains=("reuters.com",),
    language="en",
    timezone="UTC",
    feeds=(
        Feed("news_sitemap", "https://www.reuters.com/arc/outboundfeeds/news-sitemap-index/?outputType=xml"),
        Feed("sitemap", "https://www.reuters.com/arc/outboundfeeds/sitemap-index/?outputType=xml"),
    ),
    article_url=r"reuters\.com/(?:(?:[\w-]+/)+[\w-]+-\d{4}-\d{2}-\d{2}/?(?:$|[?#])|article/[\w-]+-id[A-Z0-9]+)",
    exclude_url=r"reuters\.com/(?:pictures|video|graphics|podcasts?)/",
    delay=2.0,
)


_BODY_BLOCKS = lxml.etree.XPath(
    "//div[starts-with(@class, 'article-body__content')]"
    "/*[self::p[starts-with(@data-testid, 'paragraph-')] or self::h2 or self::h3]"
    " | //div[starts-with(@class, 'article-body__content')]/*[self::ul or self::ol]/li")


@source_page(SOURCE)
class Reuters(ArticlePage):
    """Article layout in use since 2021 (URLs ending in the publication date)."""

    selectors = LayoutSelectors(body=_BODY_BLOCKS, title='//h1[@data-testid="Heading"]')
