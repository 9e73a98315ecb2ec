"""BBC (bbc.co.uk, bbc.com). A Next.js page with hashed class names (``sc-…``) but a JSON-LD
NewsArticle with headline, datePublished (UTC) and author (a person, or the organisation "BBC News"
on unsigned explainers). The article is a sequence of ``div[data-component]`` blocks: the text is
in ``text-block`` (paragraphs, lists) and ``subheadline-block`` (intertitles); ``byline-block``,
``image-block``/``caption-block``, ``ad-slot``, ``links-block`` and ``tags`` are not text, nor are
lists of links to other stories ("Related" lists inside a ``text-block``: items that are one link). Read from
those blocks, as trafilatura takes the byline block into the text on short articles."""

import lxml.etree

from newscrawl.pages import LayoutSelectors, source_page
from newscrawl.pages.containers import element_lines
from newscrawl.pages.base import ArticlePage
from newscrawl.sources import Feed, Source


SOURCE = Source(
    slug="bbc",
    name="BBC",
    domains=("bbc.co.uk", "bbc.com"),
    language="en",
    timezone="Europe/London",
    feeds=(
        Feed("news_sitemap", "https://www.bbc.co.uk/sitemaps/https-index-uk-news.xml"),
        Feed("sitemap", "https://www.bbc.co.uk/sitemaps/https-index-com-archive.xml"),
    ),
    article_url=r"^https?://www\.bbc\.(?:co\.uk|com)/(?:news|sport)/(?:[\w-]+/)*"
                r"(?:articles/c[a-z0-9]{8,}|[a-z][\w-]*-\d{7,8}|\d{7,8})/?(?:[?#]|$)",
    exclude_url=r"/(?:live|av|videos|in-pictures)[/-]",
    concurrency=8,
    delay=0.25,
)


@source_page(SOURCE)
class BBC(ArticlePage):
    """Next.js layout in use since 2023."""

    BLOCKS = lxml.etree.XPath('//article//div[@data-component="text-block"]//*[self::p or self::li[normalize-space(.) != normalize-space(a)]]'
                              ' | //article//div[@data-component="subheadline-block"]//*[self::h2 or self::h3]')

    selectors = LayoutSelectors(body=BLOCKS)

    def layout_paragraphs(self) -> list[str]:
        return [line for el in self.BLOCKS(self.tree) for line in element_lines(el)]
