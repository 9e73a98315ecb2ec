"""Times of India (timesofindia.indiatimes.com). A React page with hashed class names; the stable
hooks are attributes and marker classes: the article text is one `div[data-articlebody]` whose
paragraphs are text runs separated by `<br>` (not `<p>`), with intertitles as `<h2>` in
`div.id-r-component` and ad / poll / social-embed slots (`div`s without text) in between; the
synopsis shown above it is `div.id-r-synopsis` (the meta description is a truncated copy of it).
The byline `div.byline` reads "Name / TIMESOFINDIA.COM / Sep 2, 2024, 17:07 IST"; JSON-LD has the
author and datePublished with +05:30, which the generic extraction reads."""

import copy

import lxml.etree
import lxml.html

from newscrawl.extract.body import jsonld_paragraphs
from newscrawl.pages import LayoutSelectors, source_page
from newscrawl.pages.base import ArticlePage
from newscrawl.pages.selectors import has_class
from newscrawl.sources import Feed, Source


SOURCE = Source(
    slug="timesofindia",
    name="Times Of India",
    domains=("timesofindia.indiatimes.com",),
    language="en",
    timezone="Asia/Kolkata",
    feeds=(
        Feed("news_sitemap", "https://timesofindia.indiatimes.com/sitemap/today"),
        Feed("news_sitemap", "https://timesofindia.indiatimes.com/sitemap/yesterday"),
        Feed("rss", "https://timesofindia.indiatimes.com/rssfeedstopstories.cms"),
        Feed("rss", "https://timesofindia.indiatimes.com/rssfeedmostrecent.cms"),
    ),
    article_url=r"timesofindia\.indiatimes\.com/(?:[\w-]+/)+articleshow/\d+\.cms",
)


_BODY = lxml.etree.XPath("//div[@data-articlebody]")
_SYNOPSIS = lxml.etree.XPath(f"//div[{has_class('id-r-synopsis')}]")
# Slots inside the text that are not article text: ads, polls, social embeds, image/video embeds.
_NOT_TEXT = lxml.etree.XPath(
    ".//script | .//style | .//noscript | .//figure | .//img | .//iframe"
    " | .//div[@id='poll-widget' or contains(@id, 'taboola') or starts-with(@id, 'ad_')]"
    " | .//div[contains(@class, 'taboola') or contains(@class, 'mrec') or contains(@class, 'socialembed')"
    " or contains(@class, 'adInv') or contains(@class, 'adplaceholder') or contains(@class, 'img_cptn')]")


@source_page(SOURCE)
class TimesOfIndia(ArticlePage):
    """Article layout in use since 2023 (`articleshow` pages)."""

    def summary(self) -> str | None:
        return self.first_text(_SYNOPSIS) or super().summary()

    selectors = LayoutSelectors(body=_BODY, lede=_SYNOPSIS)

    def layout_paragraphs(self) -> list[str]:
        containers = _BODY(self.tree)
        if not containers:
            return []
        body = copy.deepcopy(containers[0])
        for el in _NOT_TEXT(body):
            parent = el.getparent()
            if parent is not None:  # a slot between two text runs separates them like a <br>
                br = lxml.etree.Element("br")
                br.tail = el.tail
                parent.replace(el, br)
        lxml.etree.strip_tags(body, lxml.etree.Comment)
        return jsonld_paragraphs(lxml.html.tostring(body, encoding="unicode"))
