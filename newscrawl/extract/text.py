"""Text clean-up: decoding bytes to text, entities, Unicode NFC, mojibake, whitespace, paragraphs."""

import functools
import html
import re
import unicodedata

import ftfy
from charset_normalizer import from_bytes
from w3lib.encoding import html_body_declared_encoding, html_to_unicode, http_content_type_encoding, read_bom

# Mojibake repair only: quotes, ligatures and character widths stay as the page wrote them (they
# must not change just because a field also contained mojibake).
_FTFY = ftfy.TextFixerConfig(unescape_html=False, fix_line_breaks=True, normalization="NFC", explain=False,
                             uncurl_quotes=False, fix_latin_ligatures=False, fix_character_width=False)
# Soft hyphen, zero-width space, word joiner, BOM, control characters. ZWNJ/ZWJ stay: Persian and
# Indic scripts need them.
_INVISIBLE = re.compile("[\u00ad\u200b\u2060\ufeff\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]")
_HSPACE = re.compile(r"[ \t\u00a0\u1680\u2000-\u200a\u202f\u205f\u3000]+")
_BLANKS = re.compile(r"\n\s*\n+")
# Signs that a page declared one charset and used another: UTF-8 read as Latin-1 / cp1252.
_MOJIBAKE = re.compile("[\u00c2\u00c3][\u0080-\u00bf]|\u00e2\u20ac")
# C0 controls other than tab, line feed, form feed and carriage return: never text, and lxml
# refuses or mangles documents that contain them.
_NON_ASCII = re.compile("[^\u0000-\u007f\ufffd]")
_CONTROL = re.compile("[\u0000-\u0008\u000b\u000e-\u001f]")


def _detect_encoding(body: bytes) -> str | None:
    """Encoding of undeclared bytes: UTF-8 when they are mostly valid UTF-8, else charset
    detection, preferring windows-1252 (the web's default for undeclared pages) among equally clean
    candidates: a few accented letters cannot tell cp1252 from cp775 or cp1250 apart."""
    utf8 = body.decode("utf-8", errors="replace")
    bad = utf8.count("\ufffd")
    if not bad or len(_NON_ASCII.findall(utf8)) > bad:  # a stray bad byte in a UTF-8 page
        return "utf-8"
    results = from_bytes(body[:500_000])
    best = results.best()
    if best is None:
        return None
    if any(m.chaos <= best.chaos and "cp1252" in m.could_be_from_charset for m in results):
        return "cp1252"
    return best.encoding


_CONTROL_BYTES = bytes(range(0x00, 0x09)) + b"\x0b" + bytes(range(0x0e, 0x20))


@functools.lru_cache(maxsize=64)
def ascii_compatible(encoding: str) -> bool:
    """Whether bytes below 0x80 are ASCII in this encoding (not UTF-16/32 or EBCDIC)."""
    try:
        return "<a1\n".encode(encoding) == b"<a1\n"
    except (LookupError, UnicodeError):
        return False


def _may_be_mojibake(text: str) -> bool:
    """Cheap test before the regex: the lead characters of UTF-8 read as Latin-1 / cp1252."""
    return "\u00c2" in text or "\u00c3" in text or "\u00e2\u20ac" in text


def decode_html(body: bytes, content_type: str | None = None) -> tuple[str, str]:
    """Decode an HTML document, control characters removed; returns (text, encoding).

    Trusts the HTTP header, then BOM and <meta charset> (w3lib's rules, as browsers do); undeclared
    bytes are UTF-8 when valid, else detected. Falls back to detection when the declared charset
    yields replacement characters or UTF-8 mojibake.
    """
    text, encoding = _decode(body, content_type)
    # Scanning the bytes is ~10x faster than the regex over the text; in an ASCII-compatible
    # encoding control characters can only come from control bytes.
    if ascii_compatible(encoding) and len(body.translate(None, _CONTROL_BYTES)) == len(body):
        return text, encoding
    return _CONTROL.sub("", text), encoding


def utf8_source(body: bytes, content_type: str | None = None) -> bytes | None:
    """``body`` itself when :func:`decode_html` would decode it as UTF-8 with nothing changed (no
    BOM, valid UTF-8, no control characters), else None. The parser then reads the bytes: lxml turns
    a str back into UTF-8 for libxml2, and the decode's checks cost as much again (most of the web
    is UTF-8). A page with an XML declaration in its first bytes takes the str path, which drops it."""
    if read_bom(body)[0] is not None or b"<?xml" in body[:256]:
        return None
    # The encoding html_to_unicode picks: the header's, else the page's declaration, else
    # detection, which says UTF-8 for valid UTF-8 (checked below).
    encoding = http_content_type_encoding(content_type) or html_body_declared_encoding(body)
    if encoding not in (None, "utf-8") or len(body.translate(None, _CONTROL_BYTES)) != len(body):
        return None
    try:
        body.decode("utf-8")
    except UnicodeDecodeError:
        return None
    return body


def _decode(body: bytes, content_type: str | None) -> tuple[str, str]:
    encoding, text = html_to_unicode(content_type, body, auto_detect_fun=_detect_encoding)
    bad = text.count("\ufffd")
    if bad > 2 or (_may_be_mojibake(text) and len(_MOJIBAKE.findall(text, 0, 200_000)) > 3):
        try:
            utf8 = body.decode("utf-8")
            return utf8, "utf-8"
        except UnicodeDecodeError:
            pass
        alt_encoding = _detect_encoding(body)
        if alt_encoding:
            alt = body.decode(alt_encoding, errors="replace")
            if alt.count("\ufffd") < bad:
                return alt, alt_encoding
    return text, encoding


def clean_text(value: str | None) -> str:
    """One line of text: entities decoded, mojibake fixed, NFC, invisible characters dropped,
    runs of white space collapsed."""
    if not value:
        return ""
    if "&" in value:
        value = html.unescape(html.unescape(value)) if "&amp;" in value else html.unescape(value)
    if _may_be_mojibake(value) and _MOJIBAKE.search(value):
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


@functools.lru_cache(maxsize=1024)
def tokens(value: str) -> tuple[str, ...]:
    """Word tokens for comparison and shingling: NFKC, lower case, CJK characters one each.

    Memoised: the rules of one page tokenise its paragraphs several times each, and the body is
    tokenised again by the validation and dedupe pipelines (a few entries per page: bounded)."""
    return tuple(_TOKEN.findall(unicodedata.normalize("NFKC", value).lower()))
