"""newscrawl.extract.titles: a headline's parts, site names stripped, and the vote among the page's
headline sources (labels dropped only where another source agrees without them)."""

import pytest

from newscrawl.extract.titles import (MAX_VOTE_SEGMENTS, agreed_title, choose_title, site_name_keys,
                                      strip_site_name, title_segments)

HEADLINE = "Reservoir fuller than in a decade"
SITE = site_name_keys(["Valley Post", "valleypost.co.uk", "valleypost"])


def labels(*names):
    from newscrawl.extract.titles import _label_keys
    return lambda: _label_keys(names)


@pytest.mark.parametrize("title, parts", [
    ("A headline * The Gateway Pundit * by Paul Serran", ["A headline", "The Gateway Pundit", "by Paul Serran"]),
    ("Sport :: A headline", ["Sport", "A headline"]),
    ("A headline • Valley Post", ["A headline", "Valley Post"]),
    ("Floods:reservoir", ["Floods:reservoir"]),
])
def test_title_segments(title, parts):
    assert title_segments(title) == parts


def test_site_and_byline_stripped_at_star_separators():
    assert strip_site_name(f"{HEADLINE} * Valley Post * by Paul Serran", ["Valley Post"]) == HEADLINE


@pytest.mark.parametrize("best, h1, others, expected", [
    # A section after or before the headline, an author's name, a date: gone when two sources agree.
    (f"{HEADLINE} | Sport", HEADLINE, [f"{HEADLINE} | Sport", HEADLINE], HEADLINE),
    (f"Vierschanzentournee | {HEADLINE}", HEADLINE, [HEADLINE], HEADLINE),
    (f"{HEADLINE} | Paul Serran", HEADLINE, [HEADLINE], HEADLINE),
    (f"Sport - {HEADLINE} - 28.04.2023", HEADLINE, [HEADLINE], HEADLINE),
    # Quote styles do not split a vote; the chosen source's text is kept.
    ("‘Dam holds’ says the water board | Sport", "'Dam holds' says the water board",
     ["\u201cDam holds\u201d says the water board"], "‘Dam holds’ says the water board"),
])
def test_labels_dropped_where_sources_agree_without_them(best, h1, others, expected):
    assert agreed_title(best, h1, others, SITE, labels("Sport", "Vierschanzentournee", "Paul Serran")) == expected


@pytest.mark.parametrize("best, h1, others", [
    # Only the <h1> leaves the label out: one source alone does not make a vote.
    (f"{HEADLINE} | Sport", HEADLINE, [f"{HEADLINE} | Sport", f"{HEADLINE} | Sport"]),
    # A kicker that is no label is the headline's own.
    (f"Floods: {HEADLINE}", HEADLINE, [HEADLINE]),
    (f"Neue Leipziger Schule | {HEADLINE}", HEADLINE, [HEADLINE]),
    # A different headline (an SEO variant) is no vote on labels.
    ("Reservoir at record level as dry summer ends early", HEADLINE, [HEADLINE]),
    # Two words are not a headline the rest could be labels of.
    ("Dam holds | Sport", "Dam holds", ["Dam holds"]),
])
def test_best_kept_when_sources_do_not_agree_on_labels(best, h1, others):
    assert agreed_title(best, h1, others, SITE, labels("Sport")) is None


def test_label_longer_than_the_headline_is_kept():
    best = "Sport | Dam holds up"
    assert agreed_title(best, "Dam holds up", ["Dam holds up"], SITE, labels("Dam holds up")) is None
    assert agreed_title("Dam holds up | Sport news of the day from around the valley", "Dam holds up",
                        ["Dam holds up"], SITE, labels("Sport news of the day from around the valley")) is None


def test_h1_alone_drops_only_the_articles_own_labels():
    best = f"{HEADLINE} | Sport"
    others = [best, best]
    assert agreed_title(best, HEADLINE, others, SITE, labels("Sport"), own_labels=labels("Sport")) == HEADLINE
    assert agreed_title(best, HEADLINE, others, SITE, labels("Sport"), own_labels=labels()) is None
    # Not for another source alone.
    assert agreed_title(best, "", [best, HEADLINE], SITE, labels("Sport"), own_labels=labels("Sport")) is None


def test_without_following_h1_other_sources_still_vote():
    # A publisher whose headline is og:title: the <h1> does not vote, JSON-LD and <title> do.
    best = f"{HEADLINE} | Sport"
    assert agreed_title(best, HEADLINE, [best], SITE, labels("Sport"), follow_h1=False) is None
    assert agreed_title(best, HEADLINE, [HEADLINE, best, HEADLINE], SITE, labels("Sport"), follow_h1=False) == HEADLINE


def test_choose_title_votes_after_the_source_order():
    title = choose_title(headline="", og_title=f"{HEADLINE} | Sport", h1=HEADLINE,
                         doc_title=f"{HEADLINE} | Valley Post", site_names=["Valley Post"], labels=["Sport"])
    assert title == HEADLINE
    # Nothing agrees without the section: today's choice.
    title = choose_title(headline="", og_title=f"{HEADLINE} | Sport", h1="Dam opens its gates again",
                         doc_title=f"{HEADLINE} | Sport", site_names=["Valley Post"], labels=["Sport"])
    assert title == f"{HEADLINE} | Sport"


def test_titles_of_many_parts_are_not_voted_on():
    best = " | ".join(["Sport"] * (MAX_VOTE_SEGMENTS + 5) + [HEADLINE])
    assert agreed_title(best, HEADLINE, [HEADLINE], SITE, labels("Sport")) is None
    junk = "a | " * 100_000
    assert agreed_title(junk, junk[:2000], [junk[:2000]], SITE, labels("a")) is None
