"""The article text (``body``): the generic reading (the main-text blocks, checked against the
JSON-LD articleBody, with the standfirst the page shows above it), or a layout's own selectors.
A body is read as :class:`Body`, its paragraphs with the way they were found."""

from dataclasses import dataclass

from newscrawl.extract.boilerplate import caption_texts, is_caption
from newscrawl.extract.body import clean_blocks, combine, header_standfirst, jsonld_paragraphs, main_text_blocks
from newscrawl.extract.text import clean_text, join_paragraphs, normalize_for_compare, shown_text, tokens

from .fields import field, plain_body

# Body.method of a body read by a layout's own selectors (the generic reading says "main_text",
# "jsonld" or "main_text+jsonld": `extract.body.combine`).
SELECTORS = "selectors"


@dataclass(frozen=True)
class Body:
    paragraphs: list[str]
    method: str = SELECTORS     # how they were found


class BodyText:
    """Mixin of :class:`~newscrawl.pages.base.ArticlePage`: the body and its lede."""

    def standfirst(self) -> str | None:
        """The layout's standfirst (the lede under the headline), read from its own element; the
        generic page has none and finds a shown standfirst by position (`with_standfirst`)."""
        return None

    @field("body", finish=plain_body)
    def body(self) -> str:
        return join_paragraphs(self.body_paragraphs().paragraphs)

    def body_paragraphs(self) -> Body:
        """The generic body: main-text blocks or the JSON-LD articleBody (`combine`), the shown
        standfirst and lede prepended when the text lacks them. Layouts override it."""
        main = self.main_text_paragraphs()
        paragraphs, method = combine(main, jsonld_paragraphs(self.ld.get("articleBody")))
        return Body(self.with_lede(self.with_standfirst(paragraphs)), method)

    def main_text_paragraphs(self) -> list[str]:
        blocks = main_text_blocks(self.tree, self.fetched_url)
        return clean_blocks(blocks, self.tree, self.headline_variants, self.summary())

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
