"""Publisher hints for pages that take the generic path (publishers without a module in
newscrawl/publishers/).

Most publishers put the headline they show in JSON-LD ``headline``, which the generic page reads
first. Some write two headlines: an SEO one in JSON-LD (often also the <h1>) and the editorial one
in ``og:title``, the headline their own feeds, apps and social cards carry. Nothing on a page says
which of the two is the publisher's headline, so it is a per-publisher fact, kept here by
registered domain and checked on the publisher's pages (see ``tests/pages/test_pages.py``).
"""

# Publishers whose headline is og:title (their JSON-LD headline is a longer SEO variant, or
# carries a kicker such as "Olympische Spiele:" that og:title leaves out).
HEADLINE_FROM_OG_TITLE = frozenset({
    "businessinsider.com",
    "businessinsider.de",
    "euronews.com",
    "express.co.uk",
    "latimes.com",
    "mirror.co.uk",
    "n-tv.de",
    "standard.co.uk",
    "stuttgarter-zeitung.de",
    "tageblatt.lu",
    "tagesanzeiger.ch",
    "thegatewaypundit.com",
})


def headline_field(registered_domain: str) -> str | None:
    """The metadata field holding a publisher's headline, when it is not JSON-LD's."""
    return "og:title" if registered_domain in HEADLINE_FROM_OG_TITLE else None
