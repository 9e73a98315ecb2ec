"""parse_discovery: sitemap index, urlset, Google News sitemap, RSS 2.0, RSS 1.0 (RDF), Atom;
anything else is a ValueError; hostile XML is neither expanded nor fetched."""

import gzip
import time
from datetime import datetime, timezone

import pytest

from newscrawl.discovery import Entry, parse_discovery


def utc(*args) -> datetime:
    return datetime(*args, tzinfo=timezone.utc)


def test_sitemap_index():
    found = parse_discovery(b"""<?xml version="1.0" encoding="UTF-8"?>
<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">
  <sitemap><loc> https://www.valleypost.co.uk/sitemap-2024-05.xml </loc><lastmod>2024-05-03T10:00:00+02:00</lastmod></sitemap>
  <sitemap><loc>https://www.valleypost.co.uk/sitemap-2024-04.xml.gz</loc></sitemap>
  <sitemap><lastmod>2024-05-01</lastmod></sitemap>
</sitemapindex>""")
    assert found.kind == "sitemapindex"
    assert found.entries == [
        Entry("https://www.valleypost.co.uk/sitemap-2024-05.xml", utc(2024, 5, 3, 8, 0)),
        Entry("https://www.valleypost.co.uk/sitemap-2024-04.xml.gz", None),
    ]


def test_urlset():
    found = parse_discovery(b"""<?xml version="1.0" encoding="UTF-8"?>
<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9" xmlns:image="http://www.google.com/schemas/sitemap-image/1.1">
  <url><loc>https://www.valleypost.co.uk/a?x=1&amp;y=2</loc><lastmod>2024-05-02</lastmod><changefreq>daily</changefreq>
       <image:image><image:loc>https://img.valleypost.co.uk/a.jpg</image:loc></image:image></url>
  <url><loc>https://www.valleypost.co.uk/b</loc></url>
  <url><lastmod>2024-05-02</lastmod></url>
</urlset>""")
    assert found.kind == "urlset"
    assert found.entries == [Entry("https://www.valleypost.co.uk/a?x=1&y=2", utc(2024, 5, 2)),
                             Entry("https://www.valleypost.co.uk/b", None)]


def test_google_news_sitemap_prefers_publication_date_over_lastmod():
    found = parse_discovery("""<?xml version="1.0" encoding="UTF-8"?>
<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9" xmlns:news="http://www.google.com/schemas/sitemap-news/0.9">
  <url><loc>https://www.valleypost.co.uk/news/ferry</loc><lastmod>2024-05-06T09:00:00Z</lastmod>
    <news:news><news:publication><news:name>Valley Post</news:name><news:language>en</news:language></news:publication>
      <news:publication_date>2024-05-03T17:47:42+02:00</news:publication_date>
      <news:title>Harbour ferry returns – after two years</news:title></news:news></url>
  <url><loc>https://www.valleypost.co.uk/news/dam</loc>
    <news:news><news:publication_date>2024-05-02</news:publication_date><news:title>Dam</news:title></news:news></url>
</urlset>""".encode("utf-8"))
    assert found.kind == "urlset"
    assert found.entries == [
        Entry("https://www.valleypost.co.uk/news/ferry", utc(2024, 5, 3, 15, 47, 42), "Harbour ferry returns – after two years"),
        Entry("https://www.valleypost.co.uk/news/dam", utc(2024, 5, 2), "Dam"),
    ]


def test_rss2():
    found = parse_discovery(b"""<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0" xmlns:dc="http://purl.org/dc/elements/1.1/"><channel>
  <title>Valley Post</title><link>https://www.valleypost.co.uk/</link>
  <item><title>Ferry returns</title><link>https://www.valleypost.co.uk/ferry</link>
    <pubDate>Fri, 03 May 2024 17:47:42 +0200</pubDate></item>
  <item><title>Guid first</title><guid isPermaLink="false">vp-20240502-77</guid>
    <link>https://www.valleypost.co.uk/dam</link><dc:date>2024-05-02T08:00:00Z</dc:date></item>
  <item><title>Permalink guid only</title><guid>https://www.valleypost.co.uk/guid-only</guid></item>
  <item><title>No link at all</title><guid isPermaLink="false">vp-1</guid><description>x</description></item>
  <item><title>Relative link</title><link>/relative</link></item>
</channel></rss>""")
    assert found.kind == "feed"
    assert found.entries == [
        Entry("https://www.valleypost.co.uk/ferry", utc(2024, 5, 3, 15, 47, 42), "Ferry returns"),
        # Regression: a non-URL <guid> before <link> used to hide the link and lose the entry.
        Entry("https://www.valleypost.co.uk/dam", utc(2024, 5, 2, 8, 0), "Guid first"),
        Entry("https://www.valleypost.co.uk/guid-only", None, "Permalink guid only"),
    ]


def test_rss1_rdf():
    found = parse_discovery(b"""<?xml version="1.0"?>
<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns="http://purl.org/rss/1.0/"
         xmlns:dc="http://purl.org/dc/elements/1.1/">
  <channel rdf:about="https://www.valleypost.co.uk/"><title>Valley Post</title><link>https://www.valleypost.co.uk/</link>
    <items><rdf:Seq><rdf:li rdf:resource="https://www.valleypost.co.uk/r1"/></rdf:Seq></items></channel>
  <item rdf:about="https://www.valleypost.co.uk/r1"><title>R1</title><link>https://www.valleypost.co.uk/r1</link>
    <dc:date>2024-05-03T10:00:00+02:00</dc:date></item>
  <item rdf:about="https://www.valleypost.co.uk/r2"><title>R2</title><link>https://www.valleypost.co.uk/r2</link></item>
</rdf:RDF>""")
    assert found.kind == "feed"
    assert found.entries == [Entry("https://www.valleypost.co.uk/r1", utc(2024, 5, 3, 8, 0), "R1"),
                             Entry("https://www.valleypost.co.uk/r2", None, "R2")]


def test_atom():
    found = parse_discovery(b"""<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom">
  <title>Valley Post</title><link rel="self" href="https://www.valleypost.co.uk/atom.xml"/>
  <entry><title>Updated first</title><id>tag:valleypost.co.uk,2020:1</id>
    <updated>2024-05-06T00:00:00Z</updated><published>2020-01-02T03:04:05Z</published>
    <link rel="edit" href="https://www.valleypost.co.uk/edit/1"/>
    <link rel="alternate" type="text/html" href="https://www.valleypost.co.uk/old-story"/></entry>
  <entry><title>Implicit alternate</title><link href="https://www.valleypost.co.uk/new-story"/>
    <updated>2024-05-05T12:00:00Z</updated></entry>
</feed>""")
    assert found.kind == "feed"
    assert found.entries == [
        # Regression: <updated> listed before <published> was taken as the publication date.
        Entry("https://www.valleypost.co.uk/old-story", utc(2020, 1, 2, 3, 4, 5), "Updated first"),
        Entry("https://www.valleypost.co.uk/new-story", utc(2024, 5, 5, 12, 0), "Implicit alternate"),
    ]


def test_byte_order_mark_and_leading_whitespace():
    body = b"\xef\xbb\xbf\n  <urlset xmlns='http://www.sitemaps.org/schemas/sitemap/0.9'><url><loc>https://a.example/x</loc></url></urlset>"
    assert parse_discovery(body).entries == [Entry("https://a.example/x")]


@pytest.mark.parametrize("body", [
    b"",
    b"   \n",
    b"this is not xml",
    b'{"urls": ["https://a.example/x"]}',
    b"<html><body><a href='https://a.example/x'>x</a></body></html>",
    b"\x00\x01\x02\x03",
    gzip.compress(b"<urlset/>"),     # the spider gunzips first; the parser gets XML only
])
def test_garbage_is_a_value_error(body):
    with pytest.raises(ValueError):
        parse_discovery(body)


def test_billion_laughs_is_not_expanded():
    levels = "".join(f'<!ENTITY lol{i} "{f"&lol{i - 1};" * 10}">' for i in range(2, 10))
    body = f"""<?xml version="1.0"?>
<!DOCTYPE urlset [<!ENTITY lol1 "lol">{levels}]>
<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"><url><loc>https://a.example/&lol9;</loc></url></urlset>""".encode()
    start = time.perf_counter()
    try:
        found = parse_discovery(body)
    except ValueError:
        found = None
    assert time.perf_counter() - start < 2
    if found is not None:
        assert all(len(e.url) < 100 and "lol" not in e.url for e in found.entries)


def test_internal_entities_are_not_substituted():
    # The parser keeps entity references unresolved (resolve_entities=False): no expansion at all,
    # which is what makes the billion laughs above harmless whatever libxml2's own limits are.
    body = b"""<?xml version="1.0"?><!DOCTYPE urlset [<!ENTITY e "evil-path">]>
<urlset><url><loc>https://a.example/&e;</loc></url></urlset>"""
    assert all("evil" not in e.url for e in parse_discovery(body).entries)


def test_external_entities_are_not_read(tmp_path):
    secret = tmp_path / "secret.txt"
    secret.write_text("TOPSECRET")
    body = f"""<?xml version="1.0"?>
<!DOCTYPE urlset [<!ENTITY xxe SYSTEM "file://{secret}">]>
<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"><url><loc>https://a.example/&xxe;</loc></url></urlset>""".encode()
    try:
        found = parse_discovery(body)
    except ValueError:
        return
    assert not any("TOPSECRET" in e.url for e in found.entries)
