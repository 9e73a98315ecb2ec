"""Titles as the reader sees them, on the generic path: a logo, a hidden element, a widget or a
section label is never the headline, and site names, section labels and bylines go when another
source on the page agrees without them; where the sources disagree otherwise, the choice by
source order stays."""

from datetime import datetime, timezone

import pytest

from conftest import ARTICLE_PARAGRAPHS
from newscrawl.article.fields import MAX_TITLE_CHARS
from newscrawl.pages import page_for
from newscrawl.pages.naming import MAX_H1_ELEMENTS

URL = "https://www.valleypost.co.uk/news/2024/reservoir-full.html"
CRAWLED = datetime(2024, 5, 6, 12, 0, tzinfo=timezone.utc)
HEADLINE = "Reservoir fuller than in a decade"
SITE = '<meta property="og:site_name" content="Valley Post">'
NAV = ('<nav class="main-nav"><a href="/">Home</a><a href="/news">News</a><a href="/sport">Sport</a>'
       '<a href="/topics/ski-jumping">Vierschanzentournee</a></nav>')


def page(head: str = "", body: str = "", doc_title: str = f"{HEADLINE} - Valley Post", url: str = URL):
    paras = "".join(f"<p>{p}</p>" for p in ARTICLE_PARAGRAPHS)
    html = (f'<html lang="en"><head><meta charset="utf-8"><title>{doc_title}</title>{SITE}{head}</head>'
            f'<body>{NAV}{body}<div class="story">{paras}</div></body></html>')
    return page_for(url, html.encode(), generic=True, crawled_at=CRAWLED)


def og(title: str) -> str:
    return f'<meta property="og:title" content="{title}">'


def ld(headline: str) -> str:
    return f'<script type="application/ld+json">{{"@type": "NewsArticle", "headline": "{headline}"}}</script>'


# ---- elements that are not the headline --------------------------------------------------------

@pytest.mark.parametrize("logo", [
    '<header><h1><a href="/"><img src="/logo.svg" alt="Engadget"></a></h1></header>',
    '<header><h1><a href="https://www.valleypost.co.uk/">Valley Post</a></h1></header>',
    '<h1>Valley Post</h1>',
    '<h1>The Valley Post</h1>',
    '<h1><svg><title>Valley Post Logo</title></svg> VALLEY POST</h1>',
    '<h1 class="site-title">Riverside Ramblings</h1>',
    '<div class="masthead"><h1><span>The daily paper</span></h1></div>',
    '<div role="banner"><h1>The daily paper</h1></div>',
])
def test_logo_h1_is_not_the_headline(logo):
    p = page(body=f'{logo}<article><h1>{HEADLINE}</h1></article>')
    assert p.h1() == HEADLINE
    assert p.title() == HEADLINE


def test_logo_h1_alone_gives_way_to_the_title_element():
    p = page(body='<header><h1><a href="/"><img src="/logo.svg" alt="Engadget"></a></h1></header>',
             doc_title=f"{HEADLINE} | Engadget")
    assert p.h1() is None
    assert p.title() == HEADLINE


@pytest.mark.parametrize("hidden", [
    '<h1 style="display: none">Latest news from the valley</h1>',
    '<h1 style="visibility:hidden">Latest news from the valley</h1>',
    '<h1 hidden>Latest news from the valley</h1>',
    '<div aria-hidden="true"><h1>Latest news from the valley</h1></div>',
    '<h1 class="title sr-only">Latest news from the valley</h1>',
    '<span class="visually-hidden"><h1>Latest news from the valley</h1></span>',
    '<noscript><h1>Latest news from the valley</h1></noscript>',
    '<template><h1>Latest news from the valley</h1></template>',
])
def test_hidden_h1_is_not_the_headline(hidden):
    p = page(body=f'{hidden}<article><h1>{HEADLINE}</h1></article>')
    assert p.h1() == HEADLINE


def test_hidden_h1_alone_gives_way_to_the_title_element():
    p = page(body='<h1 class="sr-only">Latest news from the valley</h1>')
    assert p.title() == HEADLINE


@pytest.mark.parametrize("shown", [
    '<h1 class="sr-only md:not-sr-only">{}</h1>',   # shown on larger screens
    '<h1 class="hidden lg:block">{}</h1>',
])
def test_h1_hidden_on_small_screens_only_is_the_headline(shown):
    assert page(body=shown.format(HEADLINE)).h1() == HEADLINE


@pytest.mark.parametrize("widget", [
    '<div id="goog-gt-tt" class="skiptranslate"><div><h1 class="title">Original text</h1></div></div>',
    '<div class="cookie-banner"><h1>We value your privacy</h1></div>',
    '<div class="newsletter-signup"><h1>Get the morning briefing</h1></div>',
    '<div role="dialog" aria-modal="true"><h1>Log in to continue</h1></div>',
    '<dialog><h1>Log in to continue</h1></dialog>',
])
def test_widget_h1_is_not_the_headline(widget):
    p = page(body=f'{widget}<article><h1>{HEADLINE}</h1></article>')
    assert p.h1() == HEADLINE


@pytest.mark.parametrize("container", [
    # Classes that mention a widget word without being one: a Drupal page wrapper, a WordPress
    # category, a paywalled article's wrapper.
    '<div class="dialog-off-canvas-main-canvas">{}</div>',
    '<div class="post category-newsletter">{}</div>',
    '<div class="story steady-paywall-container">{}</div>',
    '<body class="modal-open">{}</body>',
])
def test_article_containers_naming_widget_words_keep_their_h1(container):
    p = page(body=container.format(f"<h1>{HEADLINE}</h1>"))
    assert p.h1() == HEADLINE


def test_section_label_h1_is_not_the_headline():
    p = page(head=og(HEADLINE), body=f'<h1>Sport</h1><article><h2>{HEADLINE}</h2></article>')
    assert p.h1() is None
    assert p.title() == HEADLINE


def test_article_header_h1_is_no_banner():
    p = page(body=f'<article><header class="article-header"><h1 class="headline">{HEADLINE}</h1></header></article>')
    assert p.h1() == HEADLINE


def test_short_h1_with_an_inline_image_stays():
    p = page(head=og(HEADLINE), body='<h1><img src="/icons/live.svg" alt=""> Dam holds</h1>')
    assert p.h1() == "Dam holds"


def test_short_h1_that_is_no_navigation_label_stays():
    # Short, but not a section of the site: a headline of two words.
    p = page(head=og(HEADLINE), body='<h1>Dam holds</h1>')
    assert p.h1() == "Dam holds"



def test_h1_that_is_a_label_of_the_title_is_not_the_headline_and_leaves_it():
    # An older design: no metadata, the section's name as <h1> (not in a navigation bar), the
    # headline in an <h2>; the <title> says "Headline | Section | Site".
    p = page(body=f"<div id='top'><h1>Politics</h1></div><h2 class='title'>{HEADLINE}</h2>",
             doc_title=f"{HEADLINE} | Politics | Valley Post")
    assert p.h1() is None
    assert p.title() == HEADLINE


def test_h1_headline_shorter_than_the_site_name_in_the_title_stays():
    p = page(body="<h1>Flood</h1>", doc_title="Flood - The Valley Post Online")
    assert p.h1() == "Flood"


@pytest.mark.parametrize("doc_title", [f"Valley Post: {HEADLINE}", f"{HEADLINE} « Valley Post"])
def test_site_name_as_a_kicker_or_after_guillemets_goes_from_a_lone_title(doc_title):
    assert page(doc_title=doc_title).title() == HEADLINE


# ---- labels around the headline ----------------------------------------------------------------

def test_trailing_section_goes_when_h1_and_title_agree_without_it():
    p = page(head=og(f"{HEADLINE} | Sport"), body=f"<h1>{HEADLINE}</h1>")
    assert p.title() == HEADLINE


def test_leading_section_goes_when_h1_and_twitter_title_agree_without_it():
    head = og(f"Vierschanzentournee | {HEADLINE}") + f'<meta name="twitter:title" content="{HEADLINE}">'
    p = page(head=head, body=f"<h1>{HEADLINE}</h1>", doc_title=f"Vierschanzentournee | {HEADLINE}")
    assert p.title() == HEADLINE


def test_site_and_byline_go_from_the_title():
    head = og(f"{HEADLINE} * The Valley Post * by Paul Serran")
    p = page(head=head, body=f"<h1>{HEADLINE}</h1>", doc_title=f"{HEADLINE} * The Valley Post * by Paul Serran")
    assert p.title() == HEADLINE


def test_own_section_goes_when_only_the_h1_leaves_it_out():
    # The article's own section (article:section, a breadcrumb): a label even when the visible
    # <h1> alone is without it.
    head = og(f"{HEADLINE} | Rivers") + '<meta property="article:section" content="Rivers">'
    p = page(head=head, body=f"<h1>{HEADLINE}</h1>", doc_title=f"{HEADLINE} | Rivers | Valley Post")
    assert p.title() == HEADLINE
    crumbs = ('<script type="application/ld+json">{"@type": "BreadcrumbList", "itemListElement": ['
              '{"@type": "ListItem", "position": 1, "name": "Rivers"},'
              f'{{"@type": "ListItem", "position": 2, "name": "{HEADLINE}"}}]}}</script>')
    p = page(head=og(f"Rivers - {HEADLINE}") + crumbs, body=f"<h1>{HEADLINE}</h1>", doc_title=f"Rivers - {HEADLINE}")
    assert p.title() == HEADLINE


def test_author_name_goes_when_h1_and_headline_agree_without_it():
    head = og(f"{HEADLINE} | Paul Serran") + '<meta name="author" content="Paul Serran">'
    p = page(head=head, body=f"<h1>{HEADLINE}</h1>")
    assert p.title() == HEADLINE


def test_section_label_goes_from_a_json_ld_headline_too():
    p = page(head=ld(f"{HEADLINE} – Sport") + og(HEADLINE), body=f"<h1>{HEADLINE}</h1>")
    assert p.title() == HEADLINE


def test_kicker_that_is_no_label_stays():
    # "Floods:" is the headline's own kicker (no section, author or site): the sources disagree on
    # it, so the JSON-LD headline stays.
    p = page(head=ld(f"Floods: {HEADLINE}") + og(HEADLINE), body=f"<h1>{HEADLINE}</h1>")
    assert p.title() == f"Floods: {HEADLINE}"


def test_section_kept_when_nothing_agrees_without_it():
    p = page(head=og(f"{HEADLINE} | Sport"), body="<h1>Dam opens its spillway gates again</h1>",
             doc_title=f"{HEADLINE} | Sport")
    assert p.title() == f"{HEADLINE} | Sport"


def test_section_kept_when_only_the_h1_leaves_it_out():
    # Every metadata source carries the label: an <h1> alone may just be shorter.
    p = page(head=ld(f"{HEADLINE} - Sport") + og(f"{HEADLINE} - Sport"), body=f"<h1>{HEADLINE}</h1>",
             doc_title=f"{HEADLINE} - Sport")
    assert p.title() == f"{HEADLINE} - Sport"


def test_different_headlines_keep_the_source_order():
    # An SEO headline in JSON-LD and another in <h1> and og:title: which one is the publisher's is
    # not on the page, so the JSON-LD one stays (as before).
    p = page(head=ld("Reservoir at record level as dry summer ends early") + og(HEADLINE), body=f"<h1>{HEADLINE}</h1>")
    assert p.title() == "Reservoir at record level as dry summer ends early"


def test_publisher_og_title_hint_still_drops_agreed_labels():
    # n-tv.de's headline is its og:title (newscrawl/pages/hints.py): a label on it goes when the
    # JSON-LD headline and <title> agree without it.
    html = (f'<html><head><title>{HEADLINE} - n-tv.de</title>{og(HEADLINE + " | Sport")}{ld(HEADLINE)}'
            '<meta property="article:section" content="Sport"></head>'
            f'<body><h1>{HEADLINE}</h1>{"".join(f"<p>{p}</p>" for p in ARTICLE_PARAGRAPHS)}</body></html>')
    p = page_for("https://www.n-tv.de/sport/reservoir-article1.html", html.encode(), crawled_at=CRAWLED)
    assert p.headline_from() == "og:title"
    assert p.title() == HEADLINE


# ---- hostile pages -----------------------------------------------------------------------------

def test_many_h1s_are_read_up_to_a_bound():
    hidden = "<h1 hidden>Latest</h1>" * 10_000
    p = page(body=f"{hidden}<h1>{HEADLINE}</h1>")
    assert MAX_H1_ELEMENTS < 10_000
    assert p.h1() is None     # the visible one comes after the bound
    assert p.title() == HEADLINE


def test_megabyte_title_and_og_title_are_cut():
    huge = "Reservoir | " * 90_000
    p = page(head=og(huge), doc_title=huge, body=f"<h1>{'x' * 1_000_000}</h1>")
    title = p.title()
    assert title and len(title) <= 4 * MAX_TITLE_CHARS


def test_nested_menus_of_huge_links_are_read_once_and_cut():
    link = f'<a href="/rivers">Rivers {"x" * 1_000_000}</a>'
    nested = '<div class="menu">' * 300 + link + "</div>" * 300
    head = og(f"{HEADLINE} | Sport") + f'<meta name="twitter:title" content="{HEADLINE}">'
    p = page(head=head, body=nested + f"<h1>{HEADLINE}</h1>")
    assert p.title() == HEADLINE
    long_labels = [label for label in p._nav_labels if label.startswith("Rivers")]
    assert len(long_labels) <= 1 and all(len(label) <= 200 for label in long_labels)
