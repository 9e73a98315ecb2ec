"""Deutsche Welle (dw.com). Two templates are served side by side (both seen in 2023):

* the React site: JSON-LD NewsArticle with headline, datePublished (UTC) and Person authors,
  standfirst `p.teaser-text`, body `div.rich-text`; the generic extraction is exact;
* the legacy static template (`div#bodyContent`, still returned for RSS links): no JSON-LD and no
  date meta; headline `h1`, standfirst `p.intro`, body `div.longText` (paragraphs and <h2>
  intertitles, picture boxes `div.picBox` in between), and a fact list `ul.smallList` whose items
  are labelled by a <strong>: "Datum" (day only, dd.mm.yyyy) and "Autorin/Autor" (names).
"""

import re

import lxml.etree

from newscrawl.extract.authors import clean_names
from newscrawl.extract.text import clean_text
from newscrawl.pages import LayoutSelectors, source_page
from newscrawl.pages.base import ArticlePage
from newscrawl.pages.selectors import has_class
from newscrawl.sources import Feed, Source


SOURCE = Source(
    slug="dw",
    name="Deutsche Welle",
    domains=("dw.com",),
    language="de",
    timezone="Europe/Berlin",
    feeds=(
        Feed("rss", "https://rss.dw.com/xml/rss-de-all"),
        Feed("sitemap", "https://www.dw.com/de/article-sitemap.xml"),
        Feed("news_sitemap", "https://www.dw.com/de/news-sitemap.xml"),
        Feed("rss", "https://rss.dw.com/xml/rss-en-all"),
        Feed("sitemap", "https://www.dw.com/en/article-sitemap.xml"),
        Feed("news_sitemap", "https://www.dw.com/en/news-sitemap.xml"),
    ),
    article_url=r"dw\.com/[a-z]{2,3}(?:-[a-z]+)?/[^/?#]+/a-\d+",
)


_LEGACY = lxml.etree.XPath(f'//div[@id="bodyContent"]//div[{has_class("longText")}]')


@source_page(SOURCE)
class DeutscheWelle(ArticlePage):
    """React layout (since 2022)."""

    selectors = LayoutSelectors(body=f'//article//div[{has_class("rich-text")}]', lede=f'//header//p[{has_class("teaser-text")}]')

    def applies(self) -> bool:
        return not _LEGACY(self.tree)


@source_page(SOURCE)
class DeutscheWelleLegacy(ArticlePage):
    """Legacy static layout (until the 2022 relaunch, still served for some URLs in 2023)."""

    INTRO = lxml.etree.XPath(f'//div[@id="bodyContent"]//p[{has_class("intro")}]')
    BODY_BLOCKS = lxml.etree.XPath(
        f'(//div[@id="bodyContent"]//div[{has_class("longText")}])[1]'
        '/*[self::p or self::h2 or self::h3 or self::ul or self::ol or self::blockquote]')
    FACTS = lxml.etree.XPath(f'(//div[@id="bodyContent"]//ul[{has_class("smallList")}])[1]/li[strong]')
    AUTHOR_LABEL = re.compile(r"^(?:autor|autorin|autoren|autorin/autor|author|authors)$", re.I)
    DATE_LABEL = re.compile(r"^(?:datum|date)$", re.I)

    def applies(self) -> bool:
        return bool(_LEGACY(self.tree))

    def _fact(self, label: re.Pattern) -> str | None:
        for li in self.FACTS(self.tree):
            strong = li.find("strong")
            if label.match(clean_text(strong.text_content())):
                value = clean_text(li.text_content())[len(clean_text(strong.text_content())):]
                return value.strip(" :") or None
        return None

    def summary(self) -> str | None:
        return self.first_text(self.INTRO) or super().summary()

    selectors = LayoutSelectors(body=BODY_BLOCKS, lede=INTRO)

    def authors(self) -> list[str]:
        value = self._fact(self.AUTHOR_LABEL)
        persons = clean_names([value], self.site_names())[0] if value else []
        return persons or super().authors()

    def date_candidates(self):
        yield "text", self._fact(self.DATE_LABEL)
        yield from super().date_candidates()
