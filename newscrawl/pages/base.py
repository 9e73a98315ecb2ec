"""The generic article page object, composed by concern:

====================  ================================================================================
``document.py``       parsing and document access: ``tree``, ``data`` (JSON-LD, meta), ``ld``, ``source``
``naming.py``         ``title``, ``source``, ``source_name``
``dates.py``          ``published_at``, ``published_at_source``, ``modified_at`` (header-date scanning)
``body.py``           ``body`` (generic or a layout's selectors; the ``standfirst`` hook)
``metadata.py``       ``url``, ``fetched_url``, ``summary``, ``authors``, ``image``, ``section``, ``tags``,
                      ``declared_language``, ``is_paywalled``, ``crawled_at``
``validation.py``     what is not an article (:class:`NotAnArticle`)
``declared.py``       a layout's declared selectors: the fast path, and ``layout_miss`` when they fail
``fields.py``         ``@field`` registration and the finishers (plain text, caps)
``selectors.py``      XPath idioms shared with the layouts (``has_class``)
====================  ================================================================================

Each Article field is one method marked ``@field(name, finish=...)``; :meth:`ArticlePage.to_item`
reads them by a loop. A publisher's layout (``newscrawl/publishers/<slug>.py``) subclasses
ArticlePage and overrides only the methods its site needs; a redesign adds a layout (dated)
instead of editing the old one.
"""

from newscrawl.extract.text import encodable_strings
from newscrawl.items import Article

from .body import Body, BodyText
from .dates import Dates, Timestamp
from .declared import DeclaredLayout
from .document import PageDocument
from .fields import fields_of
from .metadata import Metadata
from .naming import Naming
from .validation import NotAnArticle, Validation

__all__ = ["ArticlePage", "Body", "NotAnArticle", "Timestamp"]


class ArticlePage(DeclaredLayout, Naming, BodyText, Dates, Metadata, Validation, PageDocument):
    """Extraction for any article page. Layouts are registered for a source (``@source_page``,
    which gives them the source's declaration as ``source``) and override field methods
    (``title``, ``body_paragraphs``, ``authors``, ``date_candidates`` ...) or hooks (``standfirst``,
    ``applies``)."""

    valid_from = valid_until = None      # layout validity (crawl dates), set by @source_page

    def to_item(self, min_body_words: int | None = None) -> Article:
        """The Article, every spider's items (the warc spider's too) built here. A body shorter than
        `min_body_words` (CJK: characters) is not an article (`too_short`, `paywall_teaser`): the one
        place that rule is applied; spiders pass the crawl's NEWSCRAWL_MIN_BODY_WORDS, direct callers
        get its default from newscrawl/settings.py. Each field's value passes its finisher (plain,
        capped text), whatever a layout's method returned, and every string of the item is made
        encodable (`text.encodable_strings`): one bad field is cleaned or cut, never the cause of a
        lost article or of a failed batch downstream."""
        self.validate_input()
        if min_body_words is None:
            from newscrawl.settings import NEWSCRAWL_MIN_BODY_WORDS as min_body_words
        # A layout with declared selectors reads its body from them when they hold (the fast path:
        # no generic body extraction), else from the generic path with `layout_miss` saying why.
        self.min_body_words = min_body_words
        fields = {spec.name: spec for spec in fields_of(type(self))}

        def read(spec):
            # The title is the one worked out once for the body's cleaning (`chosen_title`).
            value = self.chosen_title if spec.name == "title" else getattr(self, spec.method)()
            return spec.finish(value) if spec.finish else value

        # The title and body first: a page without them is refused before the rest is read.
        title, body = read(fields["title"]), read(fields["body"])
        self.validate_content(title, body, min_body_words)
        item = {name: title if name == "title" else body if name == "body" else read(spec)
                for name, spec in fields.items()}
        return Article(**encodable_strings(item))
