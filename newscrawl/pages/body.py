"""The article text (``body``): the generic reading (the main-text blocks, checked against the
JSON-LD articleBody, with the standfirst the page shows above it), or a layout's own selectors.
A body is read as :class:`Body`, its paragraphs with the way they were found and, on the generic
path, its self-checks (confidence, flags: `extract.body.check_body`); ``body_source`` reports them
(docs/crawling.md, "How the body is found")."""

from dataclasses import dataclass
from functools import cached_property

from newscrawl.extract.boilerplate import caption_texts, is_caption
from newscrawl.extract.body import (BodyCheck, MainText, check_body, clean_blocks, combine, container_blocks,
                                    header_standfirst, joined_parts_blocks, jsonld_paragraphs, link_text_set,
                                    main_text, text_share, trafilatura_blocks)
from newscrawl.extract.text import clean_text, join_paragraphs, normalize_for_compare, shown_text, tokens

from .fields import field, plain_body

# Body.method of a body read by a layout's own selectors (the generic reading says "main_text",
# "jsonld" or "main_text+jsonld": `extract.body.combine`; "trafilatura", "container" (+jsonld) when
# the self-checks took a second reading).
SELECTORS = "selectors"
SECOND_EXTRACTOR = "trafilatura"
CONTAINER = "container"
JOINED_PARTS = "joined_parts"
_MIN_GAIN = 0.1     # how much better (BodyCheck.score) the second reading must be to replace the first


@dataclass(frozen=True)
class Body:
    paragraphs: list[str]
    method: str = SELECTORS     # how they were found
    confidence: float | None = None     # 0..1 (`extract.body.check_body`); None: not checked yet
    flags: tuple[str, ...] = ()


class BodyText:
    """Mixin of :class:`~newscrawl.pages.base.ArticlePage`: the body and its lede."""

    def standfirst(self) -> str | None:
        """The layout's standfirst (the lede under the headline), read from its own element; the
        generic page has none and finds a shown standfirst by position (`with_standfirst`)."""
        return None

    @cached_property
    def found_body(self) -> Body:
        """The body as read once (`body_paragraphs`), for the body and its source."""
        return self.body_paragraphs()

    @field("body", finish=plain_body)
    def body(self) -> str:
        return join_paragraphs(self.found_body.paragraphs)

    @field("body_source")
    def body_source(self) -> dict:
        """How the body was found and how far it can be trusted: `method`, `confidence`, `flags`
        (`layout_miss:<reason>` when a layout's selectors failed), `words`."""
        found = self.found_body
        confidence, flags = found.confidence, list(found.flags)
        if confidence is None:      # a layout's reading: checked against the JSON-LD text only
            check = check_body(found.paragraphs, found.method, self._structured_body, None, frozenset())
            confidence, flags = check.confidence, list(check.flags)
        miss = getattr(self, "layout_miss", None)
        if miss:
            flags.insert(0, f"layout_miss:{str(miss)[:80]}")
        return {"method": found.method, "confidence": confidence, "flags": flags,
                "words": sum(len(tokens(p)) for p in found.paragraphs)}

    @cached_property
    def _structured_body(self) -> list[str]:
        return jsonld_paragraphs(self.ld.get("articleBody"))

    def body_paragraphs(self) -> Body:
        """The generic body: main-text blocks or the JSON-LD articleBody (`combine`), checked
        (`check_body`): when the JSON-LD text, the page's long paragraphs or its links say the
        reading is doubtful, trafilatura's own reading of the whole page is taken if it scores
        clearly better, else the body is flagged. The shown standfirst and lede are prepended
        when the text lacks them. Layouts override it."""
        main = self.main_text_paragraphs()
        pick = self._main_text
        titles, summary = self.headline_variants, self.summary()
        structured = self._structured_body
        if pick.boxed and structured:
            # The articleBody's paragraphs the page shows in a box taken out (a fact box) are not
            # text the main-text reading missed.
            structured = [p for p in structured if len(p) < 40 or normalize_for_compare(p) not in pick.boxed]
        paragraphs, method = combine(main, structured)
        links = link_text_set(self.tree)
        check = check_body(paragraphs, method, structured, pick.text_share, links)
        if method == "jsonld" and main:
            # The main text and the publisher's text disagreed: the latter was taken.
            check = BodyCheck(check.confidence, check.flags + ("jsonld_over_main_text",), check.score,
                              check.independent)
        if check.doubtful:
            # Second readings: trafilatura's own on the whole page (unless the first was that) and,
            # when the JSON-LD text can judge precision, the paragraphs of the element holding most
            # of the page's paragraph text (without it, that reading would always win on text
            # share); the best-scoring one is taken when clearly better than the first.
            candidates = []
            if not pick.whole_page:     # (else trafilatura has read the whole page already)
                candidates.append((SECOND_EXTRACTOR, lambda: trafilatura_blocks(self.tree, self.fetched_url,
                                                                                favor_recall=True, fast=True)))
            if check.independent:
                candidates.append((CONTAINER, lambda: container_blocks(pick.container)))
            # An article body cut into same-classed parts (for ads): the reading that took only the
            # first one gets all of them.
            candidates.append((JOINED_PARTS, lambda: joined_parts_blocks(self.tree, self.fetched_url)))
            best = None
            for name, read in candidates:
                blocks = read()
                if not blocks:
                    continue    # (no reading: the JSON-LD text alone is no second reading)
                second, second_method = combine(clean_blocks(blocks, self.tree, titles, summary), structured)
                if not second:
                    continue
                second_method = second_method.replace("main_text", name)
                other = check_body(second, second_method, structured, text_share(second, pick.long_paragraphs or []),
                                   links)
                if other.score > (best[2].score if best else check.score + _MIN_GAIN):
                    best = (second, second_method, other)
            if best:
                paragraphs, method, other = best
                check = BodyCheck(other.confidence, other.flags + ("second_reading",), other.score, other.independent)
        return Body(self.with_lede(self.with_standfirst(paragraphs)), method, check.confidence, check.flags)

    @cached_property
    def _main_text(self) -> MainText:
        return main_text(self.tree, self.fetched_url)

    def main_text_paragraphs(self) -> list[str]:
        """The main-text blocks (`extract.body.main_text`) without headline, captions, furniture."""
        return clean_blocks(self._main_text.blocks, self.tree, self.headline_variants, self.summary())

    def layout_body(self, paragraphs: list[str]) -> Body:
        """A body a layout read with its own selectors, the summary prepended as its lede when
        the page shows it and the text lacks it (`with_lede`)."""
        return Body(self.with_lede(paragraphs))

    def with_lede(self, paragraphs: list[str]) -> list[str]:
        """Prepend the summary when the page shows it and the body does not start with it."""
        lede = self.summary()
        if not lede or not paragraphs:
            return paragraphs
        nlede = normalize_for_compare(lede)
        if len(tokens(lede)) < 8:
            return paragraphs
        head = normalize_for_compare(" ".join(paragraphs[:3]))
        if nlede[:60] in head or nlede in normalize_for_compare(" ".join(paragraphs)):
            return paragraphs
        if _excerpt_after_furniture(lede, head):
            return paragraphs  # a description cut from the body's opening, with a byline the body dropped
        if nlede not in self.visible_text or is_caption(lede, caption_texts(self.tree)):
            return paragraphs  # not shown, or shown as an image caption rather than a standfirst
        return [lede] + paragraphs

    def with_standfirst(self, paragraphs: list[str]) -> list[str]:
        """Prepend the standfirst shown between the headline and the body when the body lacks it."""
        if not paragraphs:
            return paragraphs
        standfirst = header_standfirst(self.tree, paragraphs, self.headline_variants, caption_texts(self.tree))
        if not standfirst or normalize_for_compare(standfirst)[:60] in normalize_for_compare(" ".join(paragraphs)):
            return paragraphs
        return [standfirst] + paragraphs

    def selected_body(self, elements, lede: str | None = None) -> Body | None:
        """A layout's body: one paragraph per element of its own body selector, its own
        standfirst `lede` first unless the body already starts with it; None when the selector
        finds no text (the caller then falls back to the generic body)."""
        paragraphs = [t for t in (clean_text(shown_text(el)) for el in elements) if t]
        if not paragraphs:
            return None
        if lede and normalize_for_compare(lede)[:60] not in normalize_for_compare(" ".join(paragraphs[:2])):
            paragraphs = [lede] + paragraphs
        return Body(paragraphs)


def _excerpt_after_furniture(lede: str, head: str) -> bool:
    """Whether ``lede`` is the body's opening with a few words before it (a byline or a label the
    body dropped): from one of its first 8 words on, its next 60 characters open ``head``."""
    words = lede.split()
    for k in range(1, min(8, len(words) - 8) + 1):
        rest = normalize_for_compare(" ".join(words[k:]))[:60]
        if len(rest) >= 40 and head.startswith(rest):
            return True
    return False
