"""Article body: trafilatura's main-text extraction combined with the JSON-LD ``articleBody``.

trafilatura finds paragraph structure and intertitles but sometimes keeps boxes or misses parts;
``articleBody`` is the publisher's own text but often lacks paragraph breaks or is truncated.
:func:`combine` keeps trafilatura's paragraphs where the publisher's text confirms them, drops those
it contradicts, and takes the publisher's text where trafilatura missed most of it.
"""

import logging
import re
from collections import Counter

import lxml.html
import trafilatura

from .text import clean_text, tokens

logger = logging.getLogger(__name__)

_TAG = re.compile(r"<[^>]{0,2000}>")
_BREAKS = re.compile(r"(?i)<\s*(?:br|/p|/h[1-6]|/li|/div|/blockquote)\s*/?>")


def trafilatura_paragraphs(document, url: str | None = None, *, favor_recall: bool = False) -> list[str]:
    """Main text as paragraphs (intertitles are paragraphs of their own); [] when none found."""
    try:
        text = trafilatura.extract(
            document, url=url, output_format="txt", include_comments=False, include_tables=False,
            include_images=False, include_links=False, with_metadata=False, deduplicate=False,
            favor_recall=favor_recall,
        )
    except Exception:  # trafilatura raises assorted errors on broken documents
        logger.debug("trafilatura failed on %s", url, exc_info=True)
        return []
    if not text:
        return []
    return [p for p in (clean_text(line) for line in text.split("\n")) if p]


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
        if precision < 0.98:
            # Drop trafilatura paragraphs the publisher's text does not contain (boxes, captions, ...).
            kept = [p for p in main if len(tokens(p)) < 4 and p in " ".join(structured) or _overlap(tokens(p), s_set) >= 0.5]
            if kept:
                return kept, "main_text+jsonld"
        return main, "main_text"
    if recall < 0.6 and len(s_tokens) > 1.2 * len(m_tokens):
        # trafilatura missed most of the article: the publisher's text is the better body.
        if len(structured) == 1 and len(main) > 1:
            return structured, "jsonld"
        return structured, "jsonld"
    return main, "main_text"
