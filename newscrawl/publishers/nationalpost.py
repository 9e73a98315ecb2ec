"""National Post (nationalpost.com), a Postmedia site: `h1#articleTitle`, standfirst
`p.article-subtitle`, byline `span.published-by__author`, visible date `span.published-date__since`
(day only). The text is split into several `section.article-content__content-group--story`, with
ad groups and widget groups (newsletter sign-up, related stories) between them and a hidden
"Article content" `h2` at the top of each. JSON-LD (ReportageNewsArticle) has person authors and
datePublished with an offset. The generic extraction is exact on this layout."""

from newscrawl.pages import source_page
from newscrawl.pages.base import ArticlePage


@source_page("nationalpost")
class NationalPost(ArticlePage):
    """Postmedia layout in use since 2020."""
