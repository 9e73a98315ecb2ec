"""Field registration for page objects (after Fundus's ``@attribute`` and web-poet's ``@field``).

A page method decorated with ``@field("name", finish=...)`` is the rule for one Article field:
``ArticlePage.to_item`` assembles the item by a loop over the registered fields, each method's
value passed once through its field's finisher (plain text, caps). A layout overrides a field by
defining the method again; the registration is by method name, so the override keeps the base's
finisher whether or not it repeats the decorator.
"""

from dataclasses import dataclass
from typing import Any, Callable

from newscrawl.extract.text import cap_text, clean_text, join_paragraphs, strip_markup
from newscrawl.items import Article

Finisher = Callable[[Any], Any]


@dataclass(frozen=True)
class Field:
    name: str                      # the Article field
    method: str                    # the page method that reads it
    finish: Finisher | None = None


def field(name: str, *, finish: Finisher | None = None):
    """Method decorator: the method reads Article field `name`; `finish` cleans and caps its value."""
    def register(func):
        func.page_field = Field(name, func.__name__, finish)
        return func
    return register


_ORDER = {name: i for i, name in enumerate(Article.fields)}
_BY_CLASS: dict[type, tuple[Field, ...]] = {}


def fields_of(cls: type) -> tuple[Field, ...]:
    """The fields a page class reads, in the Article's field order (a subclass's declaration of a
    field replaces its base's)."""
    found = _BY_CLASS.get(cls)
    if found is None:
        by_name: dict[str, Field] = {}
        for klass in reversed(cls.__mro__):
            for value in vars(klass).values():
                spec = getattr(value, "page_field", None)
                if isinstance(spec, Field):
                    by_name[spec.name] = spec
        found = _BY_CLASS[cls] = tuple(sorted(by_name.values(), key=lambda f: _ORDER.get(f.name, len(_ORDER))))
    return found


# ---- finishers: whatever a layout's method returned, the item gets plain, capped text ----------

def plain_text(cap: int) -> Finisher:
    """A text field as plain text, cut at `cap` characters; None when nothing is left."""
    return lambda value: cap_text(clean_text(value), cap) or None


def plain_list(count: int, chars: int) -> Finisher:
    """A list field as plain text (`clean_text`), each entry capped at `chars`, empties and repeats
    dropped, at most `count` entries."""
    def finish(values) -> list[str]:
        values = values if isinstance(values, list) else []
        return dedupe(cap_text(clean_text(v if isinstance(v, str) else None), chars)
                      for v in values[:count * 4])[:count]
    return finish


def plain_body(body: str) -> str:
    """The body as plain text: paragraphs that still hold markup (a layout's own selector, an
    articleBody fragment) are cleaned like every text field; the rest are left as they are."""
    if "<" not in body and "=" not in body:
        return body
    paragraphs = body.split("\n\n")
    for i, paragraph in enumerate(paragraphs):
        text = strip_markup(paragraph)
        if text is not paragraph:
            paragraphs[i] = " ".join(text.split())
    return join_paragraphs(paragraphs)


def dedupe(values) -> list[str]:
    """Non-empty values, the first of each case-insensitive repeat kept, in order."""
    seen, out = set(), []
    for v in values:
        key = v.casefold() if v else ""
        if key and key not in seen:
            seen.add(key)
            out.append(v)
    return out
