"""Text a display can trust, and one bad field never costs the article (issue 17 §2, §3, §7, §8):
markup and script in every text field, entities decoded once, strings BSON/UTF-8 cannot encode,
JSON-LD nested tens of thousands of levels, over-long fields, javascript: images, a UTF-8 page with
stray bytes, and wall times a zone repeats or skips. Pages run through ArticlePage.to_item, the one
place every spider's items (the warc spider's too) are built."""

import html
import json
import re
from datetime import datetime, timezone

import bson
import pytest

from conftest import ARTICLE_PARAGRAPHS, article_html, assert_contract, run_crawl
from newscrawl.extract.dates import parse_date
from newscrawl.extract.structured import MAX_JSONLD_DEPTH, MAX_VALUE_CHARS, json_depth_over
from newscrawl.extract.text import decode_html, encodable_strings
from newscrawl.article.fields import (MAX_AUTHORS, MAX_SECTIONS, MAX_SOURCE_NAME_CHARS, MAX_SUMMARY_CHARS,
                                      MAX_TAG_CHARS, MAX_TAGS, MAX_TITLE_CHARS)
from newscrawl.pages import ArticlePage, NotAnArticle

URL = "https://www.valleypost.co.uk/news/2024/reservoir-full.html"
CRAWLED = datetime(2024, 5, 6, 12, 0, tzinfo=timezone.utc)
TITLE = "Reservoir fuller than in a decade"
TEXT_FIELDS = ("title", "summary", "source_name", "authors", "section", "tags", "body")


def page(body, url=URL, content_type="text/html; charset=utf-8") -> ArticlePage:
    return ArticlePage(url, body.encode() if isinstance(body, str) else body,
                       headers_content_type=content_type, crawled_at=CRAWLED)


def extract(body, **kw) -> dict:
    item = dict(page(body, **kw).to_item())
    assert_contract(item, pipelines=False)
    return item


def ld_script(data) -> str:
    # As publishers write it: "</" escaped so that a string cannot close the <script> element.
    text = json.dumps(data).replace("</", "<\\/")
    return f'<script type="application/ld+json">{text}</script>'


def texts(item, field) -> list[str]:
    value = item[field]
    return value if isinstance(value, list) else [value] if value else []


# ---- markup and script in every text field ----------------------------------------------------------

# Classic XSS payloads: markup, encoded markup, markup that breaks out of an attribute, nested markup
# that a single pass would reassemble, and markup hidden in raw-text elements.
PAYLOADS = [
    "<script>alert(1)</script>",
    "<img src=x onerror=alert(1)>",
    "<svg onload=alert(1)>",
    "<svg/onload=alert(1)>",
    '<iframe src="javascript:alert(1)"></iframe>',
    "<body onload=alert(1)>",
    '<div style="width:expression(alert(1))">x</div>',
    '<style>*{background:url("javascript:alert(1)")}</style>',
    '"><script>alert(1)</script>',
    "'><img src=x onerror=alert(1)>",
    '<a href="javascript:alert(1)">click</a>',
    "<IMG SRC=JaVaScRiPt:alert(1)>",
    "&lt;script&gt;alert(1)&lt;/script&gt;",                         # encoded: the parser makes it markup
    "&amp;lt;script&amp;gt;alert(1)&amp;lt;/script&amp;gt;",         # double-encoded: stays text
    "<scr<script>ipt>alert(1)</script>",
    "<<script>script>alert(1)<</script>/script>",
    "<textarea><script>alert(1)</script></textarea>",
    "<details open ontoggle=alert(1)>",
    '" onmouseover="alert(1)',
    "<!--<img src=x onerror=alert(1)>-->",
]
# Payloads after which a browser shows no more text of the field: nothing is asserted to survive.
SWALLOWS = {"<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>"}
PAYLOADS += sorted(SWALLOWS)

# route -> the field it feeds. Each page carries the payload in that one place.
ROUTES = {
    "title_tag": "title", "h1": "title", "og_title": "title", "ld_headline": "title",
    "meta_description": "summary", "ld_description": "summary",
    "og_site_name": "source_name", "ld_publisher": "source_name",
    "meta_author": "authors", "ld_author": "authors", "byline": "authors",
    "meta_section": "section", "ld_section": "section",
    "meta_tag": "tags", "ld_keywords": "tags",
    "body": "body",
}
_TAG = re.compile(r"<\s*/?\s*[A-Za-z]")
_EVENT_HANDLER = re.compile(r"(?i)\bon[a-z]+\s*=")


def hostile_page(route: str, text: str) -> str:
    """An article page whose `route` holds `text` as the page's HTML source writes it: raw in element
    content, HTML-escaped in attributes (the parser reads `text` back), JSON-escaped in JSON-LD."""
    attr = html.escape(text, quote=True)
    ld = {"@context": "https://schema.org", "@type": "NewsArticle", "datePublished": "2024-05-06T09:00:00Z"}
    head, doc_title, h1, byline, paras = [], TITLE, TITLE, "", list(ARTICLE_PARAGRAPHS)
    meta = {"og_title": ("property", "og:title"), "meta_description": ("name", "description"),
            "og_site_name": ("property", "og:site_name"), "meta_author": ("name", "author"),
            "meta_section": ("property", "article:section"), "meta_tag": ("property", "article:tag")}
    ld_key = {"ld_headline": "headline", "ld_description": "description", "ld_section": "articleSection",
              "ld_keywords": "keywords"}
    if route in meta:
        head.append(f'<meta {meta[route][0]}="{meta[route][1]}" content="{attr}">')
    elif route in ld_key:
        ld[ld_key[route]] = text
    elif route == "ld_publisher":
        ld["publisher"] = {"@type": "Organization", "name": text}
    elif route == "ld_author":
        ld["author"] = {"@type": "Person", "name": text}
    elif route == "title_tag":
        doc_title, h1 = text, None
    elif route == "h1":
        h1 = text
    elif route == "byline":
        byline = f'<p class="byline">By <a rel="author" href="/people/x">{text}</a></p>'
    elif route == "body":
        paras.insert(1, text)
    if route in ("title_tag", "h1", "og_title"):
        ld = None                           # the JSON-LD headline would be chosen first
    head.append(ld_script(ld) if ld else "")
    return ("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
            f"<title>{doc_title}</title>{''.join(head)}</head><body><article>"
            + (f"<h1>{h1}</h1>" if h1 else "") + byline
            + "".join(f"<p>{p}</p>\n" for p in paras) + "</article></body></html>")


ATTRIBUTE_ROUTES = {"og_title", "meta_description", "og_site_name", "meta_author", "meta_section", "meta_tag"}
SENTENCE = "the harbour board met on Monday to discuss the new ferry timetable for the summer"


@pytest.mark.parametrize("route", ROUTES)
@pytest.mark.parametrize("payload", PAYLOADS)
def test_markup_in_any_text_field_is_removed_and_the_text_is_kept(route, payload):
    field = ROUTES[route]
    # A body paragraph long enough to be body text on each side of the payload.
    text = f"Alpha {SENTENCE} {payload} {SENTENCE} Omega" if route == "body" else f"Alpha {payload} Omega"
    try:
        item = extract(hostile_page(route, text))
    except NotAnArticle:
        assert payload in SWALLOWS and route in ("h1", "byline", "body")   # the rest of the page is in a <style>
        return
    for name in TEXT_FIELDS:
        for value in texts(item, name):
            assert not _TAG.search(value), (name, value)
            assert not _EVENT_HANDLER.search(value), (name, value)
    found = " ".join(texts(item, field))
    # What the field's source says once decoded (attributes: the parser gives the payload back).
    said = payload if route in ATTRIBUTE_ROUTES else html.unescape(payload)
    if said.startswith(("<script>", '"><script>')):
        assert "alert" not in found, found                    # a script's content goes with it
    if payload in SWALLOWS:
        return
    if route == "byline":
        # Byline links are split and filtered as names: what survives is text, never markup.
        assert found and "Alpha" in found, found
    elif route == "body":
        # Markup that closes the paragraph (a <div>) or hides the rest (<svg>) ends what the main
        # text extraction reads as this paragraph: the text before it is kept.
        assert f"Alpha {SENTENCE}" in found, found
    else:
        assert "Alpha" in found and "Omega" in found, (field, found)
    if field == "title":
        assert item["title"].startswith("Alpha")


def test_a_title_that_is_nothing_but_script_falls_back_to_the_next_candidate():
    html_ = article_html(TITLE, head=ld_script({"@type": "NewsArticle", "headline": "<script>alert(1)</script>"}))
    assert extract(html_)["title"] == TITLE


# ---- entities: decoded exactly once --------------------------------------------------------------

@pytest.mark.parametrize("head, expected", [
    # An attribute is decoded by the HTML parser, once: what it says is text, and stays so.
    ('<meta property="og:title" content="&amp;lt;b&amp;gt;Bold&amp;lt;/b&amp;gt; move">', "&lt;b&gt;Bold&lt;/b&gt; move"),
    ('<meta property="og:title" content="Tom &amp;amp; Jerry">', "Tom &amp; Jerry"),
    ('<meta property="og:title" content="Tom &amp; Jerry">', "Tom & Jerry"),
    # JSON-LD is not decoded by the parser: decoded once where it is read.
    (ld_script({"@type": "NewsArticle", "headline": "&amp;lt;b&amp;gt; move"}), "&lt;b&gt; move"),
    (ld_script({"@type": "NewsArticle", "headline": "Tom &amp; Jerry"}), "Tom & Jerry"),
    (ld_script({"@type": "NewsArticle", "headline": "Tom &amp;amp; Jerry"}), "Tom &amp; Jerry"),
    # An escaped HTML fragment in JSON-LD (9News' description) is read as HTML.
    (ld_script({"@type": "NewsArticle", "headline": "&lt;p&gt;Here&amp;#x27;s what we know&lt;/p&gt;"}),
     "Here's what we know"),
    # A publisher escaping letters twice (Stuttgarter Zeitung): letters are repaired, markup never.
    (ld_script({"@type": "NewsArticle", "headline": "K&amp;uuml;hlt&amp;uuml;rme &amp;lt;gesprengt&amp;gt;"}),
     "Kühltürme &lt;gesprengt&gt;"),
])
def test_entities_are_decoded_once(head, expected):
    html_ = article_html(TITLE, head=head).replace(f"<h1>{TITLE}</h1>", "")
    assert extract(html_)["title"] == expected


def test_the_validate_pipeline_does_not_decode_the_title_again():
    from scrapy.utils.test import get_crawler

    from newscrawl import settings
    from newscrawl.items import Article
    from newscrawl.pipelines import ValidatePipeline

    html_ = article_html(TITLE, head='<meta property="og:title" content="&amp;lt;b&amp;gt; move">')
    item = extract(html_.replace(f"<h1>{TITLE}</h1>", ""))
    crawler = get_crawler(settings_dict={**{k: getattr(settings, k) for k in dir(settings) if k.isupper()},
                                         "MONGODB_ENABLED": False})
    out = ValidatePipeline.from_crawler(crawler).process_item(Article(**item))
    assert out["title"] == "&lt;b&gt; move"


# ---- strings BSON or UTF-8 cannot encode ------------------------------------------------------------

BAD_CHARS = ["\ud800", "\udfff", "\ud83d", "\x00", "\x01", "\x08", "\x0b", "\x1b", "\x1f", "\x7f", "\ufffe", "\uffff"]


def _ld_everything(bad: str) -> dict:
    s = f"Alpha{bad} Omega"
    return {"@context": "https://schema.org", "@type": "NewsArticle", "headline": s, "description": s,
            "author": [{"@type": "Person", "name": s}], "publisher": {"@type": "Organization", "name": s},
            "articleSection": [s], "keywords": [s], "inLanguage": f"en{bad}",
            "image": {"url": f"https://img.valleypost.co.uk/a{bad}b.jpg"},
            "datePublished": f"2024-05-06T09:00:00Z{bad}", "dateModified": f"2024-05-06{bad}",
            "articleBody": " ".join(ARTICLE_PARAGRAPHS) + f" Alpha{bad} Omega"}


@pytest.mark.parametrize("bad", BAD_CHARS, ids=[f"U+{ord(c):04X}" for c in BAD_CHARS])
def test_no_item_string_holds_what_bson_or_utf8_cannot_encode(bad):
    # json.dumps writes "\ud800" and "\u0000" as escapes: JSON-LD gives them back as they were.
    html_ = article_html(TITLE, head=ld_script(_ld_everything(bad))).replace(f"<h1>{TITLE}</h1>", "")
    item = extract(html_)
    bson.encode(item)                                      # raised for a lone surrogate: the whole batch failed
    strings = []

    def collect(v):
        if isinstance(v, str):
            strings.append(v)
        elif isinstance(v, list):
            for x in v:
                collect(x)
        elif isinstance(v, dict):
            for k, x in v.items():
                collect(k)
                collect(x)
    collect(item)
    for s in strings:
        s.encode("utf-8")                                  # strict: no surrogates
        assert not re.search("[\x00-\x08\x0b-\x1f\x7f\ufffe\uffff]", s), repr(s)
    assert item["title"] == "Alpha Omega"
    for field in ("summary", "source_name", "authors", "section", "tags"):
        assert "Alpha Omega" in texts(item, field), (field, item[field])
    assert item["published_at"] == "2024-05-06T09:00:00Z"


def test_encodable_strings_reaches_nested_values_and_keys():
    value = {"a\x00": ["x\ud800", {"raw": "y\x1b\n\tz"}], "n": 1, "f": None}
    assert encodable_strings(value) == {"a": ["x", {"raw": "y\n\tz"}], "n": 1, "f": None}


# ---- JSON-LD nested tens of thousands of levels ----------------------------------------------------------

N = 50_000
DEEP = {
    "arrays": "[" * N + "]" * N,
    "objects": '{"a":' * N + "1" + "}" * N,
    "mixed": '[{"a":' * (N // 2) + "1" + "}]" * (N // 2),
    "unclosed": "[" * N,
    "in_article": '{"@type": "NewsArticle", "headline": "Deep", "x": ' + "[" * N + "]" * N + "}",
    "in_headline": '{"@type": "NewsArticle", "headline": ' + "[" * N + '"Deep"' + "]" * N + "}",
}


@pytest.mark.parametrize("shape", DEEP)
def test_deeply_nested_jsonld_is_skipped_and_the_article_extracted(shape):
    valid = ld_script({"@type": "NewsArticle", "headline": TITLE, "datePublished": "2024-05-06T09:00:00Z",
                       "author": {"@type": "Person", "name": "Ann Lee"}})
    deep = f'<script type="application/ld+json">{DEEP[shape]}</script>'
    p = page(article_html(TITLE, head=deep + valid))
    item = dict(p.to_item())
    assert item["title"] == TITLE
    assert all(para in item["body"] for para in ARTICLE_PARAGRAPHS)
    # The deep block alone is skipped, and counted: the valid block beside it is still read.
    assert p.data.skipped["too_deep"] == 1
    assert item["published_at"] == "2024-05-06T09:00:00Z" and item["authors"] == ["Ann Lee"]


def test_a_crawl_counts_skipped_jsonld_and_keeps_the_article(tmp_path, http_site):
    deep = f'<script type="application/ld+json">{DEEP["arrays"]}</script>'
    url = http_site.add("/deep-jsonld.html", article_html(TITLE, head=deep))
    items, stats, rc, log = run_crawl(tmp_path, "article", {"urls": url}, {"NEWSCRAWL_HEALTH_ENABLED": False})
    assert rc == 0, log[-2000:]
    assert [i["title"] for i in items] == [TITLE]
    assert stats["newscrawl/jsonld/skipped/too_deep"] == 1


def test_jsonld_nested_within_the_bound_is_read():
    nested = {"@type": "NewsArticle", "headline": TITLE, "datePublished": "2024-05-06T09:00:00Z"}
    deep = nested
    for _ in range(MAX_JSONLD_DEPTH - 5):
        deep = {"a": deep}
    data = {"@graph": [nested], "x": deep, "author": [[[[["Ann Lee"]]]]]}
    p = page(article_html(TITLE, head=ld_script(data)))
    item = dict(p.to_item())
    assert not p.data.skipped and item["published_at"] == "2024-05-06T09:00:00Z"


@pytest.mark.parametrize("text, over", [
    ("[" * 65 + "]" * 65, True),
    ("[" * 64 + "]" * 64, False),
    ('{"a": "' + "[" * 1000 + '"}', False),                  # brackets inside a string are text
    ('{"a": "\\"' + "[" * 1000 + '"}', False),               # an escaped quote does not end the string
    ("[" + "[], " * 5000 + "[]]", False),                     # wide, not deep
])
def test_json_depth_is_measured_outside_strings(text, over):
    assert json_depth_over(text) is over


# ---- caps on every text field from the page ----------------------------------------------------

def test_over_long_fields_are_cut_and_the_article_kept():
    words = " ".join(f"word{i}" for i in range(3000))                        # ~26,000 characters
    data = {"@type": "NewsArticle", "headline": words, "description": words * 2,
            "author": [{"@type": "Person", "name": f"Ann Lee{i}"} for i in range(200)],
            "publisher": {"@type": "Organization", "name": words},
            "articleSection": [f"Section {i}" for i in range(100)],
            "keywords": [f"tag {i} " + "x" * 500 for i in range(1000)],
            "inLanguage": "en-" + "-".join(["abcdefgh"] * 20)}
    item = extract(article_html(TITLE, head=ld_script(data), lang="x" * 300))
    assert len(item["title"]) <= MAX_TITLE_CHARS and item["title"].endswith("…")
    assert item["title"].startswith("word0 word1") and item["title"][:-1].split()[-1].startswith("word")
    assert len(item["summary"]) <= MAX_SUMMARY_CHARS and item["summary"].endswith("…")
    assert len(item["source_name"]) <= MAX_SOURCE_NAME_CHARS
    assert len(item["authors"]) == MAX_AUTHORS
    assert len(item["section"]) == MAX_SECTIONS
    assert len(item["tags"]) == MAX_TAGS and all(len(t) <= MAX_TAG_CHARS for t in item["tags"])
    assert item["declared_language"] is None                 # over 35 characters: not a language tag
    assert all(p in item["body"] for p in ARTICLE_PARAGRAPHS)


def test_megabyte_metadata_is_cut_where_it_is_read():
    """A 2 MB og:title, description (with markup and mojibake) or JSON-LD headline is cut to
    MAX_VALUE_CHARS on reading, before any cleaning (cleaning megabytes costs seconds); the article
    body, articleBody, is read whole."""
    big = "Caf\u00c3\u00a9 <b>x</b> word " * 80_000
    body = " ".join(ARTICLE_PARAGRAPHS) + " tail " * 5_000
    head = (f'<meta property="og:title" content="{html.escape(big)}">'
            f'<meta name="description" content="{html.escape(big)}">'
            + ld_script({"@type": "NewsArticle", "headline": big[:1_000_000], "articleBody": body}))
    p = page(article_html(TITLE, head=head))
    assert len(p.data.first_meta("og:title")) <= MAX_VALUE_CHARS
    assert len(p.ld["headline"]) <= MAX_VALUE_CHARS and p.ld["articleBody"] == body
    item = dict(p.to_item())
    assert len(item["title"]) <= MAX_TITLE_CHARS and item["title"].startswith("Café x word")
    assert len(item["summary"]) <= MAX_SUMMARY_CHARS


# ---- image: an http(s) URL or nothing ------------------------------------------------------------

@pytest.mark.parametrize("image, expected", [
    ("javascript:alert(1)", None),
    ("JaVaScRiPt:alert(1)", None),
    (" javascript:alert(1)", None),
    ("data:image/svg+xml;base64,PHN2ZyBvbmxvYWQ9YWxlcnQoMSk+", None),
    ("vbscript:msgbox(1)", None),
    ("file:///etc/passwd", None),
    ("https://img.valleypost.co.uk/" + "a" * 5000 + ".jpg", None),
    ("//img.valleypost.co.uk/a.jpg", "https://img.valleypost.co.uk/a.jpg"),
    ("/img/a.jpg", "https://www.valleypost.co.uk/img/a.jpg"),
])
@pytest.mark.parametrize("where", ["jsonld", "og"])
def test_image_is_an_http_url_or_null(image, expected, where):
    head = (ld_script({"@type": "NewsArticle", "image": image}) if where == "jsonld"
            else f'<meta property="og:image" content="{html.escape(image)}">')
    assert extract(article_html(TITLE, head=head))["image"] == expected


def test_a_javascript_jsonld_image_gives_way_to_the_og_image():
    head = (ld_script({"@type": "NewsArticle", "image": "javascript:alert(1)"})
            + '<meta property="og:image" content="https://img.valleypost.co.uk/a.jpg">')
    assert extract(article_html(TITLE, head=head))["image"] == "https://img.valleypost.co.uk/a.jpg"


# ---- a UTF-8 page with stray bytes ----------------------------------------------------------------------

def _utf8_page_with_stray_bytes(stray: bytes) -> bytes:
    """A UTF-8 page whose only non-ASCII letter is one "é", with six stray 2-byte runs in its text
    (before: read as cp1252, cp1250 or iso8859_10 by charset detection, "Café" as "CafÃ©")."""
    raw = article_html("Harbour café reopens", paragraphs=["Le Café du Port reopened on Monday.", *ARTICLE_PARAGRAPHS])
    raw = raw.replace("Harbour café", "Harbour cafe").encode("utf-8")
    parts = raw.split(b" the ")
    for i in range(6):
        parts[i * (len(parts) - 1) // 6] += b" " + stray
    return b" the ".join(parts)


@pytest.mark.parametrize("stray", [b"\xff\xfe", b"\x93\x94", b"\xe9\xe8", b"\xe0\xe9"])
@pytest.mark.parametrize("content_type", ["text/html; charset=utf-8", "text/html"])   # header, or <meta charset> alone
def test_a_utf8_page_with_stray_bytes_keeps_its_utf8_text(content_type, stray):
    raw = _utf8_page_with_stray_bytes(stray)
    text, encoding = decode_html(raw, content_type)
    assert encoding == "utf-8" and "Le Café du Port" in text
    assert text.count("\ufffd") == 12                       # each stray byte replaced
    item = extract(raw, content_type=content_type)
    assert item["title"] == "Harbour cafe reopens"
    assert "Le Café du Port reopened" in item["body"] and "Ã" not in item["body"]


@pytest.mark.parametrize("content_type", ["text/html; charset=utf-8", "text/html"])
def test_a_cp1252_page_labelled_utf8_is_still_read_as_cp1252(content_type):
    paragraphs = ["Le café de l'élève était très animé à Noël, déjà « complet » à midi.", *ARTICLE_PARAGRAPHS]
    raw = article_html("Café à Noël", paragraphs=paragraphs).encode("cp1252")
    text, encoding = decode_html(raw, content_type)
    # The existing fallback, charset detection, names a single-byte charset (today cp1257, which
    # shares é with cp1252 but not à, è or ë): never UTF-8 with every letter replaced.
    assert encoding != "utf-8" and "\ufffd" not in text
    assert "Le café de l'él" in text and "était" in text


# ---- wall times a zone repeats or skips, leap seconds --------------------------------------------------

@pytest.mark.parametrize("raw, zone, published, flags", [
    # 02:30 occurs twice in Berlin on 27 Oct 2024: the first occurrence (CEST, +02:00) is the instant.
    ("2024-10-27T02:30:00", "Europe/Berlin", "2024-10-27T00:30:00Z", {"ambiguous": True}),
    ("27.10.2024, 02:30 Uhr", "Europe/Berlin", "2024-10-27T00:30:00Z", {"ambiguous": True}),
    # 02:30 does not occur in Berlin on 31 Mar 2024: read at +01:00, i.e. 03:30 CEST.
    ("2024-03-31T02:30:00", "Europe/Berlin", "2024-03-31T01:30:00Z", {"nonexistent": True}),
    # A leap second is clamped to second 59.
    ("2016-12-31T23:59:60Z", None, "2016-12-31T23:59:59Z", {"leap_second": True}),
    # An offset resolves the wall time: nothing to flag.
    ("2024-10-27T02:30:00+01:00", "Europe/Berlin", "2024-10-27T01:30:00Z", {}),
    ("2024-10-27T12:30:00", "Europe/Berlin", "2024-10-27T11:30:00Z", {}),
])
def test_ambiguous_nonexistent_and_leap_second_times_are_flagged(raw, zone, published, flags):
    parsed = parse_date(raw, default_tz=zone, language="de")
    assert parsed.isoformat() == published
    assert {f: getattr(parsed, f) for f in ("ambiguous", "nonexistent", "leap_second") if getattr(parsed, f)} == flags


def test_a_repeated_wall_time_in_a_named_zone_is_flagged():
    parsed = parse_date("Nov. 3, 2024 1:30 a.m. ET", language="en-US")
    assert parsed.ambiguous and parsed.has_zone and parsed.isoformat() == "2024-11-03T05:30:00Z"   # EDT, first


@pytest.mark.parametrize("raw, flag", [("2024-10-27T02:30:00", "ambiguous"), ("2024-03-31T02:30:00", "nonexistent"),
                                       ("2016-12-31T23:59:60+01:00", "leap_second"), ("2024-05-06T09:00:00", None)])
def test_published_at_source_records_the_flag(raw, flag):
    url = "https://www.taunusbote.de/lokales/2024/stausee-voll.html"      # .de: read in Europe/Berlin
    item = extract(article_html(TITLE, published=raw, lang="de"), url=url)
    source = item["published_at_source"]
    assert source["zone_guess"] == ("Europe/Berlin" if flag != "leap_second" else None)
    assert {k for k in ("ambiguous", "nonexistent", "leap_second") if k in source} == ({flag} if flag else set())
    if flag:
        assert source[flag] is True
