"""NTV (ntv.com.tr). JSON-LD NewsArticle with headline and dates (with offset) but always the site
itself as author; the real byline (a person or the agency the story comes from, e.g. "Anadolu
Ajansı") is the ``articleAuthor`` meta tag and the text after "Haberler - " in the header's
``div.news-info-text``. The standfirst is ``h2.category-detail-sub-title`` under the ``h1``. The
text is ``div.category-detail-content-inner`` in ``div#contentBodyArea`` (tags and share buttons
follow it there): mostly one ``p`` per article whose paragraphs are separated by
``<br><br>`` and whose intertitles are ``<strong>`` lines, with image wrappers and related-news
boxes (``div.detail-related-news``) in between."""

import lxml.etree

from newscrawl.extract.authors import clean_names
from newscrawl.extract.text import clean_text
from newscrawl.pages import LayoutSelectors, source_page
from newscrawl.pages.containers import container_paragraphs
from newscrawl.pages.base import ArticlePage
from newscrawl.sources import Feed, Source


SOURCE = Source(
    slug="ntv_tr",
    name="NTV",
    domains=("ntv.com.tr",),
    language="tr",
    timezone="Europe/Istanbul",
    feeds=(
        Feed("news_sitemap", "https://www.ntv.com.tr/sitemaps/news-sitemap.xml"),
        Feed("sitemap", "https://www.ntv.com.tr/sitemaps"),
        Feed("rss", "https://www.ntv.com.tr/gundem.rss", "gundem"),
    ),
    article_url=r"^https?://www\.ntv\.com\.tr/(?:[\w-]+/)+[\w-]+,[\w-]{16,}/?(?:[?#]|$)",
    exclude_url=r"/(?:video|galeri|foto-galeri)/",
)


@source_page(SOURCE)
class NTV(ArticlePage):
    """Layout in use since 2018."""

    STANDFIRST = lxml.etree.XPath('//h2[contains(@class, "category-detail-sub-title")]')
    BYLINE = lxml.etree.XPath('//div[contains(@class, "news-info-text")]/p[a][not(@class)]')
    BODY = lxml.etree.XPath('//*[@id="contentBodyArea"]//div[contains(@class, "category-detail-content-inner")]')
    DROP = lxml.etree.XPath('.//*[contains(@class, "detail-related-news") or contains(@class, "img-wrapper")'
                            ' or contains(@class, "social") or contains(@class, "mpu")]')

    def applies(self) -> bool:
        return bool(self.BODY(self.tree))

    def standfirst(self) -> str | None:
        for el in self.STANDFIRST(self.tree):
            text = clean_text(el.text_content())
            if text:
                return text
        return None

    selectors = LayoutSelectors(body=BODY, lede=STANDFIRST)

    def layout_paragraphs(self) -> list[str]:
        found = self.BODY(self.tree)
        return container_paragraphs(found[0], self.DROP, loose_text=True) if found else []

    def authors(self) -> list[str]:
        names = list(self.data.all_meta("articleauthor"))
        for el in self.BYLINE(self.tree):
            # "<a>Haberler - </a> Anadolu Ajansı": the name is the text after the link.
            names += [a.tail for a in el.iter("a") if a.tail and a.tail.strip()]
        persons, _ = clean_names(names, ("NTV", "ntv.com.tr"))
        return persons or super().authors()
