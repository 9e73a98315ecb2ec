"""Süddeutsche Zeitung (sueddeutsche.de). Server-rendered React with stable `data-manual` hooks:
`teaserText` (the standfirst), `author`, `date`, `body` with `paragraph` blocks. JSON-LD NewsArticle
carries the SEO headline (the visible h1 is often a shorter column title), datePublished and the
authors; the generic extraction is exact on the body. The meta description is usually a different
text from the standfirst shown on the page, so the summary is read from the page."""

import lxml.etree

from newscrawl.pages import LayoutSelectors, source_page
from newscrawl.pages.base import ArticlePage
from newscrawl.sources import Feed, Source


SOURCE = Source(
    slug="sz",
    name="Süddeutsche Zeitung",
    domains=("sueddeutsche.de",),
    language="de",
    timezone="Europe/Berlin",
    feeds=(
        Feed("rss", "https://rss.sueddeutsche.de/alles"),
    ),
    article_url=r"sueddeutsche\.de/(?:[\w-]+/)+[\w-]+-(?:1\.\d{6,}|li\.\d{6,}|lux\.\w+)(?:[?#]|$)",
    exclude_url=r"/(?:bildstrecke|video|thema|autoren)/|-live-?ticker|liveblog",
)


@source_page(SOURCE)
class SueddeutscheZeitung(ArticlePage):
    """Layout in use since the 2021 relaunch (articles `...-1.<id>`, later also `li.`/`lux.`)."""

    selectors = LayoutSelectors(
        body='//*[@data-testid="article-body"]', lede='//*[@data-manual="teaserText"]',)

    TEASER = lxml.etree.XPath('//*[@data-manual="teaserText"]')

    def summary(self) -> str | None:
        return self.first_text(self.TEASER) or super().summary()
