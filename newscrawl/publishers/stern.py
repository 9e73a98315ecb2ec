"""Stern (stern.de). Two headlines: an SEO headline in JSON-LD, <title> and a small breadcrumb
<h1>, and the display headline shown above the article (`title__headline` in `h2.title__heading`,
after a `title__kicker`), which is also og:title; the title is the displayed one. The standfirst
is `intro__text` (the meta description is a different text). Byline `authors__text` ("von ..."),
date `time.authors__date`; JSON-LD has the authors and datePublished."""

import lxml.etree

from newscrawl.pages import LayoutSelectors, css, source_page
from newscrawl.pages.base import ArticlePage
from newscrawl.pages.selectors import has_class
from newscrawl.sources import Feed, Source


SOURCE = Source(
    slug="stern",
    name="Stern",
    domains=("stern.de",),
    language="de",
    timezone="Europe/Berlin",
    feeds=(
        Feed("rss", "https://www.stern.de/feed/standard/alle-nachrichten/"),
    ),
    article_url=r"stern\.de/(?:[\w-]+/)+[\w-]+-\d{7,}\.html",
    exclude_url=r"/(?:video|videos|fotostrecke|bildergalerie)/|liveblog|-live-?ticker",
)


@source_page(SOURCE)
class Stern(ArticlePage):
    """Layout in use since the 2021 redesign."""

    # Paragraphs in italics only are notes ("Dieser Artikel ist zuerst bei "Capital" erschienen."), not text.
    selectors = LayoutSelectors(
        body=f'//div[{has_class("article__body")}]/*[self::p[{has_class("text-element")}]'
             '[normalize-space(text()) or count(*) != count(em|i|br)] or self::h2]',
        lede=css(".intro__text"))

    HEADLINE = lxml.etree.XPath(f'//*[{has_class("title__headline")}]')
    INTRO = lxml.etree.XPath(f'//*[{has_class("intro__text")}]')

    def title(self) -> str | None:
        return self.first_text(self.HEADLINE) or super().title()

    def summary(self) -> str | None:
        return self.first_text(self.INTRO) or super().summary()
