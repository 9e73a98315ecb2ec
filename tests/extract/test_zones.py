"""The zone of a publisher's country: named only when the country and its clock are known."""

import pytest

from newscrawl.extract.zones import guess_zone, guess_zone_rule, language_region, zone_from_domain


@pytest.mark.parametrize("url, zone", [
    ("https://www.faz.net/aktuell/x.html", None),                 # .net: no country
    ("https://www.spiegel.de/politik/x.html", "Europe/Berlin"),
    ("https://www.bbc.co.uk/news/x", "Europe/London"),            # .uk is the TLD of GB
    ("https://www.eltiempo.com.co/x", "America/Bogota"),          # Colombia's second level
    ("https://news.example.co/x", None),                          # .co sold as a generic name
    ("https://example.io/x", None),
    ("https://www.folha.com.br/x", "America/Sao_Paulo"),          # several zones, one dominant
    ("https://www.example.com.au/x", None),                       # several zones, none dominant
    ("https://www.example.ca/x", None),
    ("https://www.example.us/x", None),
    ("https://[::1]/x", None), ("http://127.0.0.1/x", None), ("not a url", None), ("", None),
    ("https://" + "a." * 3000 + "de/x", None),                    # beyond the URL bound: no host read
])
def test_zone_from_domain(url, zone):
    assert zone_from_domain(url) == zone


@pytest.mark.parametrize("url, tags, expected", [
    ("https://www.example.com/x", ["en-GB"], ("Europe/London", "locale_region")),
    ("https://www.example.com/x", ["en", "en_IE"], ("Europe/Dublin", "locale_region")),
    ("https://www.example.com/x", ["de-AT"], ("Europe/Vienna", "locale_region")),
    ("https://www.example.com/x", ["en-US"], None),               # four zones, none by far the main one
    ("https://www.example.com/x", ["en"], None),                  # English says nothing of a country
    ("https://www.example.com/x", ["es"], None),                  # Spain and the Americas
    ("https://www.example.com/x", ["pt"], None),                  # Portugal and Brazil
    ("https://www.example.com/x", ["fr"], None),                  # France, Canada, Africa
    ("https://www.example.com/x", ["de"], ("Europe/Berlin", "language")),  # Germany, Austria, Switzerland: CET
    ("https://www.example.com/x", ["ko"], ("Asia/Seoul", "language")),
    ("https://www.example.it/x", ["de"], ("Europe/Rome", "country_domain")),  # the domain before the language
    ("https://www.example.com/x", ["x" * 5000], None),
    ("https://www.example.com/x", [None, 7, "en-GB"], ("Europe/London", "locale_region")),
])
def test_guess_zone_rule(url, tags, expected):
    assert guess_zone_rule(url, tags) == expected


def test_guess_zone_takes_one_tag():
    assert guess_zone("https://www.example.com/x", "en-NZ") == "Pacific/Auckland"
    assert guess_zone("https://www.example.com/x", None) is None


@pytest.mark.parametrize("tag, expected", [
    ("en-GB", ("en", "gb")), ("de_AT", ("de", "at")), ("zh-Hant-TW", ("zh", "tw")), ("en", ("en", "")),
    ("es-419", ("es", "")), ("", ("", "")), (None, ("", "")), ("x" * 100, ("", "")),
])
def test_language_region(tag, expected):
    assert language_region(tag) == expected
