"""The article's hashes, defined once: `content_hash` (exact copies) and `title_hash` (revisions).

The dedupe pipeline and the store (`newscrawl.article.document.to_document`) both call these, so a
stored hash does not depend on whether the dedupe pipeline ran. Hashes are taken of the text's
comparison form (`extract.text.normalize_for_compare`: NFKC, case-folded, white space collapsed), so
formatting-only changes (spacing, case, compatibility characters) do not change a hash."""

from __future__ import annotations

import hashlib

from newscrawl.extract.text import normalize_for_compare


def text_hash(text: str | None) -> str | None:
    """Hex SHA-1 of the normalised text; None for empty text (nothing to compare). A lone surrogate
    hashes as its code point (it must not fail here: the store sets such a document aside)."""
    norm = normalize_for_compare(text)
    if not norm:
        return None
    return hashlib.sha1(norm.encode("utf-8", "surrogatepass")).hexdigest()


def content_hash(body: str | None) -> str | None:
    """The article's `content_hash`: `text_hash(body)`."""
    return text_hash(body)


def title_hash(title: str | None) -> str | None:
    """The article's `title_hash`: `text_hash(title)`."""
    return text_hash(title)
