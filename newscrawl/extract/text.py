"""Text clean-up: decoding bytes to text, markup in text fields, Unicode NFC, mojibake, whitespace,
paragraphs, and the strings an item may hold (nothing BSON or UTF-8 cannot encode)."""

import functools
import html
import re
import unicodedata

import ftfy
import lxml.etree
from charset_normalizer import from_bytes
from w3lib.encoding import html_body_declared_encoding, html_to_unicode, http_content_type_encoding, read_bom

# Mojibake repair only: quotes, ligatures and character widths stay as the page wrote them (they
# must not change just because a field also contained mojibake).
_FTFY = ftfy.TextFixerConfig(unescape_html=False, fix_line_breaks=True, normalization="NFC", explain=False,
                             uncurl_quotes=False, fix_latin_ligatures=False, fix_character_width=False)
# Soft hyphen, zero-width space, word joiner, BOM, control characters. ZWNJ/ZWJ stay: Persian and
# Indic scripts need them.
_INVISIBLE = re.compile("[\u00ad\u200b\u2060\ufeff\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f"
                        "\ud800-\udfff\ufffe\uffff]")
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


# A page read as UTF-8 (declared, or detected) keeps UTF-8, its invalid bytes replaced, when at least
# this share of its non-ASCII sequences are valid UTF-8 ones. Another charset read as UTF-8 is nearly
# all invalid: in cp1252 text an accented letter followed by bytes that continue a UTF-8 sequence is
# rare (the 134 development pages with non-ASCII text, re-encoded as cp1252: at most 2.3% valid,
# all but one under 0.2%). A UTF-8 page with stray bytes is mostly valid, and re-reading it as
# cp1252 would turn each of its valid letters into mojibake ("Café" -> "CafÃ©").
_UTF8_MIN_VALID_SHARE = 0.05


def _stray_bytes_in_utf8(text: str, bad: int) -> bool:
    """Whether ``text``, decoded as UTF-8 with ``bad`` replacement characters, is UTF-8 with stray
    bytes (see _UTF8_MIN_VALID_SHARE)."""
    valid = len(_NON_ASCII.findall(text, 0, 2_000_000))
    return valid > 0 and valid >= _UTF8_MIN_VALID_SHARE * (valid + bad)


def _decode(body: bytes, content_type: str | None) -> tuple[str, str]:
    encoding, text = html_to_unicode(content_type, body, auto_detect_fun=_detect_encoding)
    bad = text.count("\ufffd")
    if bad > 2 and encoding == "utf-8" and _stray_bytes_in_utf8(text, bad):
        return text, encoding
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


# Lone surrogates (UTF-8 and BSON cannot encode them: one fails a whole MongoDB batch), NUL and the
# other C0 controls but tab and newline, DEL, and the non-characters U+FFFE/U+FFFF.
_UNENCODABLE = re.compile("[\u0000-\u0008\u000b-\u001f\u007f\ud800-\udfff\ufffe\uffff]")


def encodable(value: str) -> str:
    """``value`` without what an item must not hold (see _UNENCODABLE); the same object when clean."""
    return _UNENCODABLE.sub("", value) if _UNENCODABLE.search(value) else value


def encodable_strings(value, depth: int = 0):
    """Every string in an item value (lists, dicts, nested) made :func:`encodable`; dict keys too."""
    if isinstance(value, str):
        return encodable(value)
    if depth > 8:       # items are shallow; this never recurses on page data of unbounded depth
        return None
    if isinstance(value, list):
        return [encodable_strings(v, depth + 1) for v in value]
    if isinstance(value, dict):
        return {encodable(k) if isinstance(k, str) else k: encodable_strings(v, depth + 1) for k, v in value.items()}
    return value


def decode_entities(value: str) -> str:
    """Character references decoded once, for text no HTML parser has read (JSON-LD strings): text
    from the parsed page (attributes, element text) is decoded already and is not decoded again,
    so "&amp;lt;b&amp;gt;" stays the text "&lt;b&gt;"."""
    return html.unescape(value) if "&" in value else value


# A reference left in decoded text: the publisher escaped twice ("K&amp;uuml;hl" in a description,
# "&amp;Ccedil;" in an articleBody). Letters and punctuation are repaired; "&lt;", "&gt;", "&amp;"
# (and their numeric forms) stay as written, so no second decoding can make markup or a new reference.
_LEFTOVER_REFERENCE = re.compile(r"&(?:#[0-9]{1,7}|#[xX][0-9a-fA-F]{1,6}|[A-Za-z][A-Za-z0-9]{1,31});")
_MARKUP_CHARS = frozenset("<>&")


def _repair_reference(m: re.Match) -> str:
    char = html.unescape(m.group())
    return m.group() if char in _MARKUP_CHARS else char


def repair_double_escaped(value: str) -> str:
    """Character references still in decoded text, but those of "<", ">" and "&", as characters."""
    return _LEFTOVER_REFERENCE.sub(_repair_reference, value) if "&" in value and ";" in value else value


# Markup in a text field: "<" then a tag name, "/", "!" or "?". Only such strings go to the parser.
_TAG_LIKE = re.compile(r"<[A-Za-z!/?]")
_TAG_RESIDUE = re.compile(r"<(?=[A-Za-z!/?])")
# An event-handler attribute written as text (a broken-out `" onmouseover="...`): never a headline.
_EVENT_ATTR = re.compile(r"(?i)(?<![\w-])on[a-z]{3,24}\s*=\s*(?:\"[^\"]*\"|'[^']*'|`[^`]*`|[^\s>]*)")
# Elements whose content a reader never sees as text of the field (script bodies are dropped).
_NOT_SHOWN = frozenset(("script", "style", "noscript", "template", "iframe", "head"))
_BLOCKS = frozenset(("p", "div", "br", "li", "ul", "ol", "h1", "h2", "h3", "h4", "h5", "h6", "tr", "td", "th",
                     "table", "blockquote", "section", "article", "header", "footer", "aside", "dd", "dt", "hr",
                     "figure", "figcaption", "pre", "title"))
_FRAGMENT_PARSER = lxml.etree.HTMLParser(remove_comments=True, remove_pis=True, no_network=True)
_MARKUP_PASSES = 3      # markup inside raw-text elements (<textarea>, <title>) shows up after one pass


def shown_text(el) -> str:
    """An element's text as a reader sees it: ``text_content()`` without the content of scripts,
    styles, templates and the like inside it (a headline with an inline script)."""
    if el is None:
        return ""
    for _ in el.iter(*_NOT_SHOWN):
        return _element_text(el)
    return el.text_content()


def _markup_text(value: str, as_html: bool) -> str:
    """The text a browser shows for ``value`` as an HTML fragment, content of scripts and styles
    dropped; its character references are read as HTML only when ``as_html`` (the first pass:
    a value holding markup is an HTML fragment), else "&" is escaped first (later passes read text
    that is decoded already)."""
    value = encodable(value) if as_html else encodable(value).replace("&", "&amp;")
    try:
        root = lxml.etree.fromstring("<html><body>" + value, _FRAGMENT_PARSER)
    except (lxml.etree.LxmlError, ValueError):
        return _TAG_RESIDUE.sub("", value)
    return "" if root is None else _element_text(root)


def _element_text(root) -> str:
    """Text under ``root`` (its tail aside) in document order, _NOT_SHOWN subtrees left out, a space
    around block elements so that paragraphs do not run together."""
    parts = []
    walk = lxml.etree.iterwalk(root, events=("start", "end"))
    for event, el in walk:
        tag = el.tag if isinstance(el.tag, str) else ""
        if event == "start":
            if tag in _BLOCKS:
                parts.append(" ")
            if tag in _NOT_SHOWN:
                walk.skip_subtree()
            elif tag and el.text:   # not a comment's or processing instruction's text
                parts.append(el.text)
        else:
            if tag in _BLOCKS:
                parts.append(" ")
            if el.tail and el is not root:
                parts.append(el.tail)
    return "".join(parts)


def strip_markup(value: str) -> str:
    """``value`` as plain text: a value holding markup is read as an HTML fragment, as a browser
    shows it (tags removed, a script's or style's content with them, its references decoded), until
    no markup is left; event-handler attributes written as text are removed. Strings without markup
    (nearly all) are returned as they are, without parsing."""
    for i in range(_MARKUP_PASSES):
        if "<" not in value or not _TAG_LIKE.search(value):
            break
        value = _markup_text(value, as_html=i == 0)
    else:
        value = _TAG_RESIDUE.sub("", value)
    if "=" in value and _EVENT_ATTR.search(value):
        value = _EVENT_ATTR.sub("", value)
    return value


def clean_text(value: str | None) -> str:
    """One line of plain text: markup removed (:func:`strip_markup`), references escaped twice by the
    publisher repaired (:func:`repair_double_escaped`), mojibake fixed, NFC, invisible characters
    dropped, runs of white space collapsed. ``value`` is decoded text: the HTML parser decoded the
    page's once, JSON-LD strings are decoded where they are read (:func:`decode_entities`); decoding
    it again would turn the text "&lt;b&gt;" into markup."""
    if not value:
        return ""
    value = strip_markup(repair_double_escaped(value))
    if _may_be_mojibake(value) and _MOJIBAKE.search(value):
        value = ftfy.fix_text(value, _FTFY)
    value = _INVISIBLE.sub("", value)
    value = unicodedata.normalize("NFC", value)
    return " ".join(value.split())


_CUT_AT_WORD = 0.8     # a cut goes back to the last space when one is in the last fifth of the cap


def cap_text(value: str, limit: int) -> str:
    """``value`` when at most ``limit`` characters, else cut to fit with "…" at the end, at a word
    boundary when one is near (a run of text without spaces, CJK for one, is cut mid-run)."""
    if len(value) <= limit:
        return value
    cut = value[:limit - 1]
    space = cut.rfind(" ")
    if space >= limit * _CUT_AT_WORD:
        cut = cut[:space]
    return cut.rstrip() + "…"


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
    if not value:
        return ""
    if value.isascii():     # (NFKC leaves ASCII as it is, and case-folds it as lower(): a third faster)
        return " ".join(value.lower().split())
    return " ".join(unicodedata.normalize("NFKC", value).casefold().split())


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
