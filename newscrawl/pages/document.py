"""The fetched page as a document: its bytes decoded and parsed once (``html``, ``tree``), its
structured data read once (``data``: JSON-LD, meta tags, microdata; ``ld``: the article object),
and the source it belongs to (``source``: the publisher's declaration, None on the generic path).
"""

import re
from datetime import datetime, timezone
from functools import cached_property
from typing import TYPE_CHECKING

import lxml.etree
import lxml.html

from newscrawl.extract.structured import read_structured
from newscrawl.extract.text import clean_text, decode_html, normalize_for_compare, shown_text, utf8_source

from .selectors import NOT_SHOWN
from .validation import NotAnArticle

if TYPE_CHECKING:
    from newscrawl.sources import Source

_XML_DECLARATION = re.compile(r"^\s*<\?xml[^>]*\?>")
# lxml.html's parser picks each element's class in a Python callback, called whenever an element
# is touched; one HtmlElement class for all, chosen in C, makes tree walks ~2x faster. (The form
# and input classes it gives up are not used here.)
_HTML_PARSER = lxml.html.HTMLParser()
# For bodies that are UTF-8 as they are (`utf8_source`): the given encoding overrides <meta charset>.
_UTF8_PARSER = lxml.html.HTMLParser(encoding="utf-8")
for _parser in (_HTML_PARSER, _UTF8_PARSER):
    _parser.set_element_class_lookup(lxml.etree.ElementDefaultClassLookup(
        element=lxml.html.HtmlElement, comment=lxml.html.HtmlComment, pi=lxml.html.HtmlProcessingInstruction,
        entity=lxml.html.HtmlEntity))


class PageDocument:
    """Base of :class:`~newscrawl.pages.base.ArticlePage`: parsing and document access.

    ``source`` is the one way a page learns its publisher's facts (slug, name, language, zone):
    the declaration object a layout is registered for, or the one ``page_for`` passes for a
    declared source without layouts; None for a page of an unknown site."""

    source: "Source | None" = None

    def __init__(self, url: str, body: bytes, *, headers_content_type: str | None = None,
                 crawled_at: datetime | None = None, text: str | None = None, source: "Source | None" = None,
                 hints: bool = True):
        self.fetched_url = url
        self.raw = body
        self.content_type = headers_content_type
        self.crawled_at = crawled_at or datetime.now(timezone.utc)
        self._text = text
        self.hints = hints      # per-publisher facts (newscrawl/pages/hints.py) may be used
        if source is not None:
            self.source = source

    @classmethod
    def from_response(cls, response, crawled_at: datetime | None = None):
        ctype = response.headers.get(b"Content-Type")
        return cls(response.url, response.body, crawled_at=crawled_at,
                   headers_content_type=ctype.decode("latin-1") if ctype else None)

    def applies(self) -> bool:
        """Whether this layout recognises the page's markup (layouts of one source override it)."""
        return True

    @cached_property
    def html(self) -> str:
        if self._text is not None:
            return self._text
        text, _ = decode_html(self.raw, self.content_type)
        return text

    @cached_property
    def tree(self):
        raw = utf8_source(self.raw, self.content_type) if self._text is None else None
        try:
            if raw is not None:
                tree = lxml.html.document_fromstring(raw, parser=_UTF8_PARSER)
            else:
                # lxml refuses str input that starts with an XML declaration (XHTML pages).
                tree = lxml.html.document_fromstring(_XML_DECLARATION.sub("", self.html, count=1),
                                                     parser=_HTML_PARSER)
        except (lxml.etree.ParserError, ValueError) as exc:
            raise NotAnArticle("unparsable", type(exc).__name__) from exc   # the message may quote the page
        return tree

    @cached_property
    def data(self):
        return read_structured(self.tree, self.fetched_url)

    @property
    def ld(self) -> dict:
        return self.data.article or {}

    @cached_property
    def visible_text(self) -> str:
        """Normalised text of the page's <body> (scripts and styles excluded), for containment tests."""
        body = self.tree.find("body")
        if body is None:
            return ""
        parts = []
        for el in body.iter():
            if el.tag in NOT_SHOWN or not isinstance(el.tag, str):
                if el.tail:
                    parts.append(el.tail)
                continue
            if el.text:
                parts.append(el.text)
            if el.tail:
                parts.append(el.tail)
        return normalize_for_compare(" ".join(parts))

    def first_text(self, xpath) -> str | None:
        """Clean text of the first element a compiled XPath finds that has any (a standfirst,
        a byline element): the helper layouts use for their site's own elements."""
        for el in xpath(self.tree):
            text = clean_text(shown_text(el))
            if text:
                return text
        return None
