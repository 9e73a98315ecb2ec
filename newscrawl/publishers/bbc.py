"""BBC (bbc.co.uk, bbc.com). A Next.js page with hashed class names (``sc-…``) but a JSON-LD
NewsArticle with headline, datePublished (UTC) and author (a person, or the organisation "BBC News"
on unsigned explainers). The article is a sequence of ``div[data-component]`` blocks: the text is
in ``text-block`` (paragraphs, lists) and ``subheadline-block`` (intertitles); ``byline-block``,
``image-block``/``caption-block``, ``ad-slot``, ``links-block`` and ``tags`` are not text, nor are
lists of links to other stories ("Related" lists inside a ``text-block``: items that are one link). Read from
those blocks, as trafilatura takes the byline block into the text on short articles."""

import lxml.etree

from newscrawl.pages import source_page
from newscrawl.pages._container import element_lines
from newscrawl.pages.base import ArticlePage, Body


@source_page("bbc")
class BBC(ArticlePage):
    """Next.js layout in use since 2023."""

    BLOCKS = lxml.etree.XPath('//article//div[@data-component="text-block"]//*[self::p or self::li[normalize-space(.) != normalize-space(a)]]'
                              ' | //article//div[@data-component="subheadline-block"]//*[self::h2 or self::h3]')

    def body_paragraphs(self) -> Body:
        paragraphs = [line for el in self.BLOCKS(self.tree) for line in element_lines(el)]
        return Body(paragraphs) if paragraphs else super().body_paragraphs()
