"""Kommersant (kommersant.ru). The generic extraction is exact on its layout: JSON-LD NewsArticle
with headline, datePublished (with offset) and authors; the header has ``h1.doc_header__name``, the
subtitle ``h2.doc_header__subheader`` and ``time.doc_header__publish_time``; the text is
``p.doc__text`` paragraphs in ``div.article_text_wrapper``, opened by ``p.doc__intro`` and closed
by the byline ``p.document_authors``, with photos in ``figure.doc_media`` (captions and credits
in ``figcaption.doc_media__caption``)."""

from newscrawl.pages import LayoutSelectors, css, source_page
from newscrawl.pages.base import ArticlePage
from newscrawl.sources import Feed, Source


SOURCE = Source(
    slug="kommersant",
    name="Коммерсантъ",
    domains=("kommersant.ru",),
    language="ru",
    timezone="Europe/Moscow",
    feeds=(
        Feed("news_sitemap", "https://www.kommersant.ru/sitemaps/sitemap_news.xml"),
        Feed("sitemap", "https://www.kommersant.ru/sitemaps/all_docs_sitemap.xml"),
        Feed("rss", "https://www.kommersant.ru/RSS/news.xml"),
    ),
    article_url=r"^https?://www\.kommersant\.ru/doc/\d{5,}/?(?:[?#]|$)",
    concurrency=4,
    delay=0.5,
)


@source_page(SOURCE)
class Kommersant(ArticlePage):
    """Layout in use since 2021."""

    selectors = LayoutSelectors(
        body=css("div.article_text_wrapper > p.doc__text:not(.document_authors),"
                 " div.article_text_wrapper > p.doc__thought,"
                 " div.article_text_wrapper > h3"),
        lede=css("header.doc_header h2.doc_header__subheader"),)
