"""Hankook Ilbo (hankookilbo.com). Two layouts.

Since the Next.js redesign (URLs ``/news/article/A…``, late 2025) the page ships no JSON-LD and no
rendered article: the text is in the React state (``"content"`` HTML, ``subTypeContents.subtitle``),
which the generic script reader finds; the clean headline, the reporter and the publication time
(KST wall time "2026.01.29 18:40") are attributes of a hidden ``div[data-article-id]``
(``data-title``, ``data-byline-writer-name``, ``data-deploy-dt``). ``og:title`` carries a
"-섹션ㅣ한국일보" suffix and the ``author`` meta adds the job title "기자".

The older server-rendered layout (``/News/Read/A…``) has a JSON-LD NewsArticle (headline, authors,
dates) and the text in ``div.col-main[itemprop=articleBody]``: ``h2.sub-tit-ll`` subtitle lines
split by ``<br>``, ``p.editor-p`` paragraphs, ``h3.editor-tit`` intertitles, with image boxes,
pull quotes (``div.module-quote``), ads and the ``div.writer`` signature in between."""

import lxml.etree

from newscrawl.extract.authors import clean_names
from newscrawl.extract.text import clean_text
from newscrawl.pages import LayoutSelectors, source_page
from newscrawl.pages.containers import element_lines
from newscrawl.pages.base import ArticlePage
from newscrawl.sources import Feed, Source


SOURCE = Source(
    slug="hankookilbo",
    name="한국일보",
    domains=("hankookilbo.com",),
    language="ko",
    timezone="Asia/Seoul",
    feeds=(
        Feed("news_sitemap", "https://www.hankookilbo.com/sitemap/latest-articles"),
        Feed("sitemap", "https://www.hankookilbo.com/sitemap/daily-articles/2020"),
    ),
    article_url=r"^https?://(?:www\.|m\.)?hankookilbo\.com/(?i:news)/(?i:read|article)/[A-Z]\d{15,}/?(?:[?#]|$)",
)


_JOB_TITLES = ("기자", "특파원", "선임기자", "논설위원", "객원기자", "인턴기자")


def _strip_job(name: str) -> str:
    name = clean_text(name)
    for job in _JOB_TITLES:
        if name.endswith(" " + job):
            return name[: -len(job)].strip()
    return name


@source_page(SOURCE)
class HankookIlbo(ArticlePage):
    """Next.js layout (``/news/article/``), in use since late 2025."""

    META = lxml.etree.XPath('//div[@data-article-id][@data-deploy-dt]')

    # No declared selectors: the page's markup is broken before its text (lxml nests the body in
    # the <head>), which only the generic extraction reads.
    selectors = None

    def applies(self) -> bool:
        return bool(self.META(self.tree))

    def _attr(self, name: str) -> str:
        for el in self.META(self.tree):
            value = clean_text(el.get(name))
            if value:
                return value
        return ""

    def title(self) -> str | None:
        return self._attr("data-title") or clean_text(self.data.first_meta("headline")) or super().title()

    def summary(self) -> str | None:
        text = super().summary()  # the description meta ends with a stray " | "
        return text.rstrip(" |") or None if text else None

    def authors(self) -> list[str]:
        names = self._attr("data-byline-writer-name") or self._attr("data-writer-name")
        raw = [names] if names else [_strip_job(v) for v in self.data.all_meta("author")]
        persons, _ = clean_names(raw, self.site_names() + ["한국일보"])
        return persons or super().authors()

    def date_candidates(self):
        yield "attribute", self._attr("data-deploy-dt")
        yield from super().date_candidates()


@source_page(SOURCE)
class HankookIlboServerRendered(ArticlePage):
    """Server-rendered layout (``/News/Read/``), until late 2025."""

    BODY = lxml.etree.XPath('//div[contains(@class, "col-main")][@itemprop="articleBody"]')
    BLOCKS = lxml.etree.XPath('./h2[contains(@class, "sub-tit")] | ./p[contains(@class, "editor-p")]'
                              ' | ./h3[contains(@class, "editor-tit")] | ./ul/li | ./ol/li')

    def applies(self) -> bool:
        return bool(self.BODY(self.tree))

    selectors = LayoutSelectors(body=BODY)

    def layout_paragraphs(self) -> list[str]:
        found = self.BODY(self.tree)
        return [line for el in self.BLOCKS(found[0]) for line in element_lines(el)] if found else []
