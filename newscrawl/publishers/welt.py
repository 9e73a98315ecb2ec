"""Die Welt (welt.de), layout in use since the 2019 relaunch (``c-*`` classes): standfirst
``div.c-summary__intro`` in the header, text ``div.c-article-text`` with <p> paragraphs and ``h3.o-headline``
intertitles, byline ``.c-author__by-line``, JSON-LD NewsArticle with headline, author (persons)
and datePublished in UTC. The generic extraction is exact on it."""

from newscrawl.pages import source_page
from newscrawl.pages.base import ArticlePage


@source_page("welt")
class Welt(ArticlePage):
    """Layout in use since 2019."""
