"""Sankei Shimbun (sankei.com, Arc XP). The generic extraction is exact on its layout: JSON-LD
NewsArticle with headline, datePublished (+09:00) and the reporter as author (also the ``author``
meta); ``h1.article-headline`` in ``div.article-header``; the text is ``p.article-text`` paragraphs
and ``h2.article-middle-headline`` intertitles in ``div.article-body``, between photo figures and
inline ad slots (``div.inline-gptAd``)."""

from newscrawl.pages import source_page
from newscrawl.pages.base import ArticlePage


@source_page("sankei")
class Sankei(ArticlePage):
    """Arc XP layout in use since 2021."""
