"""ArticlePage on its own (no crawl): pages that are not articles get the right NotAnArticle
reason, hostile or broken input never crashes, and the generic extraction reads JSON-LD,
microdata, OpenGraph, <time> and URL dates, titles, authors and canonical URLs."""

from datetime import datetime, timedelta, timezone

import pytest

from conftest import ARTICLE_PARAGRAPHS, article_html, assert_contract, fixture_page
from newscrawl.pages import ArticlePage, NotAnArticle, page_for

URL = "https://www.valleypost.co.uk/news/2024/reservoir-full.html"
CRAWLED = datetime(2024, 5, 6, 12, 0, tzinfo=timezone.utc)
HTML = "text/html; charset=utf-8"


def make(body, url=URL, ctype=HTML, crawled_at=CRAWLED) -> ArticlePage:
    if isinstance(body, str):
        body = body.encode("utf-8")
    return ArticlePage(url, body, headers_content_type=ctype, crawled_at=crawled_at)


def extract(body, **kwargs) -> dict:
    item = dict(make(body, **kwargs).to_item())
    assert_contract(item, pipelines=False)
    return item


def rejected(body, **kwargs) -> NotAnArticle:
    with pytest.raises(NotAnArticle) as exc:
        make(body, **kwargs).to_item()
    return exc.value


def paragraphs(item) -> list[str]:
    return item["body"].split("\n\n")


# ---- not articles ------------------------------------------------------------------------------

@pytest.mark.parametrize("body", [b"", b"  \r\n\t  "])
def test_empty_body(body):
    assert rejected(body).reason == "empty"


@pytest.mark.parametrize("ctype, body", [
    ("application/pdf", b"%PDF-1.7\n1 0 obj << /Type /Catalog >> endobj"),
    ("image/jpeg", b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + bytes(range(256))),
    ("application/json", b'{"headline": "<b>Not a page</b>", "body": "<p>text</p>"}'),
    # The declared type wins even when the bytes happen to be HTML.
    ("application/json; charset=utf-8", article_html("Reservoir fuller than in a decade").encode()),
])
def test_non_html_content_type(ctype, body):
    exc = rejected(body, ctype=ctype)
    assert exc.reason == "not_html"
    assert not exc.detail   # the server's words never reach the drop line


def test_binary_without_content_type_is_not_html():
    exc = rejected(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(0, 60)), ctype=None)
    assert exc.reason == "not_html"


def test_unclosed_tags_still_extract():
    html = article_html("Reservoir fuller than in a decade")
    for closing in ("</p>", "</article>", "</body>", "</html>", "</h1>"):
        html = html.replace(closing, "")
    item = extract(html + "<div><span><b>unclosed <i>everywhere")
    assert item["title"] == "Reservoir fuller than in a decade"
    for para in ARTICLE_PARAGRAPHS:
        assert para in item["body"]


def test_garbage_bytes_inside_an_article_are_dropped():
    html = article_html("Reservoir fuller than in a decade").encode()
    # Invalid UTF-8, NUL and other C0 control bytes between two paragraphs.
    html = html.replace(b"</p>\n<p>Engineers", b"</p>\n\xff\xfe\x00\x01\x02\x0b\x81\x1f<p>Engineers", 1)
    item = extract(html)
    assert item["title"] == "Reservoir fuller than in a decade"
    assert [p for p in paragraphs(item) if p in ARTICLE_PARAGRAPHS] == list(ARTICLE_PARAGRAPHS)
    assert not any(ch in item["body"] for ch in "\x00\x01\x02\x0b\x1f")


def test_control_characters_in_text_do_not_lose_the_body():
    # Regression: a stray \x01 before the first paragraph used to empty the body (no_body).
    item = extract(article_html("Reservoir fuller than in a decade").replace("<p>", "<p>\x01", 1))
    assert paragraphs(item)[0] == ARTICLE_PARAGRAPHS[0]


@pytest.mark.parametrize("body, reason", [
    (bytes(range(256)) * 40, "no_title"),           # binary noise served as text/html
    (b"<!-- nothing here -->", "unparsable"),
    (b"<html><head></head><body></body></html>", "no_title"),
])
def test_garbage_without_an_article_gives_a_reason(body, reason):
    assert rejected(body).reason == reason


def test_xhtml_with_xml_declaration():
    # Regression: lxml refuses a str that starts with an encoding declaration -> `unparsable`.
    html = article_html("Reservoir fuller than in a decade").replace("<!DOCTYPE html>\n", "")
    xhtml = ('<?xml version="1.0" encoding="UTF-8"?>\n<!DOCTYPE html PUBLIC "-//W3C//DTD XHTML 1.0 Strict//EN" '
             '"http://www.w3.org/TR/xhtml1/DTD/xhtml1-strict.dtd">\n'
             + html.replace('<html lang="en">', '<html xmlns="http://www.w3.org/1999/xhtml" lang="en">'))
    item = extract(xhtml, ctype="application/xhtml+xml")
    assert item["title"] == "Reservoir fuller than in a decade"
    assert ARTICLE_PARAGRAPHS[1] in item["body"]


def test_no_title():
    html = "<html><body><div>" + "".join(f"<p>{p}</p>" for p in ARTICLE_PARAGRAPHS) + "</div></body></html>"
    assert rejected(html).reason == "no_title"


def test_no_body():
    assert rejected("<html><head><title>Reservoir fuller than in a decade</title></head><body></body></html>"
                    ).reason == "no_body"


SHORT = ["The dam is full again this week, the water board said on Monday.",        # 13 words
         "Walkers are asked to keep away from the lower footpath."]                  # 10 words


def test_too_short():
    exc = rejected(article_html("Reservoir fuller than in a decade", paragraphs=SHORT))
    assert (exc.reason, exc.detail) == ("too_short", "23 words")


def test_too_short_respects_min_body_words():
    page = make(article_html("Reservoir fuller than in a decade", paragraphs=SHORT))
    assert page.to_item(min_body_words=20)["body"] == "\n\n".join(SHORT)


def test_index_page():
    exc = rejected(fixture_page("index-page.html"), url="https://www.riverside-courier.co.uk/local/")
    assert (exc.reason, exc.detail) == ("index_page", "og:type=website")


def test_paywall_teaser():
    exc = rejected(fixture_page("paywall-teaser.html"), url="https://www.riverside-courier.co.uk/2024/02/01/docks.html")
    assert exc.reason == "paywall_teaser"


def test_full_paywalled_article_is_kept_and_flagged():
    ld = ('<script type="application/ld+json">{"@type": "NewsArticle", "headline": "Reservoir fuller than in a decade",'
          ' "isAccessibleForFree": false}</script>')
    item = extract(article_html("Reservoir fuller than in a decade", head=ld))
    assert item["is_paywalled"] is True


# ---- charsets ----------------------------------------------------------------------------------

GERMAN = ("Der Bürgermeister von Köln hat am Dienstag angekündigt, dass die Straßenbahnlinie über den Rhein "
          "verlängert wird. Die Arbeiten beginnen im Frühjahr und dauern voraussichtlich drei Jahre.",
          "Anwohner äußerten sich erleichtert: Die Fähre über den Fluss sei im Winter oft ausgefallen, und der "
          "Umweg über die Autobahnbrücke koste jeden Tag eine halbe Stunde.")


def german_page(title: str, head: str = "") -> str:
    return (f"<html><head>{head}<title>{title}</title></head><body><article><h1>{title}</h1>"
            f"<p>{GERMAN[0]}</p><p>{GERMAN[1]}</p></article></body></html>")


@pytest.mark.parametrize("title", [
    "Brücke über den Fluß",
    # Regressions: too few accented letters for charset detection (it guessed cp775: "Br³cke"),
    # or so few that the replacement characters were kept ("Br�cke").
    "Neue Brücke",
])
@pytest.mark.parametrize("ctype", ["text/html", None])
def test_latin1_page_without_any_charset(title, ctype):
    body = german_page(title).encode("iso-8859-1")
    if title == "Neue Brücke":  # English body: the only non-ASCII letters are in the headline
        for para in GERMAN:
            body = body.replace(para.encode("iso-8859-1"), " ".join(ARTICLE_PARAGRAPHS).encode())
    item = extract(body, ctype=ctype)
    assert item["title"] == title
    assert "\ufffd" not in item["title"] + item["body"]
    if title != "Neue Brücke":
        assert item["body"].split("\n\n") == list(GERMAN)


@pytest.mark.parametrize("ctype, head", [
    ("text/html; charset=iso-8859-1", ""),                    # wrong header
    ("text/html", '<meta charset="iso-8859-1">'),             # wrong <meta>
    ("text/html", '<meta http-equiv="Content-Type" content="text/html; charset=windows-1252">'),
])
def test_utf8_page_declared_as_latin1_has_no_mojibake(ctype, head):
    item = extract(german_page("Brücke über den Fluß", head).encode("utf-8"), ctype=ctype)
    assert item["title"] == "Brücke über den Fluß"
    assert item["body"].split("\n\n") == list(GERMAN)
    assert "Ã" not in item["title"] + item["body"]


def test_declared_charset_is_used():
    item = extract(german_page("Brücke über den Fluß").encode("cp1252"), ctype="text/html; charset=windows-1252")
    assert item["title"] == "Brücke über den Fluß"


def test_several_megabytes_of_paragraphs():
    para = ("<p>Paragraph {i}: the council met again on Tuesday evening to discuss next year's budget, and several "
            "members asked for more money for schools, roads and the public library in the old town.</p>\n")
    body = "".join(para.format(i=i) for i in range(16_000))
    html = f"<html><head><title>Budget talks continue</title></head><body><article><h1>Budget talks continue</h1>{body}</article></body></html>"
    assert len(html) > 3_000_000
    item = extract(html)
    assert item["title"] == "Budget talks continue"
    paras = paragraphs(item)
    assert len(paras) == 16_000
    assert paras[0].startswith("Paragraph 0: ") and paras[-1].startswith("Paragraph 15999: ")


# ---- structured data and metadata ------------------------------------------------------------

FERRY_URL = "https://www.riverside-courier.co.uk/local/2024/05/03/harbour-ferry-returns.html?utm_source=twitter&fbclid=x"


def test_jsonld_graph_newsarticle():
    item = extract(fixture_page("graph-newsarticle.html"), url=FERRY_URL)
    body = paragraphs(item)
    assert {k: v for k, v in item.items() if k != "body"} == {
        # rel=canonical is relative and carries tracking parameters and a fragment.
        "url": "https://www.riverside-courier.co.uk/local/2024/05/03/harbour-ferry-returns.html",
        "fetched_url": FERRY_URL,
        "source": "riverside-courier.co.uk",
        "source_name": "The Riverside Courier",
        "title": "Harbour ferry returns after two-year refit",
        "summary": "The town's oldest ferry is back on the water, with a quieter engine and room for forty bicycles.",
        "authors": ["Amelia Hart", "Tom Okafor"],     # "By Amelia Hart" and "Amelia Hart" are one person
        "published_at": "2024-05-03T15:47:42Z",
        "published_at_source": {"method": "jsonld", "precision": "instant", "has_time": True, "has_zone": True,
                                "zone_guess": None,
                                "utc_offset": "+02:00", "raw": "2024-05-03T17:47:42+02:00"},
        "modified_at": "2024-05-04T06:00:00Z",
        "image": "https://www.riverside-courier.co.uk/img/ferry.jpg",
        "section": ["Local"],
        "tags": ["ferries", "transport", "harbour"],
        "declared_language": "en-gb",
        "is_paywalled": False,
        "crawled_at": "2024-05-06T12:00:00Z",
        # The generic reading; the page has no articleBody to check it against.
        "body_source": {"method": "main_text", "confidence": 0.9, "flags": [], "words": 156},
    }
    assert body[0].startswith("The Margaret Lane, the oldest vessel")
    assert body[-1].startswith("Crew members said passengers noticed")
    assert not any(p.startswith("By Amelia Hart") for p in body)


def test_microdata_only():
    item = extract(fixture_page("microdata-only.html"), url="https://www.valleypost.co.uk/farming/cherries")
    assert item["title"] == "Orchard growers expect record cherry harvest"
    assert item["authors"] == ["Priya Raman"]
    assert item["published_at"] == "2023-06-21T06:30:00Z"
    assert item["published_at_source"]["method"] == "microdata"
    assert len(paragraphs(item)) == 3 and paragraphs(item)[0].startswith("Fruit farmers in the valley")


def test_opengraph_only():
    item = extract(fixture_page("opengraph-only.html"), url="https://www.nordstadt-anzeiger.de/kultur/bibliothek")
    assert item["title"] == "Stadtbibliothek verlängert Öffnungszeiten"
    assert item["source_name"] == "Nordstadt Anzeiger"
    assert item["summary"] == "Ab Juni hat die Bibliothek auch sonntags geöffnet."
    assert item["published_at"] == "2024-03-10T08:15:00Z"
    assert item["published_at_source"]["method"] == "meta"
    assert item["authors"] == ["Jana Körner"]
    assert item["image"] == "https://cdn.nordstadt-anzeiger.example/bib.jpg"
    assert (item["section"], item["tags"]) == (["Kultur"], ["Bibliothek", "Kultur"])
    assert item["declared_language"] == "de"
    assert paragraphs(item)[0].startswith("Die Stadtbibliothek öffnet ab dem ersten Juni")


def test_time_element_only():
    item = extract(fixture_page("time-only.html"), url="https://www.valleypost.co.uk/transport/night-buses")
    assert item["published_at"] == "2024-01-15T22:05:00Z"
    assert item["published_at_source"]["method"] == "time"
    assert item["authors"] == [] and item["summary"] is None


def test_date_only_in_url():
    item = extract(fixture_page("url-date-only.html"),
                   url="https://www.valleypost.co.uk/environment/2024/04/28/beach-clean-up.html")
    assert item["published_at"] == "2024-04-28"
    source = item["published_at_source"]
    assert (source["method"], source["has_time"], source["has_zone"]) == ("url", False, False)


def header_date_page(headline: str, header: str, after_body: str = "") -> str:
    paras = "".join(f"<p>{p}</p>" for p in ARTICLE_PARAGRAPHS)
    return (f'<html lang="de"><head><meta charset="utf-8"><title>Stausee so voll wie seit Jahren nicht</title></head>'
            f'<body><nav><a href="/">Start</a></nav><article>{headline}{header}<div class="text">{paras}</div>'
            f'{after_body}</article></body></html>')


@pytest.mark.parametrize("headline, header", [
    ("<h1>Stausee so voll wie seit Jahren nicht</h1>",
     '<div class="meta"><span>erstellt: <strong>01. April 2025, 15:25</strong></span> | <a href="/x">Umwelt</a></div>'),
    # No <h1>: the headline is an <h3> with a kicker; the date line has a two-digit year.
    ('<h3><span class="kicker">Nach dem Regen</span> - <span>Stausee so voll wie seit Jahren nicht</span></h3>',
     '<div class="technicalline"><div class="lineinfo">Di 01.04.25 | 15:25 Uhr | Von <span>Eva Muster</span></div></div>'),
])
def test_date_shown_under_the_headline(headline, header):
    item = extract(header_date_page(headline, header), url="https://www.talbote.de/umwelt/stausee.html")
    assert item["published_at"] == "2025-04-01T13:25:00Z"     # 15:25 in Berlin (CEST)
    assert item["published_at_source"]["method"] == "text"


def test_dates_after_the_body_are_not_the_article_date():
    teaser = '<aside><h4>Mehr zum Thema</h4><p>Hochwasser im Tal <span>02.03.2025, 08:00</span></p></aside>'
    item = extract(header_date_page("<h1>Stausee so voll wie seit Jahren nicht</h1>", "", teaser),
                   url="https://www.talbote.de/umwelt/stausee.html")
    assert item["published_at"] is None


def test_no_date_anywhere():
    item = extract(fixture_page("url-date-only.html"), url="https://www.valleypost.co.uk/environment/beach-clean-up")
    assert item["published_at"] is None and item["published_at_source"] is None


@pytest.mark.parametrize("doc_title", [
    "Reservoir fuller than in a decade | Valley Post",
    "Reservoir fuller than in a decade - Valley Post",
    "Valley Post – Reservoir fuller than in a decade",
    "Reservoir fuller than in a decade | valleypost.co.uk",
])
def test_site_name_stripped_from_title(doc_title):
    html = ('<html><head><title>{}</title><meta property="og:site_name" content="Valley Post"></head><body>'
            '<div class="story">{}</div></body></html>').format(doc_title, "".join(f"<p>{p}</p>" for p in ARTICLE_PARAGRAPHS))
    assert extract(html)["title"] == "Reservoir fuller than in a decade"


def test_title_with_a_separator_that_is_not_a_site_name_is_kept():
    html = article_html("Floods: reservoir fuller than in a decade")
    assert extract(html)["title"] == "Floods: reservoir fuller than in a decade"


@pytest.mark.parametrize("url, expected", [
    # An unknown publisher: the JSON-LD headline first.
    ("https://www.valleypost.co.uk/news/2026/reservoir", "Reservoir at record level as dry summer ends early"),
    # A publisher whose headline is its og:title (newscrawl/publishers/__init__.py).
    ("https://www.n-tv.de/panorama/reservoir-article1.html", "Reservoir fuller than in a decade"),
])
def test_headline_field_by_publisher(url, expected):
    head = ('<meta property="og:title" content="Reservoir fuller than in a decade">'
            '<script type="application/ld+json">{"@type": "NewsArticle", '
            '"headline": "Reservoir at record level as dry summer ends early"}</script>')
    html = article_html("Reservoir at record level as dry summer ends early", head=head)
    assert page_for(url, html.encode()).title() == expected


@pytest.mark.parametrize("head, byline, expected", [
    # Yoast (WordPress) labels its author meta: twitter:label1 "Written by", twitter:data1 the name.
    ('<meta name="twitter:label1" content="Written by"><meta name="twitter:data1" content="Dieter Kuckel">',
     "", ["Dieter Kuckel"]),
    # The site and its address in meta author are neither persons nor places as authors.
    ('<meta name="author" content="valleypost.co.uk, Leeds, United Kingdom">', "", ["valleypost.co.uk"]),
    # A byline paragraph: the desk named after the site is not a person.
    ('<meta name="author" content="valleypost.co.uk">',
     '<p class="author">von <a href="mailto:d@x">David Strauber, VALLEYPOST NORTH</a></p>', ["David Strauber"]),
    ("", '<div class="lineinfo">Von <span class="authorname">Eva Kirchner </span></div>', ["Eva Kirchner"]),
])
def test_authors_from_labels_bylines_and_site_addresses(head, byline, expected):
    html = article_html("Reservoir fuller than in a decade", head=head + '<meta property="og:site_name" content="Valley Post">')
    html = html.replace("<h1>Reservoir fuller than in a decade</h1>", "<h1>Reservoir fuller than in a decade</h1>" + byline)
    assert extract(html, url="https://www.valleypost.co.uk/news/reservoir")["authors"] == expected



@pytest.mark.parametrize("byline", [
    "<div class='article-meta__author'>Eva Kirchner</div>", "<span class='writer'>Eva Kirchner</span>",
    "<p class='article-byline'>By Eva Kirchner</p>", "<span class='c-author'>Eva Kirchner</span>",
])
def test_authors_of_a_page_without_metadata_from_wider_byline_markup(byline):
    # No JSON-LD, no meta author, a byline our own rules do not know: trafilatura's byline rules.
    html = article_html("Reservoir fuller than in a decade")
    html = html.replace("<h1>Reservoir fuller than in a decade</h1>", "<h1>Reservoir fuller than in a decade</h1>" + byline)
    assert extract(html, url="https://www.valleypost.co.uk/news/reservoir")["authors"] == ["Eva Kirchner"]


BYLINE_MARKUP = """<html><body><div itemprop="author"><span itemprop="name">Ann Lee</span>
<div itemprop="author"><b itemprop="name">Bo Kim</b></div></div><p itemprop="author">Cy Dunn</p>
<div class="x byline\ty"><a>Di Vo</a><div class="byline"><a>Ed Ray</a></div></div><div class="bylines"><a>no</a></div>
<p class="AuthorList"><a>Fay Orr</a></p><span class="AUTHORNAME z">Gil Tan</span><span class="the-author__name">Hu Li</span>
<div class="author">Ida Fox</div><p class="Author">no</p><section class="author">no</section><a rel="author">Jo Wu</a>
<!-- class="byline" --></body></html>"""


def test_byline_rules_find_what_their_xpaths_find():
    """byline_candidates (one pass in Python) finds, rule by rule, the elements of BYLINE_XPATHS."""
    import lxml.html

    from newscrawl.extract.authors import BYLINE_XPATHS, byline_candidates

    tree = lxml.html.document_fromstring(BYLINE_MARKUP)
    found = byline_candidates(tree)
    assert [[" ".join(el.text_content().split()) for el in rule] for rule in found] == [
        ["Ann Lee", "Bo Kim"], ["Jo Wu"], ["Cy Dunn"], ["Di Vo", "Ed Ray"], ["Hu Li"], ["Gil Tan"], ["Fay Orr"],
        ["Ida Fox"]]
    for rule, xpath in zip(found, BYLINE_XPATHS):
        assert rule == tree.xpath(xpath)


def test_authors_from_meta_without_by_and_duplicates():
    head = ('<meta name="author" content="By Jane Doe"><meta name="author" content="JANE DOE">'
            '<meta name="author" content="Sam Lee">')
    assert extract(article_html("Reservoir fuller than in a decade", head=head))["authors"] == ["Jane Doe", "Sam Lee"]


@pytest.mark.parametrize("head", [
    '<link rel="canonical" href="https://syndication.other-news.com/story/12345">',
    '<meta property="og:url" content="https://syndication.other-news.com/story/12345">',
    '<link rel="canonical" href="https://www.valleypost.co.uk/">',          # home page: a misconfiguration
    '<link rel="canonical" href="javascript:void(0)">',
    # Regressions: malformed URLs raised ValueError out of to_item().
    '<link rel="canonical" href="https://www.valleypost.co.uk:99999/news/x">',
    '<link rel="canonical" href="http://[broken/news/x"><meta property="og:image" content="http://[broken/a.jpg">',
])
def test_unusable_canonical_is_ignored(head):
    item = extract(article_html("Reservoir fuller than in a decade", head=head),
                   url=URL + "?utm_source=newsletter&utm_medium=email&id=42&gclid=abc#comments")
    assert item["url"] == URL + "?id=42"
    assert item["fetched_url"] == URL + "?utm_source=newsletter&utm_medium=email&id=42&gclid=abc#comments"


def test_tracking_parameters_removed_from_url():
    fetched = URL + "?fbclid=IwAR0&utm_source=facebook&page=2&utm_campaign=spring&mc_cid=9&ref=homepage#top"
    item = extract(article_html("Reservoir fuller than in a decade"), url=fetched)
    assert (item["url"], item["fetched_url"]) == (URL + "?page=2", fetched)


def test_same_site_canonical_is_used():
    head = '<link rel="canonical" href="https://valleypost.co.uk/news/2024/reservoir-full-amp.html?ref=home">'
    item = extract(article_html("Reservoir fuller than in a decade", head=head))
    assert item["url"] == "https://valleypost.co.uk/news/2024/reservoir-full-amp.html"


def test_crawled_at_is_utc():
    local = datetime(2024, 5, 6, 14, 30, 15, tzinfo=timezone(timedelta(hours=2)))
    item = extract(article_html("Reservoir fuller than in a decade"), crawled_at=local)
    assert item["crawled_at"] == "2024-05-06T12:30:15Z"


def test_source_for_generic_page_is_the_registered_domain():
    item = extract(article_html("Reservoir fuller than in a decade"),
                   url="https://news.bbc.co.uk/2/hi/uk_news/1234567.stm")
    assert (item["source"], item["source_name"]) == ("bbc.co.uk", "bbc.co.uk")


@pytest.mark.parametrize("head, title_suffix, expected", [
    # a URL is not a name; without another the registered domain is
    ('<meta name="application-name" content="https://www.valleypost.co.uk">', "", "valleypost.co.uk"),
    # a bare domain gives way to a name the page also gives
    ('<meta property="og:site_name" content="valleypost.co.uk">'
     '<script type="application/ld+json">{"@type": "NewsArticle", "headline": "Reservoir fuller than in a decade",'
     ' "publisher": {"@type": "Organization", "name": "The Valley Post"}}</script>', "", "The Valley Post"),
    # a graph's publisher reference is resolved
    ('<script type="application/ld+json">{"@graph": [{"@type": "NewsArticle", "headline": "Reservoir fuller than in'
     ' a decade", "publisher": {"@id": "https://www.valleypost.co.uk/#org"}}, {"@type": "NewsMediaOrganization",'
     ' "@id": "https://www.valleypost.co.uk/#org", "name": "Valley Post Media"}]}</script>', "", "Valley Post Media"),
    # another site's organisation is not the publisher
    ('<script type="application/ld+json">{"@type": "Organization", "url": "https://www.riverclub.org/",'
     ' "name": "Riverside Rowing Club"}</script>', "", "valleypost.co.uk"),
    # the <title> segment that names the site, not a section's
    ("", " | The Valley Post | Weather", "The Valley Post"),
    ("", " | Weather", "valleypost.co.uk"),
    # og:site_name as given comes first
    ('<meta property="og:site_name" content="Valley Post"><meta name="application-name" content="VP News">', "",
     "Valley Post"),
])
def test_source_name_on_the_generic_path_is_the_name_the_page_gives(head, title_suffix, expected):
    html = article_html("Reservoir fuller than in a decade", head=head)
    html = html.replace("<title>Reservoir fuller than in a decade</title>",
                        f"<title>Reservoir fuller than in a decade{title_suffix}</title>")
    item = extract(html)
    assert item["source_name"] == expected
    assert item["title"] == "Reservoir fuller than in a decade"


@pytest.mark.parametrize("headline, doc_title, expected", [
    ("Flood", "Flood – The Valley Post Online", "The Valley Post Online"),    # the site's name is the longer part
    ("Reservoir fuller than in a decade", "The Valley Post | Reservoir fuller than in a decade", "The Valley Post"),
    ("Valley Post wins award", "Valley Post wins award | News", "valleypost.co.uk"),   # the headline names the site
])
def test_source_name_from_the_title_segment_that_is_not_the_headline(headline, doc_title, expected):
    html = article_html(headline).replace(f"<title>{headline}</title>", f"<title>{doc_title}</title>")
    assert extract(html)["source_name"] == expected
