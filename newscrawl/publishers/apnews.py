"""Associated Press News (apnews.com). The 2023 React layout: headline `h1` in
`div.CardHeadline` (`data-key=card-headline`), byline `span.Component-bylines` ("By NAME" in capitals),
text `div.Article[data-key=article]` paragraphs with ad and hub-peek slots between them; JSON-LD
NewsArticle with `author` as a list of plain strings ("Associated Press" for unsigned wire copy) and
datePublished in UTC. The generic extraction is exact on this layout. (AP moved to a new
`Page-headline` / `RichTextStoryBody` template later in 2023; add a layout when pages of it are
collected.)"""

from newscrawl.pages import source_page
from newscrawl.pages.base import ArticlePage


@source_page("apnews")
class APNews(ArticlePage):
    """React layout of 2021-2023 (/article/<slug>-<32 hex digits>)."""
