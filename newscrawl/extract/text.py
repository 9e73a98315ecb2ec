"""Text clean-up: decoding bytes to text, entities, Unicode NFC, mojibake, whitespace, paragraphs."""

import html
import re
import unicodedata

import ftfy
from charset_normalizer import from_bytes
from w3lib.encoding import html_to_unicode

_FTFY = ftfy.TextFixerConfig(unescape_html=False, fix_line_breaks=True, normalization="NFC",
                             explain=False)
_INVISIBLE = re.compile("[\u00ad\u200b\u200c\u200d\u2060\ufeff\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]")
_HSPACE = re.compile(r"[ \t\u00a0\u1680\u2000-\u200a\u202f\u205f\u3000]+")
_BLANKS = re.compile(r"\n\s*\n+")
# Signs that a page declared one charset and used another: UTF-8 read as Latin-1 / cp1252.
_MOJIBAKE = re.compile("[\u00c2\u00c3][\u0080-\u00bf]|\u00e2\u20ac")


def decode_html(body: bytes, content_type: str | None = None) -> tuple[str, str]:
    """Decode an HTML document; returns (text, encoding).

    Trusts the HTTP header, then BOM and <meta charset> (w3lib's rules, as browsers do), and falls
    back to charset detection on the bytes when the declared charset yields replacement characters
    or UTF-8 mojibake.
    """
    encoding, text = html_to_unicode(content_type, body)
    bad = text.count("\ufffd")
    if bad > 2 or len(_MOJIBAKE.findall(text[:200_000])) > 3:
        try:
            utf8 = body.decode("utf-8")
            return utf8, "utf-8"
        except UnicodeDecodeError:
            pass
        best = from_bytes(body[:500_000]).best()
        if best is not None and best.encoding:
            alt = body.decode(best.encoding, errors="replace")
            if alt.count("\ufffd") < bad:
                return alt, best.encoding
    return text, encoding


def clean_text(value: str | None) -> str:
    """One line of text: entities decoded, mojibake fixed, NFC, invisible characters dropped,
    runs of white space collapsed."""
    if not value:
        return ""
    if "&" in value:
        value = html.unescape(html.unescape(value)) if "&amp;" in value else html.unescape(value)
    if _MOJIBAKE.search(value):
        value = ftfy.fix_text(value, _FTFY)
    value = _INVISIBLE.sub("", value)
    value = unicodedata.normalize("NFC", value)
    return " ".join(value.split())


def clean_paragraph_text(value: str | None) -> str:
    """Multi-paragraph text: each paragraph cleaned, paragraphs separated by one blank line."""
    if not value:
        return ""
    value = value.replace("\r\n", "\n").replace("\r", "\n")
    paras = [clean_text(p) for p in _BLANKS.split(value) for p in p.split("\n")]
    return join_paragraphs(paras)


def join_paragraphs(paragraphs) -> str:
    return "\n\n".join(p for p in paragraphs if p)


def normalize_for_compare(value: str | None) -> str:
    """Loose form for equality tests: NFKC, case-folded, white space collapsed."""
    return " ".join(unicodedata.normalize("NFKC", value or "").casefold().split())


def word_count(value: str) -> int:
    """Words, counting each CJK character as one (scripts without spaces)."""
    return len(tokens(value))


_TOKEN = re.compile(r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]|[^\W_]+", re.UNICODE)


def tokens(value: str) -> list[str]:
    """Word tokens for comparison and shingling: NFKC, lower case, CJK characters one each."""
    return _TOKEN.findall(unicodedata.normalize("NFKC", value).lower())
