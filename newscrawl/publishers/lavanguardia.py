"""La Vanguardia (lavanguardia.com), layout in use since about 2020: standfirst ``h2.epigraph``
in the header, text ``div.article-modules`` with ``p.paragraph`` and ``h3.subtitle`` intertitles,
JSON-LD NewsArticle with headline, person authors and datePublished with its
offset (``+0100``). The generic extraction is exact on it."""

from newscrawl.pages import source_page
from newscrawl.pages.base import ArticlePage


@source_page("lavanguardia")
class LaVanguardia(ArticlePage):
    """Layout in use since about 2020."""
