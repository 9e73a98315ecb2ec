"""Schweizer Radio und Fernsehen (srf.ch). No JSON-LD article; meta tags carry the date
(`article:published_time`, with offset) and authors (short staff signatures such as "srf/hosb").
The <h1 class="article-title"> holds a kicker (`article-title__overline`), an off-screen dash and
the headline proper (`article-title__text`); og:title joins kicker and headline, so the title is
read from the headline span."""

import lxml.etree

from newscrawl.extract.text import clean_text
from newscrawl.pages import source_page
from newscrawl.pages.base import ArticlePage
from newscrawl.pages.selectors import has_class


@source_page("srf")
class SRF(ArticlePage):
    """Layout in use since the 2019 redesign of srf.ch/news."""

    HEADLINE = lxml.etree.XPath('//h1[contains(@class, "article-title")]'
                                f'//*[{has_class("article-title__text")}]')

    def title(self) -> str | None:
        for el in self.HEADLINE(self.tree):
            text = clean_text(el.text_content())
            if text:
                return text
        return super().title()
