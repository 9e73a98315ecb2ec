"""ZDF (zdf.de, ZDFheute articles under /nachrichten/). Next.js page with generated (hashed) CSS
class names, so the layout is read from its structure and `data-testid` hooks: the header (kicker,
headline, "von ..." byline, date, lede <p>) comes first in <main>, the article is
`div[data-testid="text-module"]`, whose child modules are one each: a text block (paragraph or list),
an <h2> intertitle, or a box — a video (its own VideoObject JSON-LD and caption), a picture with
caption and credit (ended by <hr>), a pull quote (<figure><blockquote>), an infographic behind a
consent button, a teaser of another article (<article>). The boxes are left out; list items are
paragraphs of their own. JSON-LD NewsArticle gives headline, datePublished and authors."""

import lxml.etree

from newscrawl.extract.text import clean_text
from newscrawl.pages import LayoutSelectors, source_page
from newscrawl.pages.base import ArticlePage
from newscrawl.sources import Feed, Source


SOURCE = Source(
    slug="zdf",
    name="ZDF",
    domains=("zdf.de",),
    language="de",
    timezone="Europe/Berlin",
    feeds=(
        Feed("sitemap", "https://www.zdf.de/sitemap.xml"),
        Feed("news_sitemap", "https://www.zdf.de/news-sitemap.xml"),
        Feed("rss", "https://www.zdf.de/rss/zdf/nachrichten"),
    ),
    article_url=r"zdf\.de/nachrichten/(?:[\w-]+/)+[\w-]+-\d{3}\.html",
    exclude_url=r"/nachrichten/(?:video|thema)/|-video-\d+\.html|liveblog|live-?ticker",
)


@source_page(SOURCE)
class ZDF(ArticlePage):
    """Layout in use since the 2023 ZDFheute relaunch."""

    MODULES = lxml.etree.XPath('//div[@data-testid="text-module"]/*')
    # A module holding any of these is a box, not article text.
    BOX = lxml.etree.XPath('boolean(self::*[@data-testid and @data-testid != "text-module"]'
                           ' | descendant-or-self::*[self::figure or self::script or self::article or self::button'
                           ' or self::hr or self::img or self::picture or self::video or self::iframe or self::aside'
                           ' or @data-testid="content-module"])')
    TEASER = lxml.etree.XPath('boolean(descendant-or-self::*[self::article or @data-testid="content-module"])')

    # The lede: the header's last <p> (hashed classes) before the text.
    selectors = LayoutSelectors(
        body=MODULES,
        lede='(//main//p[not(ancestor::*[@data-testid])][following::div[@data-testid="text-module"]])[last()]')

    def layout_paragraphs(self) -> list[str]:
        paragraphs = []
        modules = [m for m in self.MODULES(self.tree) if isinstance(m.tag, str)]
        for i, module in enumerate(modules):
            if self.BOX(module):
                continue
            items = module.xpath(".//li") or module.xpath(".//h2 | .//h3 | .//h4") or [module]
            texts = [t for t in (clean_text(el.text_content()) for el in items) if t]
            if len(texts) == 1 and texts[0].endswith(":") and i + 1 < len(modules) and self.TEASER(modules[i + 1]):
                continue  # "Mehr dazu lesen Sie hier:" announcing the teaser box that follows
            paragraphs += texts
        return paragraphs
