"""Text clean-up: decoding HTML bytes, one-line text (entities, mojibake, NFC, invisible
characters, white space), paragraphs and word counts."""

import lxml.html
import pytest

from newscrawl.extract.text import clean_paragraph_text, clean_text, decode_html, word_count


@pytest.mark.parametrize("value, expected", [
    (None, ""),
    ("", ""),
    ("  Harbour\tferry \n returns  ", "Harbour ferry returns"),
    # Input is decoded text (the HTML parser's, or JSON-LD's decoded where it is read): it is not
    # decoded again, so "&amp;" and "&lt;b&gt;" are text. References the publisher escaped twice
    # are repaired, but never into "<", ">" or "&" (tests/test_hostile_text.py).
    ("Tom &amp; Jerry", "Tom &amp; Jerry"),
    ("&lt;b&gt; &#60;i&#62; &#x26;amp;", "&lt;b&gt; &#60;i&#62; &#x26;amp;"),
    ("caf&eacute; &#233; &#xE9; K&uuml;hlt&uuml;rme", "café é é Kühltürme"),
    ("AT&T and R&D", "AT&T and R&D"),
    # NFC: a combining accent composes.
    ("Cafe\u0301 Zu\u0308rich", "Café Zürich"),
    # No-break and other Unicode spaces are spaces.
    ("10\u00a0000\u202fkm and\u2009more\u3000here", "10 000 km and more here"),
    # Invisible characters go.
    ("zero\u200bwidth soft\u00adhyphen b\ufeffom word\u2060joiner", "zerowidth softhyphen bom wordjoiner"),
    ("nul\x00 and\x07 bell", "nul and bell"),
    # UTF-8 read as cp1252 / Latin-1.
    ("CafÃ© au lait", "Café au lait"),
    ("BÃ¼rgermeister Ã¤ndert", "Bürgermeister ändert"),
    ("Itâ€™s done", "It’s done"),
    # Regression: once mojibake was fixed, ftfy also straightened the page's curly quotes.
    ("Itâ€™s “quoted”", "It’s “quoted”"),
    ("Straße, ÄÖÜ äöü, ½ ﬁne", "Straße, ÄÖÜ äöü, ½ ﬁne"),      # correct text is left alone
    ("東京駅で　火災", "東京駅で 火災"),
])
def test_clean_text(value, expected):
    assert clean_text(value) == expected


def test_clean_paragraph_text():
    assert clean_paragraph_text("First  line\r\nsecond\u00a0line\n\n\n  Third &amp; last \n\n") == \
        "First line\n\nsecond line\n\nThird &amp; last"     # decoded text: "&amp;" is text
    assert clean_paragraph_text(None) == ""


def test_word_count_counts_cjk_characters():
    assert word_count("Harbour ferry returns, after 2 years!") == 6
    assert word_count("東京駅で火災") == 6   # 東 京 駅 で 火 災: each CJK character (kana included) counts
    assert word_count("") == 0


# ---- decode_html -----------------------------------------------------------------------------

PAGE = "<html><head>{meta}<title>Brücke über den Fluß</title></head><body><p>Straßenbahn nach Köln – „neu“</p></body></html>"


@pytest.mark.parametrize("ctype, meta, encode, expected_encoding", [
    ("text/html; charset=utf-8", "", "utf-8", "utf-8"),
    ("text/html; charset=ISO-8859-1", "", "cp1252", "cp1252"),       # WHATWG: latin-1 means windows-1252
    ("text/html", '<meta charset="windows-1252">', "cp1252", "cp1252"),
    (None, '<meta http-equiv="content-type" content="text/html; charset=utf-8">', "utf-8", "utf-8"),
    (None, "", "utf-8", "utf-8"),
])
def test_decode_html_declared(ctype, meta, encode, expected_encoding):
    text, encoding = decode_html(PAGE.format(meta=meta).encode(encode), ctype)
    assert text == PAGE.format(meta=meta)
    assert encoding.replace("_", "-") == expected_encoding


def test_decode_html_bom_wins():
    page = PAGE.format(meta="")
    assert decode_html(b"\xef\xbb\xbf" + page.encode("utf-8"), "text/html; charset=iso-8859-1")[0] == page
    assert decode_html(page.encode("utf-16"), "text/html")[0] == page


@pytest.mark.parametrize("ctype", [None, "text/html"])
def test_decode_html_undeclared_latin1(ctype):
    page = PAGE.format(meta="")
    text, encoding = decode_html(page.encode("cp1252"), ctype)
    assert text == page
    assert encoding == "cp1252"


def test_decode_html_undeclared_latin1_with_few_accents():
    # Regressions: one accented letter stayed "\ufffd"; four made charset detection pick cp775 ("Br³cke").
    for title in ("Café", "Brücke über die Brücke"):
        page = f"<html><head><title>{title}</title></head><body><p>The bridge over the river will open in spring.</p></body></html>"
        assert decode_html(page.encode("latin-1"), None)[0] == page


def test_decode_html_undeclared_cyrillic():
    page = "<html><body><p>Мэр города объявил во вторник, что трамвайная линия будет продлена через реку.</p></body></html>"
    text, encoding = decode_html(page.encode("cp1251"), None)
    assert (text, encoding) == (page, "cp1251")


def test_decode_html_undeclared_utf8_with_a_stray_bad_byte():
    page = PAGE.format(meta="").encode("utf-8").replace(b"</p>", b"\xff</p>")
    text, encoding = decode_html(page, None)
    assert encoding == "utf-8"
    assert "Brücke über den Fluß" in text and "Straßenbahn nach Köln" in text


@pytest.mark.parametrize("ctype, meta", [
    ("text/html; charset=iso-8859-1", ""),
    ("text/html", '<meta charset="iso-8859-1">'),
])
def test_decode_html_utf8_declared_as_latin1(ctype, meta):
    page = PAGE.format(meta=meta)
    text, encoding = decode_html(page.encode("utf-8"), ctype)
    assert (text, encoding) == (page, "utf-8")


def test_decode_html_drops_control_characters():
    text, _ = decode_html(b"<p>a\x00b\x01c\x0bd\x1fe\tf\ng\rh\x0ci</p>", "text/html")
    assert text == "<p>abcde\tf\ng\rh\x0ci</p>"


def test_decode_html_empty():
    assert decode_html(b"", None)[0] == ""


def test_decode_html_drops_control_characters_in_utf16():
    # The control-byte shortcut only holds for ASCII-compatible encodings: UTF-16 text is full of
    # NUL bytes yet may hold no control character, or hold one in a two-byte unit.
    page = "<p>a\x01b Straße</p>"
    assert decode_html(page.encode("utf-16"), "text/html")[0] == "<p>ab Straße</p>"
    assert decode_html("<p>Straße</p>".encode("utf-16"), "text/html")[0] == "<p>Straße</p>"


def test_decode_html_clean_page_is_returned_unchanged():
    page = PAGE.format(meta='<meta charset="utf-8">')
    assert decode_html(page.encode("utf-8"), "text/html")[0] == page


def test_tokens_are_memoised_immutable_and_bounded():
    """Pages and pipelines tokenise the same text several times: one computation, a tuple nobody
    can change under another caller, and a bounded cache (a crawl runs for days)."""
    from newscrawl.extract.text import tokens

    text = "Ｆｕｌｌ-width Straße, 東京 2024_x"
    first = tokens(text)
    assert first == ("full", "width", "straße", "東", "京", "2024", "x")
    assert isinstance(first, tuple)
    assert tokens("".join(list(text))) is first   # an equal string, another object
    assert tokens.cache_info().maxsize is not None


@pytest.mark.parametrize("body, content_type, fast", [
    ("<html><meta charset=utf-8><p>Grüße aus 東京</p></html>".encode(), None, True),
    ("<html><p>Grüße, undeclared</p></html>".encode(), None, True),
    # The header wins over the page's declaration, for both paths.
    ("<html><meta charset=iso-8859-1><p>Grüße</p></html>".encode(), "text/html; charset=UTF-8", True),
    ("<html><meta charset=iso-8859-1><p>Grüße</p></html>".encode("latin-1"), None, False),
    ("<html><p>Grüße</p></html>".encode("cp1252"), "text/html; charset=windows-1252", False),
    ("<html><p>Grüße \xff bad</p></html>".encode("latin-1"), "text/html; charset=utf-8", False),   # invalid UTF-8
    ("\ufeff<html><p>Grüße</p></html>".encode(), None, False),                                     # BOM
    ('<?xml version="1.0" encoding="utf-8"?><html><p>Grüße</p></html>'.encode(), None, False),
    ("<html><p>Grüße\x01\x1f</p></html>".encode(), None, False),                                   # controls
    ("<html><p>Grüße</p></html>".encode("utf-16"), None, False),
])
def test_utf8_source_only_for_bodies_decoded_unchanged(body, content_type, fast):
    """The parser reads the bytes themselves only when decode_html would return them as UTF-8 with
    nothing changed; the page's tree is the same either way."""
    from newscrawl.extract.text import utf8_source
    from newscrawl.pages.base import ArticlePage

    assert (utf8_source(body, content_type) is not None) is fast
    if fast:
        text, encoding = decode_html(body, content_type)
        assert (encoding, text) == ("utf-8", body.decode("utf-8"))
    page = ArticlePage("https://example.com/a", body, headers_content_type=content_type)
    via_text = ArticlePage("https://example.com/a", body, headers_content_type=content_type,
                           text=decode_html(body, content_type)[0])
    assert lxml.html.tostring(page.tree, encoding="unicode") == lxml.html.tostring(via_text.tree, encoding="unicode")
    assert "Grüße" in page.tree.text_content()
