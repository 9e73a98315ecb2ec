"""Anadolu Ajansı (aa.com.tr). Server-rendered pages without JSON-LD or date meta tags: the header
``div.detay-spot-category`` holds the ``h1``, the standfirst ``h4`` and a row with the reporter
(a bare ``span`` before ``span.tarih``, "Name Surname |") and the date, day first and without time
of day ("05.04.2025 - Güncelleme : 05.04.2025"). The meta description is the standfirst with
" - Anadolu Ajansı" appended. The text is ``div.detay-icerik``: an ``h6`` dateline (the city), then
``p`` paragraphs and ``h3`` intertitles, followed by photo credits and share buttons."""

import re

import lxml.etree

from newscrawl.extract.authors import clean_names
from newscrawl.extract.text import clean_text
from newscrawl.pages import LayoutSelectors, source_page
from newscrawl.pages.containers import container_paragraphs
from newscrawl.pages.base import ArticlePage
from newscrawl.sources import Feed, Source


SOURCE = Source(
    slug="aa_tr",
    name="Anadolu Ajansı",
    domains=("aa.com.tr",),
    language="tr",
    timezone="Europe/Istanbul",
    feeds=(
        Feed("rss", "https://www.aa.com.tr/tr/rss/default?cat=guncel", "guncel"),
    ),
    article_url=r"^https?://www\.aa\.com\.tr/[a-z]{2}/[\w-]+/[\w-]+/\d{5,}/?(?:[?#]|$)",
    exclude_url=r"/(?:foto-galeri|video-galeri|fotoanaliz|canli)/",
)


@source_page(SOURCE)
class AnadoluAjansi(ArticlePage):
    """Layout in use since 2019 ("newVersion" assets)."""

    HEADER = lxml.etree.XPath('//div[contains(@class, "detay-spot-category")]')
    STANDFIRST = lxml.etree.XPath('//div[contains(@class, "detay-spot-category")]/h4')
    BYLINE = lxml.etree.XPath('//div[contains(@class, "detay-spot-category")]'
                              '//span[following-sibling::span[contains(@class, "tarih")]]')
    DATE = lxml.etree.XPath('//div[contains(@class, "detay-spot-category")]//span[contains(@class, "tarih")]')
    BODY = lxml.etree.XPath('//div[contains(@class, "detay-icerik")]')
    DROP = lxml.etree.XPath('.//*[contains(@class, "detay-paylas") or contains(@class, "detay-foto-editor")'
                            ' or contains(@class, "social")]')
    SITE_SUFFIX = re.compile(r"\s+-\s+Anadolu Ajansı\s*$")

    def applies(self) -> bool:
        return bool(self.HEADER(self.tree))

    def standfirst(self) -> str | None:
        return self.first_text(self.STANDFIRST)

    def summary(self) -> str | None:
        text = self.standfirst() or super().summary()
        return self.SITE_SUFFIX.sub("", text) if text else text

    selectors = LayoutSelectors(body=BODY, lede=STANDFIRST)

    def layout_paragraphs(self) -> list[str]:
        found = self.BODY(self.tree)
        return container_paragraphs(found[0], self.DROP, blocks={"p", "h2", "h3", "h4", "h5", "h6", "li",
                                                                "blockquote"}) if found else []

    def authors(self) -> list[str]:
        names = [el.text_content().replace("|", " ") for el in self.BYLINE(self.tree)]
        persons, _ = clean_names(names, self.site_names())
        return persons or super().authors()

    def date_candidates(self):
        yield from super().date_candidates()
        for el in self.DATE(self.tree):
            # "05.04.2025 - Güncelleme : 05.04.2025": publication first, update after the dash.
            yield "text", clean_text(el.text_content()).split(" - ")[0]
