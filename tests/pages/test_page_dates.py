"""Publication times as the page gives them: a wall time without offset is read in a known zone
(the source's, another timestamp's offset on the page, the publisher's country) or kept local,
never passed off as UTC; a date stays a date (published_at_source.precision)."""

from datetime import datetime, timezone

import pytest

from conftest import ARTICLE_PARAGRAPHS, assert_contract
from newscrawl.article.document import to_document
from newscrawl.pages import ArticlePage, page_for
from newscrawl.web.app import _has_time

CRAWLED = datetime(2017, 1, 5, 12, 0, tzinfo=timezone.utc)


def page(url: str, *, lang: str = "en", head: str = "", header: str = "", html_extra: str = "") -> dict:
    paras = "".join(f"<p>{p}</p>" for p in ARTICLE_PARAGRAPHS)
    html = (f'<html lang="{lang}"><head><meta charset="utf-8"><title>Council backs new harbour bridge</title>{head}'
            f'</head><body><article><h1>Council backs new harbour bridge</h1>{header}<div class="text">{paras}</div>'
            f'</article>{html_extra}</body></html>')
    item = dict(ArticlePage(url, html.encode(), headers_content_type="text/html; charset=utf-8",
                            crawled_at=CRAWLED).to_item())
    assert_contract(item, pipelines=False)
    return item


def ld(**values) -> str:
    body = ", ".join(f'"{k}": "{v}"' for k, v in {"@type": "NewsArticle", **values}.items())
    return f'<script type="application/ld+json">{{"@context": "https://schema.org", {body}}}</script>'


PRINTED = '<p class="byline">December 16, 2016, 4:19 PM</p>'


def test_wall_time_of_unknown_zone_is_local_not_a_false_utc_instant():
    item = page("https://www.example-gazette.com/news/bridge.html", header=PRINTED)
    source = item["published_at_source"]
    assert item["published_at"] == "2016-12-16"          # the printed day, not 2016-12-16T16:19:00Z
    assert source["precision"] == "local"
    assert source["local_time"] == "2016-12-16T16:19:00"
    # has_time: published_at carries no time of day; the printed one is local_time.
    assert (source["has_time"], source["has_zone"], source["zone_guess"], source["utc_offset"]) == (
        False, False, None, None)


def test_wall_time_takes_the_offset_of_the_pages_modified_time():
    # JSON-LD datePublished without offset; dateModified of the same page says -05:00.
    item = page("https://www.example-gazette.com/news/bridge.html",
                head=ld(datePublished="2016-12-16T16:19:00", dateModified="2016-12-16T18:02:00-05:00"))
    source = item["published_at_source"]
    assert item["published_at"] == "2016-12-16T21:19:00Z"
    assert (source["precision"], source["zone_rule"], source["zone_guess"], source["utc_offset"]) == (
        "instant", "page_offset", "UTC-05:00", "-05:00")


def test_borrowed_offset_follows_the_country_zone_across_a_dst_change():
    # .de page: modified in summer (+02:00), published in winter without offset: Berlin's winter
    # offset (+01:00), not the borrowed summer one.
    item = page("https://www.example-bote.de/politik/bruecke.html", lang="de",
                head=ld(datePublished="2016-12-16T16:19:00", dateModified="2017-06-01T09:00:00+02:00"))
    source = item["published_at_source"]
    assert item["published_at"] == "2016-12-16T15:19:00Z"
    assert (source["zone_rule"], source["zone_guess"], source["utc_offset"]) == ("page_offset", "Europe/Berlin",
                                                                                 "+01:00")


def test_zero_offsets_elsewhere_are_no_evidence_of_the_newsrooms_zone():
    # A CMS writing UTC ("Z") says nothing about the clock of the printed time.
    item = page("https://www.example-gazette.com/news/bridge.html", header=PRINTED,
                head='<meta property="article:modified_time" content="2016-12-17T08:00:00Z">')
    assert item["published_at_source"]["precision"] == "local"


def test_offset_borrowed_from_a_meta_tag_and_a_script():
    item = page("https://www.example-gazette.com/news/bridge.html", header=PRINTED,
                head='<meta property="article:modified_time" content="2016-12-16T17:00:00-08:00">')
    assert item["published_at"] == "2016-12-17T00:19:00Z"
    script = '<script>window.cfg = {"serverTime": "2016-12-16T10:00:00+05:30", "x": 1};</script>'
    item = page("https://www.example-gazette.com/news/bridge.html", header=PRINTED, html_extra=script)
    assert item["published_at"] == "2016-12-16T10:49:00Z"
    assert item["published_at_source"]["zone_rule"] == "page_offset"


@pytest.mark.parametrize("url, lang, expected, rule", [
    ("https://www.example-bote.de/politik/bruecke.html", "en", "2016-12-16T15:19:00Z", "country_domain"),
    ("https://news.example.co.uk/bridge.html", "en", "2016-12-16T16:19:00Z", "country_domain"),
    ("https://www.example-news.com/bridge.html", "en-GB", "2016-12-16T16:19:00Z", "locale_region"),
    ("https://www.example-news.com/bridge.html", "de-AT", "2016-12-16T15:19:00Z", "locale_region"),
    ("https://www.example-news.com/bridge.html", "ja", "2016-12-16T07:19:00Z", "language"),
])
def test_country_zone_from_domain_locale_or_one_clock_language(url, lang, expected, rule):
    item = page(url, lang=lang, header=PRINTED)
    assert item["published_at"] == expected
    assert (item["published_at_source"]["precision"], item["published_at_source"]["zone_rule"]) == ("instant", rule)


@pytest.mark.parametrize("url, lang", [
    ("https://www.example-news.com/bridge.html", "en-US"),   # four zones, none by far the main one
    ("https://www.example-news.com/bridge.html", "es"),      # Spain and the Americas
    ("https://www.example-news.co/bridge.html", "en"),       # .co sold as a generic name
])
def test_no_country_zone_when_the_country_or_its_clock_is_unknown(url, lang):
    assert page(url, lang=lang, header=PRINTED)["published_at_source"]["precision"] == "local"


def test_og_locale_region_names_the_country_when_html_lang_has_none():
    item = page("https://www.example-news.com/bridge.html", lang="en", header=PRINTED,
                head='<meta property="og:locale" content="en_IE">')
    assert item["published_at"] == "2016-12-16T16:19:00Z"
    assert item["published_at_source"]["zone_rule"] == "locale_region"


def test_date_only_keeps_its_printed_day_and_no_made_up_time():
    for head, header in ((ld(datePublished="2016-12-16"), ""), ("", '<p class="date">16.12.2016</p>')):
        item = page("https://www.example-gazette.com/news/bridge.html", head=head, header=header)
        source = item["published_at_source"]
        assert item["published_at"] == "2016-12-16"
        assert (source["precision"], source["has_time"], source["utc_offset"]) == ("date", False, None)


def test_date_in_the_url_is_a_date():
    item = page("https://www.example-gazette.com/2016/12/16/bridge.html")
    assert item["published_at"] == "2016-12-16"
    assert item["published_at_source"]["precision"] == "date"


def test_a_later_instant_of_the_same_day_replaces_a_local_time():
    item = page("https://www.example-gazette.com/news/bridge.html", header=PRINTED,
                head=ld(datePublished="2016-12-16T16:19:00-05:00"))
    assert item["published_at"] == "2016-12-16T21:19:00Z"
    assert item["published_at_source"]["precision"] == "instant"


def test_source_zone_wins_over_the_pages_other_offsets():
    # A launch source's declared zone (Le Monde: Europe/Paris) reads its wall times, whatever a
    # script on the page says.
    html = (f'<html lang="fr"><head><meta charset="utf-8"><title>Un pont</title>'
            f'{ld(datePublished="2016-12-16T16:19:00")}</head><body><article><h1>Un pont</h1>'
            + "".join(f"<p>{p}</p>" for p in ARTICLE_PARAGRAPHS)
            + '</article><script>var t = "2016-12-16T10:00:00-08:00";</script></body></html>')
    p = page_for("https://www.lemonde.fr/international/article/2016/12/16/un-pont_1.html", html.encode(),
                 crawled_at=CRAWLED)
    source = p.published_at_source()
    assert p.published_at() == "2016-12-16T15:19:00Z"
    assert (source["zone_rule"], source["zone_guess"]) == ("source", "Europe/Paris")


def test_dst_gap_and_overlap_still_flagged_with_a_country_zone():
    gap = page("https://www.example-bote.de/a.html", lang="de", head=ld(datePublished="2024-03-31T02:30:00"))
    assert gap["published_at_source"]["nonexistent"] is True and gap["published_at"] == "2024-03-31T01:30:00Z"
    overlap = page("https://www.example-bote.de/a.html", lang="de", head=ld(datePublished="2024-10-27T02:30:00"))
    assert overlap["published_at_source"]["ambiguous"] is True and overlap["published_at"] == "2024-10-27T00:30:00Z"


def test_utc_instant_reports_the_pages_local_offset_for_the_same_instant():
    item = page("https://www.example-gazette.com/news/bridge.html",
                head=ld(datePublished="2016-12-16T21:19:00Z"),
                html_extra='<footer><time datetime="2016-12-16T16:19:00-05:00">4:19 PM</time></footer>')
    assert item["published_at"] == "2016-12-16T21:19:00Z"
    assert item["published_at_source"]["utc_offset"] == "-05:00"


@pytest.mark.parametrize("value", [
    "99999-12-16T16:19:00", "16.12.99999 16:19", "-62135596800", "2016-13-45T25:61:00", "9" * 5000,
    "December 16, 2016, 4:19 PM" * 400, "\x00\ud7ff" * 100,
])
def test_hostile_dates_never_crash_and_never_invent(value):
    item = page("https://www.example-gazette.com/news/bridge.html", head=ld(datePublished=value[:20000]),
                html_extra='<script>' + '"2016-12-16T10:00:00+99:99" ' * 5000 + '</script>')
    published = item["published_at"]
    assert published is None or published.startswith("2016-12-16")


def test_stored_local_time_is_the_printed_day_and_not_shown_as_an_instant():
    item = page("https://www.example-gazette.com/news/bridge.html", header=PRINTED)
    doc = to_document({**item, "crawled_at": "2017-01-05T12:00:00Z"}, now=CRAWLED)
    assert doc["published_at"] == datetime(2016, 12, 16, tzinfo=timezone.utc)
    assert doc["published_date"] == "2016-12-16"
    assert doc["published_at_source"]["precision"] == "local"
    assert doc["published_at_source"]["has_time"] is False
    assert doc["published_at_source"]["local_time"] == "2016-12-16T16:19:00"
    assert _has_time(doc) is False      # the web shows the day, no made-up clock time
    dated = to_document({**item, "published_at": "2016-12-16", "published_at_source": {"precision": "date"},
                         "crawled_at": "2017-01-05T12:00:00Z"}, now=CRAWLED)
    assert dated["published_at_source"]["has_time"] is False and _has_time(dated) is False


def test_midnight_without_offset_is_a_cms_date_not_a_made_up_time():
    item = page("https://www.example-bote.de/a.html", lang="de", head=ld(datePublished="2016-12-16T00:00:00"))
    assert item["published_at"] == "2016-12-16"        # not 2016-12-15T23:00:00Z
    assert item["published_at_source"]["precision"] == "date"
    # A real time later on the page, the same day, is taken instead.
    item = page("https://www.example-bote.de/a.html", lang="de", head=ld(datePublished="2016-12-16T00:00:00"),
                header='<p class="date">16.12.2016, 16:19 Uhr</p>')
    assert item["published_at"] == "2016-12-16T15:19:00Z"


def test_modified_time_of_unknown_zone_is_its_printed_day():
    item = page("https://www.example-gazette.com/news/bridge.html", header=PRINTED,
                head='<meta property="article:modified_time" content="2016-12-17T09:30:00">')
    assert item["modified_at"] == "2016-12-17"


def test_a_scripts_offset_does_not_overrule_the_country():
    # An ad server's clock in a script (-08:00) against a .de domain: Berlin reads the time.
    item = page("https://www.example-bote.de/a.html", lang="de", header='<p class="date">16.12.2016, 16:19 Uhr</p>',
                html_extra='<script>var adTime = "2016-12-16T07:00:00-08:00";</script>')
    assert item["published_at"] == "2016-12-16T15:19:00Z"
    assert item["published_at_source"]["zone_rule"] == "country_domain"


def test_web_shows_a_local_times_clock_beside_its_date_and_nothing_for_others():
    from newscrawl.web.app import _local_time

    assert _local_time({"published_at_source": {"precision": "local", "local_time": "2016-12-16T16:19:00"}}) == "16:19"
    assert _local_time({"published_at_source": {"precision": "instant", "local_time": "2016-12-16T16:19:00"}}) is None
    assert _local_time({"published_at_source": {"precision": "local", "local_time": "<script>alert(1)</script>"}}) is None
    assert _local_time({"published_at_source": None}) is None


def test_article_page_of_a_local_time_shows_the_printed_day_and_clock():
    from flask import render_template

    from newscrawl.web.app import create_app

    item = page("https://www.example-gazette.com/news/bridge.html", header=PRINTED)
    doc = to_document({**item, "crawled_at": "2017-01-05T12:00:00Z"}, now=CRAWLED)
    app = create_app("mongodb://127.0.0.1:9/?serverSelectionTimeoutMS=100")   # never queried here
    with app.test_request_context("/"):
        html = render_template("article.html", a=doc, body=[], story=[], zone=None, tz=None, aliases=[])
    assert "2016-12-16 16:19 (local time, zone unknown)" in html
    assert "2016-12-16T16:19:00Z" not in html and "16:19 UTC" not in html


def test_today_is_the_crawls_day_in_the_publishers_zone():
    # Crawled 2017-01-05 23:30 UTC: "heute" in Berlin is already the 6th (not the day the code runs).
    html = ('<html lang="de"><head><meta charset="utf-8"><title>Brücke</title>'
            '<meta name="date" content="Heute, 00:15 Uhr"></head><body><article><h1>Brücke</h1>'
            + "".join(f"<p>{p}</p>" for p in ARTICLE_PARAGRAPHS) + '</article></body></html>')
    p = ArticlePage("https://www.example-bote.de/a.html", html.encode(),
                    crawled_at=datetime(2017, 1, 5, 23, 30, tzinfo=timezone.utc))
    assert p.published_at() == "2017-01-05T23:15:00Z"        # 00:15 CET on the 6th


@pytest.mark.parametrize("caption", [
    '<figure><img src="/a.jpg" alt=""><figcaption>Fighting near the bridge, 24 April 2023</figcaption></figure>',
    '<div class="picBox"><img src="/a.jpg" alt=""><p>Fighting near the bridge, 24 April 2023</p></div>',
    '<div class="image-credit">Photo: J. Smith, 24.04.2023</div>',
])
def test_a_photo_captions_date_is_not_the_articles(caption):
    item = page("https://www.example-gazette.com/news/bridge.html", header=caption)
    assert item["published_at"] is None
    item = page("https://www.example-gazette.com/news/bridge.html",
                header=caption + '<p class="date">28 April 2023</p>')
    assert item["published_at"] == "2023-04-28"


def test_utc_instant_takes_its_local_offset_from_a_script_only_for_the_same_instant():
    same = '<script>window.meta = {"published": "2016-12-16T16:19:00-05:00"};</script>'
    other = '<script>window.meta = {"server": "2016-12-16T09:00:00-08:00"};</script>'
    item = page("https://www.example-gazette.com/news/bridge.html", head=ld(datePublished="2016-12-16T21:19:00Z"),
                html_extra=same)
    assert item["published_at_source"]["utc_offset"] == "-05:00"
    item = page("https://www.example-gazette.com/news/bridge.html", head=ld(datePublished="2016-12-16T21:19:00Z"),
                html_extra=other)
    assert item["published_at_source"]["utc_offset"] == "+00:00"       # as stated; no other clock borrowed


def test_a_date_printed_only_in_the_running_text_is_found_as_a_date_only():
    # An older design: no date markup, none in the URL or the header; the text after the article says it.
    item = page("https://www.example-gazette.com/news/bridge.html",
                html_extra='<footer><p>Published: 3 May 2016 | Archive</p></footer>')
    source = item["published_at_source"]
    assert item["published_at"] == "2016-05-03"
    assert (source["method"], source["precision"], source["has_time"]) == ("htmldate", "date", False)


def test_a_page_without_any_date_gets_none_and_no_date_after_its_crawl():
    assert page("https://www.example-gazette.com/news/bridge.html")["published_at"] is None
    later = page("https://www.example-gazette.com/news/bridge.html",
                 html_extra='<footer><p>Published: 3 May 2031</p></footer>')
    assert later["published_at"] is None or later["published_at"] <= CRAWLED.date().isoformat()


def test_a_year_in_the_text_is_not_made_into_a_date():
    # "a report on 1995 figures" is no publication date (htmldate's extensive search would say 1995-01-01).
    item = page("https://www.example-gazette.com/news/bridge.html",
                html_extra="<p>The board compared the quay's traffic with 1995 figures and 2003 forecasts.</p>")
    assert item["published_at"] is None


@pytest.mark.parametrize("printed, lang, expected", [
    ("Publicado el 12 de marzo de 2014", "es", "2014-03-12"),
    ("Publicado em 1º de março de 2014", "pt", "2014-03-01"),
    ("Posted on the 12th of March 2014 by admin", "en", "2014-03-12"),
    ("March 12th, 2014", "en", "2014-03-12"),
    ("2014年3月12日", "ja", "2014-03-12"),
])
def test_a_date_printed_under_the_headline_in_words_is_found(printed, lang, expected):
    # Older designs print the date under the headline in the language's own words, without markup.
    item = page("https://www.example-gazette.com/news/bridge.html", lang=lang, header=f"<div>{printed}</div>")
    assert item["published_at"] == expected
    assert item["published_at_source"]["method"] == "text"


TEASERS = "<ul class='teasers'>" + "".join(
    f"<li><a href='/t/{i}'>Another story about the harbour and its long history, part {i}</a></li>" for i in range(12)) + "</ul>"


def test_header_date_after_a_list_of_teaser_links_is_found():
    # Links (a teaser list between headline and byline) do not use up the header's length.
    item = page("https://www.example-gazette.com/news/bridge.html",
                header=f"{TEASERS}<div class='byline'>By Jane Smith - Friday, April 28, 2023</div>")
    assert item["published_at"] == "2023-04-28"


def test_date_line_just_above_the_headline_in_its_header_is_found():
    paras = "".join(f"<p>{p}</p>" for p in ARTICLE_PARAGRAPHS)
    html = ("<html lang='en'><head><title>Council backs new harbour bridge</title></head><body>"
            "<div class='masthead'>Tuesday, 5 December 2023</div><nav><a href='/'>Home</a></nav>"
            "<header><ul><li>NEWS FEATURE</li><li><span>03 November 2016</span></li></ul>"
            f"<h1>Council backs new harbour bridge</h1></header><div class='text'>{paras}</div></body></html>")
    item = dict(ArticlePage("https://www.example-gazette.com/news/bridge.html", html.encode(),
                            headers_content_type="text/html; charset=utf-8", crawled_at=CRAWLED).to_item())
    assert item["published_at"] == "2016-11-03"


def test_an_availability_date_is_not_the_publication_date():
    item = page("https://www.example-gazette.de/news/bridge.html", lang="de",
                header="<div>Video 02:57 Min. Verfügbar bis 06.05.2024</div><div>Stand: 22.04.2016, 06:00 Uhr</div>")
    assert item["published_at"].startswith("2016-04-22")


def test_a_mastheads_date_above_the_navigation_is_not_the_articles():
    paras = "".join(f"<p>{p}</p>" for p in ARTICLE_PARAGRAPHS)
    html = ("<html lang='en'><head><title>Council backs new harbour bridge</title></head><body><div id='page'>"
            "<div class='top'>Thursday, 5 January 2017</div><nav><a href='/'>Home</a><a href='/news'>News</a></nav>"
            f"<div class='story'><h1>Council backs new harbour bridge</h1><div class='text'>{paras}</div></div>"
            "</div></body></html>")
    item = dict(ArticlePage("https://www.example-gazette.com/news/bridge.html", html.encode(),
                            headers_content_type="text/html; charset=utf-8", crawled_at=CRAWLED).to_item())
    assert item["published_at"] is None
