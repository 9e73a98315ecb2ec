"""Euronews, French edition (fr.euronews.com), "newsy" article layout (``o-article-newsy``, in
use since the 2023 redesign): headline ``h1.c-article-redesign-title`` (= JSON-LD headline and
<title>; og:title is often a different, social-media title), standfirst
``p.c-article-summary``, text ``div.c-article-content`` with <p> and <h2>/<h3> intertitles, JSON-LD
NewsArticle with person authors and datePublished as ``2024-04-30 16:00:34 +02:00``. The generic
extraction is exact on it."""

from newscrawl.pages import source_page
from newscrawl.pages.base import ArticlePage


@source_page("euronews_fr")
class EuronewsFr(ArticlePage):
    """Layout in use since 2023 (``o-article-newsy``)."""
