"""Helpers for layouts whose site has a known article container: its paragraphs in document
order (boxes, captions and ads removed first), with ``<br>`` breaks inside one element read as
paragraph breaks. Used by layouts where trafilatura's guess is not exact but the markup is plain."""

import copy

import lxml.etree

from newscrawl.extract.text import clean_text

_SKIP = frozenset(("script", "style", "noscript", "template", "figure", "figcaption", "button", "svg", "iframe",
                   "aside", "nav", "form"))
# Elements whose text is one paragraph (or several, split at <br>); others are walked into.
BLOCKS = frozenset(("p", "h2", "h3", "h4", "h5", "h6", "li", "blockquote", "pre"))


def container_paragraphs(container, drop=None, blocks=BLOCKS, split_br: bool = True,
                         loose_text: bool = False) -> list[str]:
    """Paragraphs of `container` (an lxml element). `drop` is a compiled XPath (relative to the
    container) of elements to delete first; `loose_text` also reads text that sits directly in
    container divs (sites that write paragraphs as ``text<br><br>text``)."""
    if container is None:
        return []
    work = copy.deepcopy(container)
    lxml.etree.strip_tags(work, lxml.etree.Comment)
    if drop is not None:
        for el in drop(work):
            if el.getparent() is not None:
                el.drop_tree()
    for el in list(work.iter(*_SKIP)):
        if el is not work and el.getparent() is not None:
            el.drop_tree()
    out: list[str] = []

    def text_of(el) -> list[str]:
        return element_lines(el, split_br)

    def walk(el):
        if not isinstance(el.tag, str) or el.tag in _SKIP:
            return
        if el.tag in blocks:
            out.extend(text_of(el))
            return
        if loose_text and el.text and el.text.strip():
            out.append(clean_text(el.text))
        for child in el:
            walk(child)
            if loose_text and child.tail and child.tail.strip():
                out.append(clean_text(child.tail))

    for child in ([work] if work.tag in blocks else list(work)):
        walk(child)
    return out


def element_lines(el, split_br: bool = True) -> list[str]:
    """Text of one element, cut at its <br> line breaks (a paragraph each) when `split_br`."""
    pieces, current = [], [el.text or ""]
    for child in el.iterdescendants():
        if not isinstance(child.tag, str):
            pass
        elif _inside_skipped(child, el):
            continue
        elif child.tag in _SKIP:
            if child.tail:
                current.append(child.tail)
            continue
        elif child.tag == "br" and split_br:
            pieces.append("".join(current))
            current = []
        elif child.text:
            current.append(child.text)
        if child.tail:
            current.append(child.tail)
    pieces.append("".join(current))
    return [t for t in (clean_text(p) for p in pieces) if t]


def _inside_skipped(child, top) -> bool:
    for a in child.iterancestors():
        if a is top:
            return False
        if a.tag in _SKIP:
            return True
    return False
