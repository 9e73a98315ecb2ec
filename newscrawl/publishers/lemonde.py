"""Le Monde (lemonde.fr). The generic extraction is exact on its layout: JSON-LD NewsArticle with
headline, datePublished (with offset) and authors; body paragraphs `article__paragraph` with
`article__sub-title` intertitles."""

from newscrawl.pages import source_page
from newscrawl.pages.base import ArticlePage


@source_page("lemonde")
class LeMonde(ArticlePage):
    """Layout in use since 2020."""
