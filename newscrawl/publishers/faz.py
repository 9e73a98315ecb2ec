"""Frankfurter Allgemeine Zeitung (faz.net). Two layouts:

* since the 2024 relaunch (Nuxt front end): header ``div.article-header`` with the kicker in
  ``.header-label`` and the headline in ``.header-title`` (both inside one <h2>), the standfirst in
  ``div.header-teaser``, the text in ``div.body-elements`` as ``p.body-elements__paragraph`` with
  ``h3.body-elements__subheading`` intertitles. The generic extraction takes the kicker + headline
  block for a paragraph; the body is read from the body elements instead.
* before it (``atc-*`` classes): the SEO headline (<title>, og:title and the page's only <h1>, in
  the breadcrumb) differs from the display headline (``h2.atc-Headline`` = JSON-LD headline), the
  standfirst is ``p.atc-IntroText``, the text ``div.atc-Text`` with ``p.atc-TextParagraph`` and
  ``h3.atc-SubHeadline``; the image description (``.atc-ImageDescription``) sits between headline
  and standfirst and is not text. JSON-LD dates are written like ``Fri Apr 28 19:20:36 CEST 2023``.

Both layouts are told apart by their markup (``applies()``); each falls back to the generic body
when its containers are missing.
"""

from lxml.etree import XPath

from newscrawl.extract.text import clean_text
from newscrawl.pages import LayoutSelectors, source_page
from newscrawl.pages.base import ArticlePage
from newscrawl.pages.selectors import has_class
from newscrawl.sources import Feed, Source


# Articles: /aktuell/<section>/.../<slug>-<id>.html; live blogs, videos and galleries excluded.
SOURCE = Source(
    slug="faz",
    name="Frankfurter Allgemeine Zeitung",
    domains=("faz.net",),
    language="de",
    timezone="Europe/Berlin",
    feeds=(
        Feed("news_sitemap", "https://www.faz.net/sitemap-news.xml"),
        Feed("rss", "https://www.faz.net/rss/aktuell"),
        Feed("rss", "https://www.faz.net/rss/aktuell/politik", "politik"),
        Feed("rss", "https://www.faz.net/rss/aktuell/sport", "sport"),
        Feed("rss", "https://www.faz.net/rss/aktuell/wirtschaft/", "wirtschaft"),
        Feed("rss", "https://www.faz.net/rss/aktuell/gesellschaft/", "gesellschaft"),
        Feed("sitemap", "https://www.faz.net/sitemap-index.xml"),
    ),
    article_url=r"faz\.net/aktuell/(?:[\w-]+/)+[\w-]+-\d{6,}\.html",
    exclude_url=r"faz\.net/aktuell/(?:[\w-]+/)*(?:video|videos|bilder|bildergalerie)/|/liveblog|-liveblog-|-live-ticker",
    concurrency=2,
    delay=1.5,
)


def _texts(elements) -> list[str]:
    return [t for t in (clean_text(el.text_content()) for el in elements) if t]


class _FazPage(ArticlePage):
    BODY: XPath
    STANDFIRST: XPath

    def standfirst(self) -> str | None:
        return " ".join(_texts(self.STANDFIRST(self.tree))) or None


@source_page(SOURCE)
class Faz(_FazPage):
    """Layout of the 2024 relaunch (Nuxt, ``body-elements``)."""

    BODY = XPath(f'//div[{has_class("body-elements")}]'
                 '/*[self::p[contains(@class, "body-elements__paragraph")]'
                 ' or self::h3[contains(@class, "body-elements__subheading")]]')
    STANDFIRST = XPath('(//div[contains(@class, "article-header")]'
                       f'//div[{has_class("header-teaser")}])[1]')
    selectors = LayoutSelectors(body=BODY, lede=STANDFIRST)

    def applies(self) -> bool:
        return bool(self.BODY(self.tree))


@source_page(SOURCE)
class FazAtc(_FazPage):
    """Layout before the 2024 relaunch (``atc-*`` classes)."""

    BODY = XPath(f'//div[{has_class("atc-Text")}]'
                 '//*[self::p[contains(@class, "atc-TextParagraph")] or self::h3[contains(@class, "atc-SubHeadline")]]')
    STANDFIRST = XPath('(//p[contains(@class, "atc-IntroText")])[1]')
    selectors = LayoutSelectors(body=BODY, lede=STANDFIRST)

    def applies(self) -> bool:
        return bool(self.BODY(self.tree))

    def title(self) -> str | None:
        # The SEO headline: the page's <title>, og:title and only <h1>.
        return clean_text(self.data.first_meta("og:title")) or super().title()
