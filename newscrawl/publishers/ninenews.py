"""Nine News (9news.com.au; nine.com.au hosts its feeds). The article is `article.article` with
`h1.article__headline`, the byline `div.author` (`span.text--author`, "By ..." for wire copy) and
`time.text--byline` with an offset; JSON-LD has author and datePublished. The text is
`div.article__body`, one `div.block-content` per paragraph, intertitle (`h3`), image
(`figure.article__image` with caption) or embed; "READ MORE:" teaser lines to other stories sit
between the paragraphs, while a paragraph may be a link entirely (so link-line filters drop real
text). The JSON-LD description is an escaped HTML fragment (`&lt;p&gt;...`) and the meta
descriptions are the first paragraph cut off with "...", so the summary is the description with its
markup removed."""

import re

import lxml.etree

from newscrawl.extract.body import jsonld_paragraphs
from newscrawl.extract.text import clean_text
from newscrawl.pages import LayoutSelectors, source_page
from newscrawl.pages.base import ArticlePage
from newscrawl.pages.selectors import has_class
from newscrawl.sources import Feed, Source


SOURCE = Source(
    slug="ninenews",
    name="Nine News",
    domains=("9news.com.au", "nine.com.au"),
    language="en",
    timezone="Australia/Sydney",
    feeds=(
        Feed("rss", "https://www.nine.com.au/rss/feed.xml"),
        Feed("sitemap", "https://www.nine.com.au/sitemaps/nine-sitemaps-articles.xml"),
    ),
    article_url=r"(?:9news|nine)\.com\.au/(?:[\w-]+/)+[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}",
    exclude_url=r"\.com\.au/(?:videos?|galleries|photos)/",
)


_BLOCKS = lxml.etree.XPath(f"//div[{has_class('article__body')}]"
                           f"//div[{has_class('block-content')}]")
_NOT_TEXT = lxml.etree.XPath(".//figure | .//iframe | .//video | .//script | .//blockquote[contains(@class, 'twitter')]")
_TEASER = re.compile(r"^(?:READ MORE|WATCH|LISTEN|MORE)\s*:", re.I)


@source_page(SOURCE)
class NineNews(ArticlePage):
    """Article layout in use since 2019 (article id as a UUID at the end of the URL)."""

    def summary(self) -> str | None:
        description = self.ld.get("description")
        if isinstance(description, str):
            text = " ".join(jsonld_paragraphs(clean_text(description)))  # escaped markup
            if text:
                return text
        return super().summary()

    selectors = LayoutSelectors(body=_BLOCKS)

    def layout_paragraphs(self) -> list[str]:
        out = []
        for block in _BLOCKS(self.tree):
            if _NOT_TEXT(block):
                continue
            text = clean_text(block.text_content())
            if text and not _TEASER.match(text):
                out.append(text)
        return out
