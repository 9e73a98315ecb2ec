"""Süddeutsche Zeitung (sueddeutsche.de). Server-rendered React with stable `data-manual` hooks:
`teaserText` (the standfirst), `author`, `date`, `body` with `paragraph` blocks. JSON-LD NewsArticle
carries the SEO headline (the visible h1 is often a shorter column title), datePublished and the
authors; the generic extraction is exact on the body. The meta description is usually a different
text from the standfirst shown on the page, so the summary is read from the page."""

import lxml.etree

from newscrawl.pages import source_page
from newscrawl.pages.base import ArticlePage


@source_page("sz")
class SueddeutscheZeitung(ArticlePage):
    """Layout in use since the 2021 relaunch (articles `...-1.<id>`, later also `li.`/`lux.`)."""

    TEASER = lxml.etree.XPath('//*[@data-manual="teaserText"]')

    def summary(self) -> str | None:
        return self.first_text(self.TEASER) or super().summary()
