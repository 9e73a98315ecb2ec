"""The one item contract: every spider yields :class:`Article`.

``ARTICLE_FIELDS`` documents each field (type and meaning); README.md renders the same table and
``tests/test_items.py`` checks that the two agree and that every field is declared on the item.

"Plain text" fields hold text as a browser would show it: markup removed (a script's content with
it), character references decoded exactly once. They are text, not HTML: a display must escape
them. No string of an item holds lone surrogates, NUL or other C0 controls but tab and newline.
"""

import scrapy

# Caps on the text a page gives (issue 17): a field over its cap is cut ("…" at a word boundary for
# single strings; lists keep their first entries), never the article dropped. Each is far above
# what real pages use (the 136 development pages: titles <= 119 characters, descriptions <= 648,
# tags <= 149 and 37 of them, <= 9 authors, <= 5 sections), so only junk or hostile values are cut.
MAX_TITLE_CHARS = 1_000         # headlines run to ~300 characters at most
MAX_SUMMARY_CHARS = 5_000       # a standfirst or description is a paragraph or two
MAX_SOURCE_NAME_CHARS = 200     # a publisher's name
MAX_AUTHORS = 30                # a long byline; more is a list of every contributor to the site
MAX_AUTHOR_CHARS = 200
MAX_TAGS = 50
MAX_TAG_CHARS = 200
MAX_SECTIONS = 10
MAX_SECTION_CHARS = 200
MAX_LANGUAGE_CHARS = 35         # BCP 47's recommended maximum length of a tag; longer ones are not read
# `image`: at most urls.MAX_URL_CHARS (4096); `body`: bounded by the page (NEWSCRAWL_MAX_PAGE_BYTES,
# 8 MiB: larger pages are dropped before parsing).

# name -> (type, meaning). Types use JSON terms; "str|null" means the field may be None.
ARTICLE_FIELDS = {
    "url": ("str", "Canonical article URL (rel=canonical / og:url on the same site, else the fetched URL); "
                   "scheme and host lower-cased, fragment and tracking parameters removed."),
    "fetched_url": ("str", "The URL actually fetched, after redirects."),
    "source": ("str", "Stable slug of the source: the spider's source slug, or the registered domain "
                      "(e.g. `lemonde.fr`) on the generic path."),
    "source_name": ("str", "Human name of the source (\"Le Monde\"); generic path: the name the page gives (og:site_name, "
                            "app name, JSON-LD publisher or the site's Organization/WebSite, the <title> part naming the "
                            "site), a bare domain only when it gives no other name, else the registered domain. "
                            "Plain text, at most 200 characters."),
    "title": ("str", "The headline alone, without site-name prefixes or suffixes. Plain text, at most 1,000 "
                     "characters (cut at a word with `…`)."),
    "summary": ("str|null", "Standfirst / lede, else the page's description; null when there is none. Plain "
                            "text, at most 5,000 characters (cut at a word with `…`)."),
    "body": ("str", "Full article text as a reader sees it, lede included; paragraphs and intertitles each "
                    "a paragraph, separated by one blank line. Plain text; bounded by the page, which is at "
                    "most `NEWSCRAWL_MAX_PAGE_BYTES` (8 MiB)."),
    "authors": ("list[str]", "Person names, without \"By\", roles, initials or duplicates; the publishing "
                             "organisation only when the page names no person. Plain text, at most 30 names "
                             "of at most 200 characters."),
    "published_at": ("str|null", "Publication instant in UTC, ISO 8601 with `Z` (`2024-05-03T15:47:42Z`); "
                                 "a bare date (`2024-05-03`) when the page gives no time of day."),
    "published_at_source": ("object|null", "Where `published_at` came from: `method` (jsonld, meta, microdata, "
                                           "time, url), `has_time`, `has_zone` (the page gave an offset or zone), "
                                           "`zone_guess` (the zone a wall time without offset was read in: source "
                                           "table, country domain or declared language; null if none), "
                                           "`utc_offset` (local offset of the published time, e.g. `+02:00`), "
                                           "`raw` (the value as found, at most 100 characters). Present only when "
                                           "true: `ambiguous` (the wall time occurs twice in its zone, the autumn "
                                           "change: the first occurrence, in summer time, is the instant), "
                                           "`nonexistent` (the wall time falls in the spring gap: read with the "
                                           "offset before the change, so 02:30 in a 02:00->03:00 gap is 03:30 "
                                           "after it), `leap_second` (second 60, e.g. `23:59:60`: the instant is "
                                           "clamped to second 59)."),
    "modified_at": ("str|null", "Last-modified instant in UTC, same format as `published_at`, when declared."),
    "image": ("str|null", "Main image URL: absolute http(s), at most 4,096 characters; null otherwise "
                          "(a `javascript:` or `data:` image is dropped)."),
    "section": ("list[str]", "Sections / categories the page declares. Plain text, at most 10 of at most "
                             "200 characters."),
    "tags": ("list[str]", "Keywords / tags the page declares. Plain text, at most 50 of at most 200 characters."),
    "declared_language": ("str|null", "Language the page declares (html lang, og:locale, JSON-LD inLanguage), "
                                      "as a lower-case BCP 47 tag (`fr`, `pt-br`) of at most 35 characters."),
    "is_paywalled": ("bool", "The page is a paywalled teaser or declares `isAccessibleForFree: false`."),
    "crawled_at": ("str", "When the page was fetched, UTC ISO 8601 with `Z`; for archives, the record's date."),
    # Added by the pipelines.
    "language": ("str", "Detected language, ISO 639-1 (`zh` for Chinese, `no` for Norwegian), or `und`."),
    "language_confidence": ("float", "langdetect's probability for `language` (0 when not detected)."),
    "language_method": ("str", "`detected`, `declared` (the page's declaration was kept) or `none`."),
    "content_hash": ("str", "SHA-1 of the normalised body: equal for exact copies."),
    "story_id": ("str", "Shared by all copies of the same story (near-duplicates across sources and runs)."),
    "duplicate_of": ("str|null", "For an exact copy seen earlier in the run: the first URL (stored as an alias)."),
}

# Pipeline fields for storage only, not exported to feeds (FEED_EXPORT_FIELDS lists the public ones).
INTERNAL_FIELDS = {
    "title_hash": "SHA-1 of the normalised title, for revision tracking.",
    "minhash": "MinHash signature (128 x uint32, little-endian bytes) of the title and body.",
    "lsh_bands": "LSH band keys of the signature, indexed for near-duplicate lookups.",
}


class Article(scrapy.Item):
    url = scrapy.Field()
    fetched_url = scrapy.Field()
    source = scrapy.Field()
    source_name = scrapy.Field()
    title = scrapy.Field()
    summary = scrapy.Field()
    body = scrapy.Field()
    authors = scrapy.Field()
    published_at = scrapy.Field()
    published_at_source = scrapy.Field()
    modified_at = scrapy.Field()
    image = scrapy.Field()
    section = scrapy.Field()
    tags = scrapy.Field()
    declared_language = scrapy.Field()
    is_paywalled = scrapy.Field()
    crawled_at = scrapy.Field()
    language = scrapy.Field()
    language_confidence = scrapy.Field()
    language_method = scrapy.Field()
    content_hash = scrapy.Field()
    story_id = scrapy.Field()
    duplicate_of = scrapy.Field()
    title_hash = scrapy.Field()
    minhash = scrapy.Field()
    lsh_bands = scrapy.Field()


def fields_table() -> str:
    """ARTICLE_FIELDS as the Markdown table README.md shows (`python -m newscrawl.items`)."""
    rows = ["| field | type | meaning |", "|---|---|---|"]
    rows += [f"| `{name}` | {kind.replace('|', ' or ')} | {meaning} |" for name, (kind, meaning) in ARTICLE_FIELDS.items()]
    return "\n".join(rows)


if __name__ == "__main__":
    print(fields_table())
