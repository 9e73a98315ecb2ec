"""BBC (bbc.co.uk, bbc.com). The generic extraction is exact on its layout: a Next.js page with
hashed class names (``sc-…``) but a JSON-LD NewsArticle with headline, datePublished (UTC) and
author (a person, or the organisation "BBC News" on unsigned explainers); the text is the ``p``
and ``h2`` blocks of the ``article`` (``div[data-component=text-block]`` / ``subheadline-block``),
with image captions, "Related topics" and links boxes after it."""

from newscrawl.pages import source_page
from newscrawl.pages.base import ArticlePage


@source_page("bbc")
class BBC(ArticlePage):
    """Next.js layout in use since 2023."""
