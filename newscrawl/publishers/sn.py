"""Salzburger Nachrichten (sn.at). Nuxt page with a complete JSON-LD NewsArticle (headline,
datePublished with offset, description = the `article-leadtext` standfirst) and the body in
`section-text article-body-text` blocks; the generic extraction is exact. Agency copy names no
person: the byline shows the agency ("von APA"), JSON-LD and meta author name the paper itself."""

from newscrawl.pages import source_page
from newscrawl.pages.base import ArticlePage


@source_page("sn")
class SalzburgerNachrichten(ArticlePage):
    """Layout in use since the 2023 relaunch (article URLs end in `-<9-digit id>`)."""
