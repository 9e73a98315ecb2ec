"""Source parsers as a fast path: a layout's declared selectors (:class:`LayoutSelectors`).

A publisher's layout (``newscrawl/publishers/<slug>.py``) declares where its title, lede (the
standfirst), body, publication time and authors are::

    selectors = LayoutSelectors(body='//div[@itemprop="articleBody"]', lede=css("p.intro"))

When the selectors find a body that passes the checks below, the page's body (and the declared
title, authors, time) is read from them and the generic body extraction (main-text scoring, the
standfirst and lede searches over the whole page) does not run. When they do not, the page falls
back to the generic path, today's full extraction, and says why in ``page.layout_miss``:

==================  ================================================================================
``body_selector``   the body selector finds no text (the markup changed)
``title_selector``  a title selector is declared and finds no text
``short_body``      the body is shorter than the crawl's minimum words, or than half the page's
                    JSON-LD articleBody, or a small share of the text of the page's paragraphs
                    (a selector that now finds only the first paragraph)
``selector_error``  a selector failed on this document
==================  ================================================================================

The spider counts misses per source (``newscrawl/layout_miss/<slug>[/<reason>]``, beside
``newscrawl/layout_pages/<slug>``) and the health check compares a run's miss rate with the
source's history (newscrawl/runs/health.py).
"""

from dataclasses import dataclass, fields
from functools import cached_property

import lxml.etree

from newscrawl.extract.authors import clean_names
from newscrawl.extract.boilerplate import is_boilerplate_line
from newscrawl.extract.text import clean_text, normalize_for_compare, shown_text, tokens

from .body import SELECTORS, Body

# Blocks of text inside a declared body container, and subtrees that are never article text.
BLOCK_TAGS = ("p", "h2", "h3", "h4", "h5", "h6", "li", "blockquote", "pre")
SKIP_TAGS = frozenset(("figure", "figcaption", "aside", "nav", "script", "style", "noscript", "template",
                       "button", "form", "iframe", "svg", "video", "audio", "picture", "img", "footer",
                       "select", "textarea", "input"))
# The declared body must hold at least this share of the text of the page's <p> elements, when
# they hold at least SHARE_MIN_CHARS: a container that now wraps the first paragraph only (a
# redesign moved the rest) is caught. Development pages of the launch sources: lowest share 0.28
# (Reuters: teasers and captions in <p>), most above 0.4.
MIN_PARAGRAPH_SHARE = 0.15
SHARE_MIN_CHARS = 2000
# ... and at least half the words of the page's JSON-LD articleBody, when it has some.
MIN_ARTICLE_BODY_SHARE = 0.5
_LISTS = ("ul", "ol")
_HIDDEN_CLASSES = frozenset(("visually-hidden", "sr-only", "screen-reader-text", "hidden", "u-hidden"))
MAX_PARAGRAPHS = 2000       # a hostile page's millions of list items are not read one by one
MAX_VALUE_CHARS = 400       # a declared title, author or time longer than this is not one


def xpath(expression: str) -> lxml.etree.XPath:
    """A compiled XPath selector (the declaration's strings are compiled with this)."""
    return lxml.etree.XPath(expression)


def css(selector: str) -> lxml.etree.XPath:
    """A compiled CSS selector (lxml's cssselect, an XPath underneath)."""
    from lxml.cssselect import CSSSelector
    return CSSSelector(selector, translator="html")


@dataclass(frozen=True)
class LayoutSelectors:
    """A layout's selectors, each an XPath string, or a compiled :func:`xpath` / :func:`css`.

    * ``body``: the text's blocks (``p``, intertitles, list items), or its container(s), whose
      blocks are read in order (figures, asides, forms and the like left out);
    * ``title``, ``lede``: the element(s) whose first text is the headline / the standfirst (the
      lede is put before the body unless the body starts with it);
    * ``published``: elements or attribute values (``//time/@datetime``) holding the publication
      time, tried before the generic date candidates;
    * ``authors``: the elements naming the authors (one name, or a list, each)."""

    body: object = None
    title: object = None
    lede: object = None
    published: object = None
    authors: object = None

    def __post_init__(self):
        for f in fields(self):
            value = getattr(self, f.name)
            if isinstance(value, str):
                object.__setattr__(self, f.name, xpath(value))


@dataclass(frozen=True)
class Declared:
    """What a layout's selectors read from a page that passed the checks."""

    paragraphs: list[str]
    title: str | None


def _texts(results) -> list[str]:
    """Texts of an XPath result (elements, attribute values or strings), cleaned, empties dropped."""
    if isinstance(results, (str, bytes)):
        results = [results]
    elif not isinstance(results, list):
        return []
    out = []
    for r in results[:50]:
        text = clean_text(str(r)[:MAX_VALUE_CHARS * 4]) if isinstance(r, str) else (
            clean_text(shown_text(r)[:MAX_VALUE_CHARS * 4]) if isinstance(getattr(r, "tag", None), str) else "")
        if text:
            out.append(text)
    return out


def _hidden(el) -> bool:
    cls = el.get("class")
    return bool(cls) and any(word in _HIDDEN_CLASSES for word in cls.split())


def block_texts(elements) -> list[str]:
    """Paragraphs of the selected elements: a block (``p``, ``h2`` ... ``li``, ``blockquote``) is
    one paragraph; a list is read item by item; any other element is a container whose direct
    children blocks (and lists) are read in order: boxes, figures and asides nested in it are not
    (a layout whose text sits deeper selects its blocks instead). Text hidden from sighted readers
    (``visually-hidden``, ``sr-only``) is left out."""
    out: list[str] = []

    def take(el) -> None:
        if not _hidden(el):
            text = clean_text(shown_text(el))
            if text:
                out.append(text)

    def read(el, container: bool) -> None:
        tag = el.tag
        if not isinstance(tag, str) or tag in SKIP_TAGS or _hidden(el):
            return
        if tag in _LISTS:
            for li in el:
                if li.tag == "li":
                    take(li)
        elif tag in BLOCK_TAGS:
            take(el)
        elif container:
            for child in el:
                if len(out) >= MAX_PARAGRAPHS:
                    return
                read(child, False)

    for el in elements[:MAX_PARAGRAPHS] if isinstance(elements, list) else []:
        read(el, True)
    return out[:MAX_PARAGRAPHS]


def _starts_with(paragraphs: list[str], lede: str) -> bool:
    """The body already holds the lede: whole in its first paragraphs, or as its opening words."""
    nlede, head = normalize_for_compare(lede), normalize_for_compare(" ".join(paragraphs[:2]))
    return nlede in head or head.startswith(nlede[:60])


class DeclaredLayout:
    """Mixin of :class:`~newscrawl.pages.base.ArticlePage` (first in its bases): the fast path of a
    layout with ``selectors``. Pages without them (the generic page) read as before."""

    selectors: LayoutSelectors | None = None
    layout_miss: str | None = None          # why the declared selectors were not used (see above)
    min_body_words: int = 0                 # set by to_item: the crawl's minimum

    def layout_paragraphs(self) -> list[str]:
        """The body as the declared selectors read it; layouts with odd markup override this
        (the checks and the fallback stay the same)."""
        body = self.selectors.body
        return block_texts(body(self.tree)) if body is not None else []

    @cached_property
    def declared(self) -> Declared | None:
        """The fields the layout's selectors read, when they pass the checks; else None, with
        ``layout_miss`` saying why (the page then reads its fields by the generic path)."""
        sel = self.selectors
        if sel is None:
            return None
        try:
            reason, found = self._read_declared(sel)
        except (lxml.etree.XPathError, ValueError, TypeError):
            reason, found = "selector_error", None
        if reason:
            self.layout_miss = reason
        return found

    def _read_declared(self, sel: LayoutSelectors) -> tuple[str | None, Declared | None]:
        title = None
        if sel.title is not None:
            titles = _texts(sel.title(self.tree))
            if not titles:
                return "title_selector", None
            title = titles[0][:MAX_VALUE_CHARS]
        # Prompts, credits and "Read more: ..." lines inside the text are dropped as on the generic path.
        paragraphs = [p for p in self.layout_paragraphs() if len(p) > 300 or not is_boilerplate_line(p)]
        if not paragraphs:
            return "body_selector", None
        words = sum(len(tokens(p)) for p in paragraphs)
        if words < max(self.min_body_words, 1):
            return "short_body", None
        if self._short_of_page(paragraphs, words):
            return "short_body", None
        if sel.lede is not None:
            ledes = _texts(sel.lede(self.tree))
            lede = " ".join(ledes[:3])
            if lede and not _starts_with(paragraphs, lede):
                paragraphs = [lede] + paragraphs
        return None, Declared(paragraphs, title)

    def _short_of_page(self, paragraphs: list[str], words: int) -> bool:
        """The body is far shorter than the page's own signals of its length: the JSON-LD
        articleBody, or the text of the page's paragraphs."""
        article_body = self.ld.get("articleBody")
        if isinstance(article_body, str):
            ld_words = len(tokens(article_body[:200_000]))
            if ld_words >= 2 * max(self.min_body_words, 20) and words < MIN_ARTICLE_BODY_SHARE * ld_words:
                return True
        chars = sum(len(p) for p in paragraphs)
        page_chars = sum(len(p.text_content()) for p in self.tree.iter("p"))
        return page_chars >= SHARE_MIN_CHARS and chars < MIN_PARAGRAPH_SHARE * page_chars

    # ---- the page's fields, from the declaration when it holds ---------------------------------
    def body_paragraphs(self) -> Body:
        declared = self.declared
        if declared is not None:
            return Body(declared.paragraphs, SELECTORS)
        return super().body_paragraphs()

    def title(self) -> str | None:
        declared = self.declared
        if declared is not None and declared.title:
            return declared.title
        return super().title()

    def authors(self) -> list[str]:
        sel = self.selectors
        if sel is not None and sel.authors is not None and self.declared is not None:
            persons = clean_names(_texts(sel.authors(self.tree))[:20], self.site_names())[0]
            if persons:
                return persons
        return super().authors()

    def date_candidates(self):
        sel = self.selectors
        if sel is not None and sel.published is not None:
            try:
                values = _texts(sel.published(self.tree))[:3]
            except lxml.etree.XPathError:
                values = []
            for value in values:
                yield "layout", value[:MAX_VALUE_CHARS]
        yield from super().date_candidates()
