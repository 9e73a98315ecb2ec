"""Article body: trafilatura's main-text extraction combined with the JSON-LD ``articleBody``.

trafilatura finds paragraph structure and intertitles but sometimes keeps boxes or misses parts;
``articleBody`` is the publisher's own text but often lacks paragraph breaks or is truncated.
:func:`combine` keeps trafilatura's paragraphs where the publisher's text confirms them, drops those
it contradicts, and takes the publisher's text where trafilatura missed most of it.
"""

import copy
import json
import logging
import re
from collections import Counter
from dataclasses import dataclass

import lxml.etree
import lxml.html
import trafilatura

from .boilerplate import (CAPTION_TAGS, add_captions, caption_texts, is_boilerplate_line, is_byline_like, is_caption,
                          is_link_line, is_member_prompt, link_texts, page_links, remember_captions, trim_tail)
from .text import clean_text, normalize_for_compare, tokens

logger = logging.getLogger(__name__)

_TAG = re.compile(r"<[^>]{0,2000}>")
_BREAKS = re.compile(r"(?i)<\s*(?:br|/p|/h[1-6]|/li|/div|/blockquote)\s*/?>")


# Tables are kept: a results or data table is often the article itself (one block per row).
_OPTIONS = dict(include_comments=False, include_tables=True, include_images=False, include_links=False,
                with_metadata=False, deduplicate=False, include_formatting=False)


_EXTRACTORS: dict = {}     # (fast, favor_recall) -> trafilatura's settings for _OPTIONS


def _extractor(url: str | None, *, fast: bool, favor_recall: bool) -> trafilatura.settings.Extractor:
    """trafilatura's settings as bare_extraction builds them from _OPTIONS (reading its config file's
    values each time: a quarter of a millisecond), built once and copied with the page's URL."""
    template = _EXTRACTORS.get((fast, favor_recall))
    if template is None:
        template = _EXTRACTORS[(fast, favor_recall)] = trafilatura.settings.Extractor(
            output_format="python", fast=fast, recall=favor_recall, comments=_OPTIONS["include_comments"],
            formatting=_OPTIONS["include_formatting"], links=_OPTIONS["include_links"],
            images=_OPTIONS["include_images"], tables=_OPTIONS["include_tables"], dedup=_OPTIONS["deduplicate"],
            with_metadata=_OPTIONS["with_metadata"])
    options = copy.copy(template)
    options.url = url
    options.source = url and url.encode("utf-8", "replace").decode("utf-8")
    return options


class Block(str):
    """A paragraph of main text; ``kind`` is trafilatura's element: p, head, item, quote ..."""

    kind: str = "p"

    def __new__(cls, text: str, kind: str = "p"):
        obj = super().__new__(cls, text)
        obj.kind = kind
        return obj


def _lines(el) -> list[str]:
    """Text of an element, split at its <lb/> line breaks."""
    parts, current = [], [el.text or ""]
    for child in el.iterdescendants():
        if child.tag == "lb":
            parts.append("".join(current))
            current = []
        elif child.text:
            current.append(child.text)
        if child.tail:
            current.append(child.tail)
    parts.append("".join(current))
    return [t for t in (clean_text(p) for p in parts) if t]


_OUTPUT_BLOCKS = frozenset(("list", "head", "quote", "p", "table"))
_MAX_NESTING = 12


def _blocks_of(body, depth: int = 0) -> list[Block]:
    blocks = []
    for el in body:
        tag = el.tag
        if tag == "list":
            for item in el.iter("item"):
                blocks.extend(Block(t, "item") for t in _lines(item))
        elif tag in ("head", "quote", "p"):
            blocks.extend(Block(t, tag) for t in _lines(el))
        elif tag == "table":
            blocks.extend(_table_rows(el))
        elif depth < _MAX_NESTING and any(child.tag in _OUTPUT_BLOCKS for child in el):
            # A container of paragraphs (trafilatura keeps a <div> around them at times): its
            # blocks one by one, not run together into one.
            if el.text and el.text.strip():
                blocks.append(Block(clean_text(el.text), "p"))
            for child in el:
                blocks.extend(_blocks_of((child,), depth + 1))
                if child.tail and child.tail.strip():
                    blocks.append(Block(clean_text(child.tail), "p"))
        else:
            blocks.extend(Block(t, "p") for t in _lines(el))
    return blocks


def _table_rows(table, max_rows: int = 2_000) -> list[Block]:
    """A table as one block per row, its cells joined by " | " (a results table, a price list)."""
    out = []
    for row in table.iter("row"):
        cells = [" ".join(_lines(cell)) for cell in row if cell.tag == "cell"]
        text = " | ".join(c for c in cells if c)
        if text:
            out.append(Block(text, "row"))
            if len(out) >= max_rows:
                break
    return out


def trafilatura_blocks(document, url: str | None = None, *, favor_recall: bool = False,
                       prune_xpath=None, fast: bool = False) -> list[Block]:
    """Main text as blocks (paragraphs, intertitles, list items); [] when none found.
    ``document`` may be an lxml tree: trafilatura works on its own copy. ``fast`` skips
    trafilatura's comparison with readability / justext (a third of its time)."""
    try:
        doc = trafilatura.bare_extraction(document, url=url, prune_xpath=prune_xpath,
                                          options=_extractor(url, fast=fast, favor_recall=favor_recall))
    except Exception:  # trafilatura raises assorted errors on broken documents
        logger.debug("trafilatura failed on %s", url, exc_info=True)
        return []
    if doc is None or getattr(doc, "body", None) is None:
        return []
    return _blocks_of(doc.body)


@dataclass
class MainText:
    """The main-text pick and what the page says about it: ``text_share``, the share of the page's
    long paragraphs (:func:`_long_paragraphs`, boxes and link bars removed) found in it (None when
    the page has too few to tell); ``boxed``, the normalised text of the boxes taken out."""

    blocks: list
    text_share: float | None = None
    boxed: str = ""
    long_paragraphs: list = None
    container: object = None      # the element holding most paragraph text (`article_container`)
    whole_page: bool = False      # trafilatura read the whole page in its full mode already


def main_text_blocks(tree, url: str | None = None) -> list[Block]:
    """trafilatura's main text (:func:`main_text`), the blocks alone."""
    return main_text(tree, url).blocks


def main_text(tree, url: str | None = None) -> MainText:
    """trafilatura's main text; when it finds (almost) nothing, the article embedded in the page's
    scripts (client-rendered pages)."""
    work = copy.deepcopy(tree)
    # One walk of the copy finds the box candidates and the page's captions (which the body's
    # rules ask for next): the same as walking the page itself, before anything is removed.
    captions: set[str] = set()
    candidates = _box_candidates(work, captions)
    remember_captions(tree, captions)
    # Comments split text nodes (React pages put <!-- --> inside links): trafilatura's own parser
    # drops them, so do the same for a tree parsed elsewhere.
    lxml.etree.strip_tags(work, lxml.etree.Comment)
    drop_non_content(work)
    boxed: list[str] = []
    prune_boxes(work, boxed, candidates)   # (candidates inside removed elements are skipped)
    long_paragraphs = _long_paragraphs(work)
    # trafilatura first sees only the article's container (a third of its time on a whole page);
    # when that misses the page's text, it gets the whole page.
    container = article_container(work)
    whole_page = False
    removed = focus_on_article(work, container=container)
    drop_link_bars(work)    # (after the focus: only the links left near the article are read)
    blocks = trafilatura_blocks(work, url, fast=True)
    if under_extracted(blocks, long_paragraphs):
        # The quick reading of the whole page, unless the paragraphs missed are all inside the
        # focus (putting the rest back cannot bring them: the full reading is needed, and next).
        retry = _missed_outside(blocks, long_paragraphs, removed)
        for parent, index, el in removed:
            parent.insert(index, el)
        if retry:
            blocks = trafilatura_blocks(work, url, fast=True)
        if under_extracted(blocks, long_paragraphs):
            blocks = trafilatura_blocks(work, url)
            whole_page = True
    if sum(len(tokens(b)) for b in blocks) < 25:
        embedded = script_body_paragraphs(tree)
        if sum(len(tokens(p)) for p in embedded) > sum(len(tokens(b)) for b in blocks):
            blocks = [Block(p) for p in embedded]
    return MainText(blocks, text_share(blocks, long_paragraphs),
                    normalize_for_compare(" ".join(boxed)[:_MAX_BOXED_CHARS]), long_paragraphs, container,
                    whole_page)


_MAX_BOXED_CHARS = 200_000
_MAX_REMOVED_CHARS = 2_000_000


def _missed_outside(blocks, long_paragraphs: list[str], removed: list) -> bool:
    """Whether a long paragraph ``blocks`` lack is in the ``removed`` elements (`focus_on_article`)."""
    if not removed:
        return False
    found = normalize_for_compare(" ".join(blocks))
    missing = [t for t in long_paragraphs if t not in found]
    if not missing:
        return False
    outside = normalize_for_compare(" ".join(el.text_content() for _, _, el in removed)[:_MAX_REMOVED_CHARS])
    return any(t in outside for t in missing)


def article_container(tree, share: float = 0.9, min_chars: int = 500):
    """The deepest element holding ``share`` of the page's paragraph text (<p> of 40+ characters),
    not the <body>; None when the page has less than ``min_chars`` of it."""
    body = tree.find("body")
    if body is None:
        return None
    scores: dict = {}
    total = 0
    for p in body.iter("p"):
        n = len(p.text_content().strip())
        if n < 40:
            continue
        total += n
        for anc in p.iterancestors():
            scores[anc] = scores.get(anc, 0) + n
            if anc is body:
                break
    if total < min_chars:
        return None
    best = None
    for el, score in scores.items():
        if score >= share * total and el is not body and (best is None or best in el.iterancestors()):
            best = el
    if best is None:
        return None
    return best


def focus_on_article(tree, share: float = 0.9, min_chars: int = 500, container=None) -> list:
    """Reduce the page to its article's container, in place: the deepest element holding ``share``
    of the page's paragraph text, widened to the headline's container (no focus when that is the
    whole body: the text may be comments, not the article). The container's ancestors stay
    (trafilatura reads their classes), their other children go. Returns the removed elements as (parent, index, element), in document order, to put back;
    [] when the page has too little paragraph text to tell."""
    body = tree.find("body")
    best = container if container is not None else article_container(tree, share, min_chars)
    if best is None:
        return []
    h1 = next(body.iter("h1"), None)
    if h1 is not None and best not in h1.iterancestors():
        holder = next((a for a in best.iterancestors() if any(x is h1 for x in a.iter("h1"))), None)
        if holder is None or holder is body or holder.tag == "html":
            return []  # headline and text far apart: perhaps not the article's text at all
        best = holder
    removed = []
    child = best
    for anc in best.iterancestors():
        for index, other in reversed(list(enumerate(anc))):
            if other is not child and isinstance(other.tag, str) and other.tag not in ("head", "script"):
                anc.remove(other)  # its tail goes with it, and comes back with it
                removed.append((anc, index, other))
        if anc is body:
            break
        child = anc
    removed.reverse()
    return removed


# Class words of an article's text container ("articleBody", "story-content", "entry-text").
_BODY_CLASS_WORD = re.compile(r"body|content|article|text|story|entry", re.I)
_SPLIT_TAGS = frozenset(("div", "section", "article", "main"))
_MAX_SPLIT_PARTS = 30


def join_split_bodies(tree) -> int:
    """Put an article body split into several same-classed containers (the page cuts it for ads
    or teasers: three <div class="body articleBody">) back into the first, in place, so that a
    reading that takes the first body element takes all of it. Only disjoint containers of the
    same tag and text-container class words, each with a paragraph of 80+ characters; returns
    how many were joined."""
    body = tree.find("body")
    if body is None:
        return 0
    groups: dict = {}
    for el in body.iter(*_SPLIT_TAGS):
        cls = el.get("class")
        if not cls or "omment" in cls:
            continue
        words = frozenset(w for w in cls.split() if _BODY_CLASS_WORD.search(w))
        if words:
            groups.setdefault((el.tag, words), []).append(el)
    joined = 0
    for parts in groups.values():
        if not 2 <= len(parts) <= _MAX_SPLIT_PARTS:
            continue
        if not all(any(len(p.text_content()) >= 80 for p in el.iterchildren("p")) for el in parts):
            continue
        if any(other in el.iterancestors() for el in parts for other in parts):
            continue    # nested, not split
        first = parts[0]
        for el in parts[1:]:
            for child in list(el):
                first.append(child)     # (each child's tail goes with it)
            joined += 1
    return joined


def joined_parts_blocks(tree, url: str | None = None) -> list[Block]:
    """A second reading for a page whose article body is split into same-classed parts
    (`join_split_bodies`): trafilatura's reading with the parts joined; [] when nothing is split."""
    work = copy.deepcopy(tree)
    drop_non_content(work)
    if not join_split_bodies(work):
        return []
    return trafilatura_blocks(work, url, fast=True)


# Elements trafilatura deletes before extracting anyway (its MANUALLY_CLEANED, also left out of
# its page-length measure) and that never hold article text (unlike <aside>, which some sites
# wrap the article in): deleting them first makes its XPath passes and copies cheaper.
# JSON-LD scripts stay (trafilatura reads them to recognise forum threads and as a fallback).
_NON_CONTENT = ("script", "style", "svg", "template", "noscript", "iframe", "link", "meta")


def drop_non_content(tree) -> None:
    for el in list(tree.iter(_NON_CONTENT)):
        if el.getparent() is not None and not (el.tag == "script" and el.get("type") == "application/ld+json"):
            el.drop_tree()


# Class / id words of boxes inside or next to an article that are not its text, as whole words
# ("promo" but not "promoted", a slug in an id).
_BOX = re.compile(r"(?<![a-z])(?:fact-?box|info-?box|polls?|newsletters?|related|recommend(?:ed|ations?)?|outbrain|"
                  r"taboola|sharing|share-?bar|share-?buttons|social|promos?|subscribe|comments|disqus|bullet-points|"
                  r"read-?also|further-reading|more-articles|most-read|trending)(?![a-z])")
_BOX_KEEP = frozenset(("html", "body", "main", "article", "h1"))


def _box_candidates(tree, captions: set | None = None) -> list:
    """Elements whose class or id words name a box (:data:`_BOX`), in document order;
    ``captions`` (a set) receives the page's caption texts from the same walk
    (`boilerplate.add_captions`)."""
    candidates = []
    verdicts: dict[str, bool] = {}  # class and id strings repeat on a page: each searched once
    # (a loop in Python: cheaper than an XPath for elements with class or id; comments skipped in C)
    for el in tree.iter(lxml.etree.Element):
        cls, id_ = el.get("class"), el.get("id")
        tag = el.tag
        if captions is not None and (tag in CAPTION_TAGS or cls and ("aption" in cls or "redit" in cls)):
            add_captions(captions, el, tag, cls)
        if not (cls or id_) or tag in _BOX_KEEP:
            continue
        key = cls if id_ is None else f"{cls or ''} {id_}"  # (the words, however joined)
        boxed_words = verdicts.get(key)
        if boxed_words is None:
            boxed_words = verdicts[key] = _BOX.search(key.lower()) is not None
        if boxed_words:
            candidates.append(el)
    return candidates


def prune_boxes(tree, boxed: list | None = None, candidates: list | None = None) -> int:
    """Delete boxes that are not article text (fact boxes, polls, related links, newsletter and
    subscription prompts, share bars, comments), recognised by their class or id words, unless
    the element holds the headline or most of the page's paragraph text. Returns the count;
    ``boxed`` (a list) receives the removed boxes' texts. ``candidates``: from
    :func:`_box_candidates` on this tree (elements since removed from it are skipped)."""
    if candidates is None:
        candidates = _box_candidates(tree)
    if not candidates:
        return 0
    total = sum(len(p.text_content()) for p in tree.iter("p"))
    removed = 0
    for el in candidates:
        parent = el.getparent()
        if parent is None or any(True for _ in el.iter("h1")):
            continue
        own = sum(len(p.text_content()) for p in el.iter("p"))
        if own > 0.3 * total:
            # Too long for a box, unless it is an insert beside the article's own paragraphs (a
            # fact box holding a full transcript): at most 60% of the text, the rest beside it.
            beside = sum(len(p.text_content()) for p in parent.iter("p")) - own
            if own > 0.6 * total or beside < 0.3 * total:
                continue
        ancestor = parent
        while ancestor is not None and ancestor.getparent() is not None:
            ancestor = ancestor.getparent()
        if ancestor is not tree and ancestor is not tree.getroottree().getroot():
            continue  # inside a box removed already
        if boxed is not None:
            boxed.append(el.text_content())
        el.drop_tree()
        removed += 1
    return removed


_LINK_BAR_PARENTS = 3   # how far up from a link a link bar is looked for


_NOT_ALNUM = re.compile(r"[\W_]+")


def _alnum_count(text: str) -> int:
    return len(_NOT_ALNUM.sub("", text))


def drop_link_bars(tree, min_links: int = 3, share: float = 0.8, max_words_per_link: float = 4.0) -> int:
    """Delete blocks made of short links: menus, tag clouds and "a | b | c" link bars, inside or
    beside the article's container (a municipal page's menus taken as its text). An element with at
    least ``min_links`` links whose text is at least ``share`` link text, the links of at most
    ``max_words_per_link`` words on average; a list of longer links (product or headline lists)
    and prose with links stay, as does a sentence that is mostly links (it ends like one). Never an
    element holding the headline. Returns the count."""
    # One pass over the links: per ancestor (up to _LINK_BAR_PARENTS up), its links, their words
    # and their letters and digits.
    sums: dict = {}
    for a in tree.iter("a"):
        text = a.text_content()
        chars, words = _alnum_count(text), len(text.split())
        for depth, anc in enumerate(a.iterancestors()):
            if depth >= _LINK_BAR_PARENTS or anc.tag in ("body", "html"):
                break
            s = sums.get(anc)
            if s is None:
                sums[anc] = [1, words, chars]
            else:
                s[0] += 1
                s[1] += words
                s[2] += chars
    removed = 0
    gone: set = set()
    # Outer elements first: an inner one is not looked at when its container went.
    candidates = [(el, linked) for el, (n, words, linked) in sums.items()
                  if n >= min_links and words <= max_words_per_link * n and linked and el.tag != "a"]
    candidates.sort(key=lambda c: sum(1 for _ in c[0].iterancestors()))
    for el, linked in candidates:
        if gone and any(x in gone for x in el.iterancestors()):
            continue
        # The element's letters and digits (separators such as " | " not counted), read only
        # until they show the links are too small a share (a large container stops early).
        limit, chars = linked / share, 0
        for piece in el.itertext():
            chars += _alnum_count(piece)
            if chars > limit:
                break
        if chars > limit or any(True for _ in el.iter("h1")):
            continue
        if el.text_content().rstrip().endswith((".", "!", "?", "。")):
            continue    # a sentence of links ("With Tom Hanks, Meg Ryan, Bill Pullman."), not a menu
        gone.add(el)
        el.drop_tree()
        removed += 1
    return removed


def _long_paragraphs(tree, min_chars: int = 80) -> list[str]:
    """The page's long <p> texts, normalised: a sample (bounded so huge pages stay linear). A
    paragraph that is mostly link text (a link bar, a teaser) is not one."""
    out, total = [], 0
    for checked, p in enumerate(tree.iter("p")):
        if checked >= 200 or total >= 50_000:
            break
        raw = p.text_content()
        if len(raw) < min_chars:
            continue
        text = normalize_for_compare(raw)
        if len(text) >= min_chars and sum(len(a.text_content()) for a in p.iter("a")) < 0.5 * len(raw):
            out.append(text)
            total += len(text)
    return out


def text_share(blocks, long_paragraphs: list[str], min_chars: int = 400) -> float | None:
    """Share of the page's long paragraphs (by characters) found in ``blocks``; None when they
    hold fewer than ``min_chars`` characters."""
    total = sum(len(t) for t in long_paragraphs)
    if total < min_chars:
        return None
    found = normalize_for_compare(" ".join(blocks))
    return sum(len(t) for t in long_paragraphs if t in found) / total


def under_extracted(blocks: list[Block], long_paragraphs: list[str]) -> bool:
    """Whether the page's long paragraphs (:func:`_long_paragraphs`) are mostly missing from
    ``blocks``: the quick extraction stopped early (an ad or widget split the article) or picked
    a navigation dump."""
    found = normalize_for_compare(" ".join(blocks))
    total = sum(len(t) for t in long_paragraphs)
    missing = sum(len(t) for t in long_paragraphs if t not in found)
    return total >= 400 and missing > 0.5 * total


def trafilatura_paragraphs(document, url: str | None = None, *, favor_recall: bool = False) -> list[str]:
    """Main text as paragraphs (intertitles are paragraphs of their own); [] when none found."""
    return [str(b) for b in trafilatura_blocks(document, url, favor_recall=favor_recall)]


def jsonld_paragraphs(value) -> list[str]:
    """``articleBody`` as paragraphs; it may hold HTML, escaped entities or plain newlines."""
    if isinstance(value, list):
        value = "\n".join(v for v in value if isinstance(v, str))
    if not isinstance(value, str) or not value.strip():
        return []
    if "<" in value and _TAG.search(value):
        value = _BREAKS.sub("\n", value)
        try:
            value = lxml.html.fromstring(f"<div>{value}</div>").text_content()
        except Exception:
            value = _TAG.sub(" ", value)
    return [p for p in (clean_text(line) for line in value.split("\n")) if p]


def shingles(text_tokens: list[str], n: int = 4) -> Counter:
    if len(text_tokens) < n:
        return Counter([tuple(text_tokens)]) if text_tokens else Counter()
    return Counter(tuple(text_tokens[i:i + n]) for i in range(len(text_tokens) - n + 1))


def _overlap(part: list[str], whole: set) -> float:
    sh = shingles(part)
    total = sum(sh.values())
    return sum(c for s, c in sh.items() if s in whole) / total if total else 0.0


def _is_list_item(paragraph: str) -> bool:
    return paragraph[:2] in ("- ", "• ", "* ")


def _confirmed(main: list[str], structured: list[str], s_set: set) -> list[str]:
    """The paragraphs of ``main`` the publisher's text confirms, with the intertitles between them
    and a lede just before the first (the publisher's text often omits both)."""
    joined = " ".join(structured)
    matched = [len(tokens(p)) < 4 and p in joined or _overlap(tokens(p), s_set) >= 0.5 for p in main]
    if not any(matched):
        return []
    first = matched.index(True)
    last = len(matched) - 1 - matched[::-1].index(True)
    kept = []
    for i, p in enumerate(main):
        if matched[i]:
            kept.append(p)
        elif first < i < last and len(tokens(p)) <= 20 and not _is_list_item(p):
            kept.append(p)  # an intertitle
        elif i < first and i <= 1 and len(tokens(p)) >= 10 and not _is_list_item(p):
            kept.append(p)  # the lede
    return kept


def combine(main: list[str], structured: list[str]) -> tuple[list[str], str]:
    """Pick or merge the two bodies; returns (paragraphs, method)."""
    if not structured:
        return main, "main_text"
    s_tokens = [t for p in structured for t in tokens(p)]
    if len(s_tokens) < 30:
        return (main, "main_text") if main else (structured, "jsonld")
    if not main:
        return structured, "jsonld"
    m_tokens = [t for p in main for t in tokens(p)]
    s_set = set(shingles(s_tokens))
    m_set = set(shingles(m_tokens))
    # How much of the publisher's text trafilatura found, and how much of trafilatura's is confirmed.
    recall = len(s_set & m_set) / len(s_set) if s_set else 0.0
    precision = len(s_set & m_set) / len(m_set) if m_set else 0.0
    if recall >= 0.85:
        if precision < 0.98 and len(s_tokens) >= 0.6 * len(m_tokens):
            # Drop trafilatura paragraphs the publisher's text does not contain (boxes, captions, ...).
            kept = _confirmed(main, structured, s_set)
            if kept:
                return kept, "main_text+jsonld"
        return main, "main_text"
    if recall < 0.6 and len(s_tokens) > 1.2 * len(m_tokens):
        # trafilatura missed most of the article: the publisher's text is the better body.
        if len(structured) == 1 and len(main) > 1:
            return structured, "jsonld"
        return structured, "jsonld"
    return main, "main_text"


def _is_headline_variant(block: str, heads: set[str], head_words: set[str]) -> bool:
    """The headline repeated at the top, possibly with a kicker or the site's name."""
    norm = normalize_for_compare(block)
    if norm in heads or any(h and h in norm and len(norm) - len(h) <= 60 for h in heads):
        return True
    words = _word_set(block)
    return len(tokens(block)) <= 30 and len(words) >= 3 and len(words & head_words) >= 0.75 * len(words)


def _is_label(block: str) -> bool:
    """A kicker or section label: a few words, not a sentence ("Politics", "Exclusive interview")."""
    return len(tokens(block)) <= 4 and not block.rstrip().endswith((".", "!", "?", ":", "。"))


def clean_blocks(blocks: list[Block], tree=None, titles=(), summary: str | None = None) -> list[Block]:
    """Drop blocks that are not article text: the headline repeated at the top (with the labels
    above it), captions of the
    page's images, and short prompt / credit / byline / consent lines. A caption equal to the
    page's summary is the standfirst reused as image text, and stays."""
    captions = caption_texts(tree) if tree is not None else frozenset()
    links = None
    nsummary = normalize_for_compare(summary)
    if nsummary in captions:
        captions = captions - {nsummary}
    heads = {normalize_for_compare(t) for t in titles if t}
    out = []
    head_words = set().union(*(_word_set(h) for h in heads)) if heads else set()
    for i, b in enumerate(blocks):
        if i < 5 and all(_is_label(x) for x in out) and _is_headline_variant(b, heads, head_words):
            out.clear()     # the headline, and the kicker or section labels above it
            continue
        if is_member_prompt(b):
            if sum(len(tokens(x)) for x in out) >= 40:
                break   # the paywall's prompt after the free part: what follows is promotion
            continue
        if is_boilerplate_line(b):
            continue
        if tree is not None and b.kind != "head" and len(b) < 300:
            if links is None:
                links = link_texts(tree)
            if is_link_line(b, links):
                continue
        if is_caption(b, captions) and not (nsummary and nsummary.startswith(normalize_for_compare(b))):
            continue
        out.append(b)
    return trim_tail(out)


_SCRIPT_HTML = re.compile(
    r'"(?:contentHtml|content_html|bodyHtml|body_html|articleBody|article_body|htmlContent|html_content|'
    r'content|body|html|text)"\s*:\s*"((?:[^"\\]|\\.){400,})"')
_SCRIPT_SUBTITLE = re.compile(r'"(?:subTitle|subtitle|sub_title|standfirst|subheadline|subHeadline)"\s*:\s*"((?:[^"\\]|\\.){10,600})"')
_PLACEHOLDER = re.compile(r"\$\$[A-Z0-9_]+\$\$|\{\{[^{}]{1,40}\}\}")
_CAPTION_CLASS = re.compile(r"caption|credit|figcaption|\bad\b|advert", re.I)


def _html_fragment_paragraphs(value: str) -> list[str]:
    """Paragraphs of an HTML fragment (captions and figures left out)."""
    try:
        root = lxml.html.fragment_fromstring(value, create_parent="div")
    except Exception:
        return jsonld_paragraphs(value)
    for el in list(root.iter("figure", "figcaption", "script", "style", "aside")):
        if el.getparent() is not None:
            el.drop_tree()
    for el in list(root.iter()):
        if isinstance(el.tag, str) and _CAPTION_CLASS.search(el.get("class") or "") and el.getparent() is not None:
            el.drop_tree()
    return jsonld_paragraphs(lxml.html.tostring(root, encoding="unicode"))


def script_body_paragraphs(tree) -> list[str]:
    """The article as embedded in a script's JSON state (pages rendered in the browser, e.g. Next.js
    hydration data): the longest HTML-bearing string value, with a subtitle found next to it."""
    best, best_len, best_script = None, 0, None
    for script in tree.iter("script"):
        text = script.text or ""
        if len(text) < 500 or "ld+json" in (script.get("type") or ""):
            continue
        for m in _SCRIPT_HTML.finditer(text):
            raw = m.group(1)
            if raw.count("<p") + raw.count("\\u003cp") < 2 or len(raw) <= best_len:
                continue
            best, best_len, best_script = raw, len(raw), text
    if best is None:
        return []
    try:
        value = json.loads(f'"{best}"')
    except ValueError:
        return []
    value = _PLACEHOLDER.sub("", value)
    paragraphs = _html_fragment_paragraphs(value)
    sub = _SCRIPT_SUBTITLE.search(best_script)
    if sub:
        try:
            paragraphs = jsonld_paragraphs(json.loads(f'"{sub.group(1)}"')) + paragraphs
        except ValueError:
            pass
    return paragraphs


_BLOCK_TAGS = frozenset(("p", "div", "section", "article", "header", "ul", "ol", "li", "figure", "table", "h1", "h2",
                         "h3", "h4", "h5", "h6", "blockquote", "aside", "nav", "footer", "form", "dl"))
_SKIP_TAGS = frozenset(("figure", "figcaption", "aside", "nav", "footer", "form", "button", "label", "time", "address",
                        "script", "style", "noscript", "template", "svg", "picture", "ul", "ol", "a", "select"))


def _following(el, limit: int):
    """Elements after ``el`` in document order (its own subtree left out), at most ``limit``."""
    count = 0
    node = el
    while node is not None:
        for sibling in node.itersiblings():
            stack = [sibling]
            while stack:
                current = stack.pop()
                if not isinstance(current.tag, str):
                    continue
                yield current
                count += 1
                if count >= limit:
                    return
                if current.tag not in _SKIP_TAGS:
                    stack.extend(reversed(current))
        node = node.getparent()


_NOT_STANDFIRST_CHILD = frozenset(("script", "style", "noscript", "template", "svg", "button", "img", "picture",
                                   "input", "select", "iframe", "time"))
_CLOCK = re.compile(r"\b\d{1,2}[:.]\d{2}\b|\b(?:19|20)\d{2}[/.-]\d{1,2}\b")


def _word_set(text: str) -> set[str]:
    return {t for t in tokens(text) if len(t) >= 4 or not t.isascii()}


def header_standfirst(tree, first_paragraphs: list[str], titles=(), captions=frozenset(),
                      limit: int = 250) -> str | None:
    """The standfirst shown between the headline (<h1>) and the article's first paragraph: the
    first sentence-like text block there that is not a headline variant, byline, date line,
    caption, prompt or widget, and shares words with the headline or body. None when the
    first such block is the first paragraph."""
    h1 = next((el for el in tree.iter("h1") if el.text_content().strip()), None)
    if h1 is None or not first_paragraphs:
        return None
    start = normalize_for_compare(first_paragraphs[0])[:60]
    heads = [normalize_for_compare(t) for t in titles if t]
    head_words = set().union(*(_word_set(t) for t in heads)) if heads else set()
    context = head_words | _word_set(" ".join(first_paragraphs[:3]))
    for el in _following(h1, limit):
        if el.tag in _SKIP_TAGS:
            continue
        if el.tag == "h1":
            return None
        if any(isinstance(ch.tag, str) and (ch.tag in _BLOCK_TAGS or ch.tag in _NOT_STANDFIRST_CHILD) for ch in el):
            continue  # a container (its blocks come next) or a widget
        text = clean_text(el.text_content())
        norm = normalize_for_compare(text)
        if not norm:
            continue
        if norm.startswith(start) or start.startswith(norm[:60]):
            return None  # reached the body
        words = tokens(text)
        if len(words) < 8 or len(text) > 700 or "{" in text or text.endswith(":"):
            continue
        if is_boilerplate_line(text) or is_member_prompt(text) or is_caption(text, captions) or \
                _CLOCK.search(text) or is_byline_like(text):
            continue
        if any(h in norm or norm in h for h in heads):
            continue
        own = _word_set(text)
        if own and len(own & head_words) >= 0.5 * len(own):
            continue  # the headline again, with a kicker
        if len(own & context) < 2:
            continue  # unrelated to the article: a promotion
        linked = sum(len(a.text_content()) for a in el.iter("a"))
        if linked > 0.3 * len(text):
            continue
        return text
    return None


_CONTAINER_BLOCKS = frozenset(("p", "h2", "h3", "h4", "h5", "h6", "li", "blockquote", "pre", "tr"))
_CONTAINER_SKIP = frozenset(("figure", "figcaption", "aside", "nav", "form", "button", "script", "style", "footer"))


def container_blocks(container, limit: int = 5_000) -> list[Block]:
    """The text blocks of an article container in document order (paragraphs, intertitles, list
    items, table rows; figures, asides and navigation left out): a reading independent of
    trafilatura's, for when its reading stopped early."""
    if container is None:
        return []
    out: list[Block] = []
    walk = lxml.etree.iterwalk(container, events=("start",))
    for _, el in walk:
        tag = el.tag
        if not isinstance(tag, str):
            continue
        if tag in _CONTAINER_SKIP:
            walk.skip_subtree()
        elif tag in _CONTAINER_BLOCKS:
            walk.skip_subtree()
            if tag == "tr":
                text = " | ".join(t for t in (clean_text(c.text_content()) for c in el) if t)
            else:
                text = clean_text(el.text_content())
            if text:
                out.append(Block(text, "head" if tag[0] == "h" else "item" if tag == "li" else "p"))
                if len(out) >= limit:
                    break
    return out


# ---- self-checks: how far a body can be trusted ---------------------------------------------------

def agreement(paragraphs: list[str], structured: list[str]) -> tuple[float, float] | None:
    """(share of ``structured``'s 4-token shingles found in ``paragraphs``, share of the paragraphs'
    shingles found in ``structured``); None when ``structured`` is too short (< 30 words) to tell."""
    s_tokens = [t for p in structured for t in tokens(p)]
    if len(s_tokens) < 30:
        return None
    s_set = set(shingles(s_tokens))
    b_set = set(shingles([t for p in paragraphs for t in tokens(p)]))
    if not s_set or not b_set:
        return 0.0, 0.0
    common = len(s_set & b_set)
    return common / len(s_set), common / len(b_set)


def link_text_set(tree) -> frozenset[str]:
    """Normalised texts of the page's links (:func:`~newscrawl.extract.boilerplate.page_links`)."""
    return page_links(tree)[0]


def link_share(paragraphs: list[str], links: frozenset[str]) -> float:
    """Share of the body's characters in paragraphs that are exactly a link's text (menu items,
    teaser headlines)."""
    total = sum(len(p) for p in paragraphs)
    if not total or not links:
        return 0.0
    linked = sum(len(p) for p in paragraphs if len(p) <= 300 and normalize_for_compare(p) in links)
    return linked / total


@dataclass(frozen=True)
class BodyCheck:
    """What the independent signals say about a body: ``confidence`` 0..1 and ``flags``."""

    confidence: float
    flags: tuple[str, ...]
    score: float            # for comparing readings of one page (higher is better): the F1 of the
                            # agreement with the JSON-LD text, else the text share less the link share
    independent: bool = False   # the score has a precision side (the JSON-LD text)

    @property
    def doubtful(self) -> bool:
        return any(f in _DOUBT for f in self.flags)


_DOUBT = frozenset(("disagreement", "low_text_share", "link_dense"))
LOW_TEXT_SHARE = 0.5     # under this share of the page's long paragraphs, a body is doubtful
LINK_DENSE = 0.3         # over this share of link text, a body is doubtful


def check_body(paragraphs: list[str], method: str, structured: list[str], share: float | None,
               links: frozenset[str]) -> BodyCheck:
    """The self-checks of a body: agreement with the page's JSON-LD articleBody, its share of the
    page's long paragraphs (``share``, from :class:`MainText`), and its share of link text."""
    flags: list[str] = []
    confidence = 0.9
    agree = agreement(paragraphs, structured)
    if agree is not None:
        found, confirmed = agree
        if "jsonld" in method and method != "jsonld":
            confidence = 1.0         # two independent readings agree
        elif method == "jsonld":
            confidence = 0.85        # the publisher's text, the main text missed it
        elif found >= 0.85:
            confidence = 1.0
        elif found < 0.6:
            flags.append("disagreement")
            confidence *= 0.6
        score = 2 * found * confirmed / (found + confirmed) if found + confirmed else 0.0
    else:
        score = share if share is not None else 0.5
    if share is not None and share < LOW_TEXT_SHARE and method != "jsonld":
        flags.append("low_text_share")
        confidence *= 0.5 + share
    linked = link_share(paragraphs, links)
    if linked > LINK_DENSE:
        flags.append("link_dense")
        confidence *= 1 - linked
    score -= linked
    words = sum(len(tokens(p)) for p in paragraphs)
    if words < 50:
        flags.append("short")
        confidence *= 0.8
    return BodyCheck(round(max(0.0, min(1.0, confidence)), 2), tuple(flags), score, agree is not None)
