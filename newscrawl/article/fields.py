"""Every field of an article, declared once: name, type, meaning, who sets it, cap.

Everything else is derived from ``FIELDS``: the Scrapy item ``Article`` (every field a page or a
pipeline sets), the public fields feeds export (``PUBLIC_FIELDS``, in this order), the stored
document's keys (``newscrawl.article.document``), the caps pages cut text to (``MAX_*``) and the two
docs tables (``python -m newscrawl.article.fields`` in docs/crawling.md and ``... stored`` in
docs/storage.md; tests/article/ checks the docs show them).

"Plain text" fields hold text as a browser would show it: markup removed (a script's content with
it), character references decoded exactly once. They are text, not HTML: a display must escape
them. No string of an item holds lone surrogates, NUL or other C0 controls but tab and newline.

Caps (issue 17): a field over its cap is cut ("…" at a word boundary for single strings; lists keep
their first entries), never the article dropped. Each is far above what real pages use (the 136
development pages: titles <= 119 characters, descriptions <= 648, tags <= 149 and 37 of them, <= 9
authors, <= 5 sections), so only junk or hostile values are cut.
"""

from __future__ import annotations

import sys
from dataclasses import dataclass

import scrapy

from newscrawl.extract.urls import MAX_URL_CHARS

PAGE, DEDUPE, LANGUAGE, STORE = "page", "dedupe pipeline", "language pipeline", "store"


@dataclass(frozen=True)
class ArticleField:
    name: str
    type: str | None            # type on the item, in JSON terms ("str|null": may be None); None: not on it
    meaning: str                # may name the caps: {max_chars:,} and {max_items}
    set_by: str                 # PAGE, DEDUPE, LANGUAGE or STORE (the store alone: not on the item)
    bson: str | None            # BSON type in the stored document; None: not stored
    stored_meaning: str = "as in the Article item"
    public: bool = True         # exported to feeds; False: an internal pipeline field, stored only
    max_chars: int | None = None
    max_items: int | None = None

    @property
    def on_item(self) -> bool:
        return self.set_by != STORE

    def describe(self) -> str:
        return self.meaning.format(max_chars=self.max_chars, max_items=self.max_items)


_LANGUAGE_CAP = 35   # BCP 47's recommended maximum length of a tag; longer ones are not read

FIELDS: tuple[ArticleField, ...] = (
    ArticleField(
        "url", "str", "Canonical article URL (rel=canonical / og:url on the same site, else the fetched URL); "
        "scheme and host lower-cased, fragment and tracking parameters removed.", PAGE,
        "string", "canonical URL; unique"),
    ArticleField("fetched_url", "str", "The URL actually fetched, after redirects.", PAGE, "string or null"),
    ArticleField(
        "source", "str", "Stable slug of the source: the spider's source slug, or the registered domain "
        "(e.g. `lemonde.fr`) on the generic path.", PAGE, "string or null"),
    ArticleField(
        "source_name", "str", "Human name of the source (\"Le Monde\"); generic path: the name the page gives "
        "(og:site_name, app name, JSON-LD publisher or the site's Organization/WebSite, the <title> part naming the "
        "site), a bare domain only when it gives no other name, else the registered domain. "
        "Plain text, at most {max_chars:,} characters.", PAGE, "string or null", max_chars=200),
    ArticleField(
        "title", "str", "The headline alone, without site-name prefixes or suffixes. Plain text, at most "
        "{max_chars:,} characters (cut at a word with `…`).", PAGE, "string or null", max_chars=1_000),
    ArticleField(
        "summary", "str|null", "Standfirst / lede, else the page's description; null when there is none. Plain "
        "text, at most {max_chars:,} characters (cut at a word with `…`).", PAGE, "string or null",
        max_chars=5_000),
    ArticleField(
        "body", "str", "Full article text as a reader sees it, lede included; paragraphs and intertitles each "
        "a paragraph, separated by one blank line. Plain text; bounded by the page, which is at "
        "most `NEWSCRAWL_MAX_PAGE_BYTES` (8 MiB).", PAGE, "string or null"),
    ArticleField(
        "body_source", "object", "How `body` was found and how far it can be trusted: `method` (`selectors`: "
        "the source's layout; `main_text`, `jsonld`, `main_text+jsonld`: the generic reading and the page's "
        "JSON-LD articleBody; `trafilatura`, `container`, `joined_parts` (+`jsonld`): a second reading the "
        "self-checks took; `joined_parts`: a body split into same-classed parts read whole), "
        "`confidence` (0..1), `flags` (`disagreement`: the JSON-LD text differs; `low_text_share`: most of the "
        "page's long paragraphs are not in it; `link_dense`: much of it is link text; `short`: under 50 words; "
        "`jsonld_over_main_text`, `second_reading`: what the checks took instead; `layout_miss:<reason>`: the "
        "layout's selectors failed), `words`.", PAGE, "object or null"),
    ArticleField(
        "authors", "list[str]", "Person names, without \"By\", roles, initials or duplicates; the publishing "
        "organisation only when the page names no person. Plain text, at most {max_items} names "
        "of at most {max_chars:,} characters.", PAGE, "array of string",
        "as in the Article item (null becomes `[]`)", max_chars=200, max_items=30),
    ArticleField(
        "published_at", "str|null", "Publication instant in UTC, ISO 8601 with `Z` (`2024-05-03T15:47:42Z`) when "
        "the page gives a time of day and its zone is known (`published_at_source.precision: \"instant\"`); "
        "else the calendar date as printed (`2024-05-03`): a date without time (precision `date`), or a "
        "time whose zone nobody knows (precision `local`, the wall time in `published_at_source.local_time`), "
        "never a local time passed off as UTC.", PAGE, "date or null",
        "publication instant, UTC. A bare date (`2024-05-03`: precision `date` or `local`) is stored as "
        "midnight UTC with `published_at_source.has_time: false` and its written day in `published_date`"),
    ArticleField(
        "published_at_source", "object|null", "Where `published_at` came from: `method` (jsonld, meta, microdata, "
        "time, text, layout, attribute, url, htmldate: a date found by htmldate in the text, the last resort), `precision` (`instant`: a time and its zone, stated or known; "
        "`local`: a time of day whose zone is unknown; `date`: a date only), `has_time` (`published_at` "
        "carries a time of day: precision `instant`), `has_zone` (the page gave an offset or zone), "
        "`zone_guess` (the zone a wall time without offset was read in; null if none) and `zone_rule` "
        "(where that zone came from, first that applies: `source` (the source's declared zone), "
        "`page_offset` (the offset of another timestamp on the page), `country_domain` (the "
        "country-code domain), `locale_region` (the region of the page's language tag or og:locale, "
        "e.g. `en-GB`), `language` (a language written under one clock only, e.g. `de`, never `en`)), "
        "`local_time` (precision `local` only: the wall time as printed, `2016-12-16T16:19:00`), "
        "`utc_offset` (local offset of the published time, e.g. `+02:00`; null unless an instant), "
        "`raw` (the value as found, at most 100 characters). Present only when "
        "true: `ambiguous` (the wall time occurs twice in its zone, the autumn "
        "change: the first occurrence, in summer time, is the instant), "
        "`nonexistent` (the wall time falls in the spring gap: read with the "
        "offset before the change, so 02:30 in a 02:00->03:00 gap is 03:30 "
        "after it), `leap_second` (second 60, e.g. `23:59:60`: the instant is "
        "clamped to second 59). `rejected`: a date the validate pipeline found implausible (`published_at` is "
        "then null).", PAGE, "object or null",
        "as in the Article item; always has `has_time` when `published_at` is set (`{{\"has_time\": false}}` is "
        "created for a bare date without source)"),
    ArticleField(
        "modified_at", "str|null", "Last-modified instant in UTC, same format as `published_at` (a date when "
        "only the date, or a time of unknown zone, is known), when declared.",
        PAGE, "date or null", "last-modified instant, UTC (a bare date: midnight UTC)"),
    ArticleField(
        "image", "str|null", "Main image URL: absolute http(s), at most {max_chars:,} characters; null otherwise "
        "(a `javascript:` or `data:` image is dropped).", PAGE, "string or null", max_chars=MAX_URL_CHARS),
    ArticleField(
        "section", "list[str]", "Sections / categories the page declares. Plain text, at most {max_items} of at "
        "most {max_chars:,} characters.", PAGE, "array of string", "as in the Article item (null becomes `[]`)",
        max_chars=200, max_items=10),
    ArticleField(
        "tags", "list[str]", "Keywords / tags the page declares. Plain text, at most {max_items} of at most "
        "{max_chars:,} characters.", PAGE, "array of string", "as in the Article item (null becomes `[]`)",
        max_chars=200, max_items=50),
    ArticleField(
        "declared_language", "str|null", "Language the page declares (html lang, og:locale, JSON-LD inLanguage), "
        "as a lower-case BCP 47 tag (`fr`, `pt-br`) of at most {max_chars} characters.", PAGE, "string or null",
        max_chars=_LANGUAGE_CAP),
    ArticleField(
        "is_paywalled", "bool", "The page is a paywalled teaser or declares `isAccessibleForFree: false`.",
        PAGE, "bool"),
    ArticleField(
        "crawled_at", "str", "When the page was fetched, UTC ISO 8601 with `Z`; for archives, the record's date.",
        PAGE, "date", "when this version was fetched (archives: the record's date); `now` when the item has none"),
    ArticleField(
        "language", "str", "Detected language, ISO 639-1 (`zh` for Chinese, `no` for Norwegian), or `und`.",
        LANGUAGE, "string", "as in the Article item; absent when the language pipeline did not run"),
    ArticleField(
        "language_confidence", "float", "langdetect's probability: of `language` when the method is `detected` "
        "or `declared`, of its own best guess when it is `cld2` or `none`; 0 when the text was too short to "
        "detect or langdetect found nothing.", LANGUAGE, "double", "as in the Article item, 0..1; absent with "
        "`language`"),
    ArticleField(
        "language_method", "str", "How `language` was decided (newscrawl/language.py): `detected` (langdetect), "
        "`cld2` (CLD2 reliably named a language langdetect does not know, e.g. Icelandic), `declared` (the "
        "page's declaration was kept) or `none` (`und`).", LANGUAGE, "string",
        "as in the Article item; absent with `language`"),
    ArticleField(
        "content_hash", "str", "SHA-1 of the normalised body: equal for exact copies.", DEDUPE, "string or null",
        "hex SHA-1 of the NFKC, case-folded, white-space-collapsed body (`newscrawl.article.hashing."
        "content_hash`, the one definition the dedupe pipeline uses too), always computed by the store from "
        "the body; null for an empty body. Articles stored with the dedupe pipeline switched off by an older "
        "version hashed NFC: where NFKC differs (ligatures, full-width forms, superscripts), their next crawl "
        "records one revision with the same text"),
    ArticleField(
        "story_id", "str", "Shared by all copies of the same story (near-duplicates across sources and runs).",
        DEDUPE, "string", "story cluster (dedupe pipeline); absent when not set"),
    ArticleField(
        "duplicate_of", "str|null", "For an exact copy seen earlier in the run: the first URL (stored as an "
        "alias).", DEDUPE, None),
    ArticleField(
        "title_hash", "str", "SHA-1 of the normalised title, for revision tracking.", DEDUPE, "string or null",
        "same for the title (`newscrawl.article.hashing.title_hash`)", public=False),
    ArticleField(
        "minhash", "bytes", "MinHash signature (128 x uint32, little-endian bytes) of the title and body.",
        DEDUPE, "binData or array of int64", "MinHash signature as given (bytes, or a list / numpy array of "
        "ints < 2^63); absent when not set", public=False),
    ArticleField(
        "lsh_bands", "list[str]", "LSH band keys of the signature, indexed for near-duplicate lookups.", DEDUPE,
        "array of string", "LSH band keys of the MinHash; absent when not set", public=False),
    # Written by the store (newscrawl/article/document.py and the articles collection), never on the item.
    ArticleField("_id", None, "", STORE, "ObjectId", "MongoDB's document id"),
    ArticleField(
        "published_date", None, "", STORE, "string or null", "`\"YYYY-MM-DD\"`: the UTC day of `published_at`, "
        "or the written date of a bare date; for \"all articles of a day\""),
    ArticleField(
        "aliases", None, "", STORE, "array of string", "other URLs whose content is exactly this article's "
        "(same `content_hash`); an item's `duplicate_of` is stored this way, as an alias of the first copy"),
    ArticleField("schema_version", None, "", STORE, "int",
                 "the document layout's version (`newscrawl.article.document.SCHEMA_VERSION`)"),
    ArticleField("revision", None, "", STORE, "int", "1 when first stored, +1 for each change of body or title"),
    ArticleField(
        "revisions", None, "", STORE, "array of object", "one entry per replaced version: `revision`, "
        "`content_hash`, `title_hash`, `seen_at` (when that version was last seen), `replaced_at`; plus `title`, "
        "`summary`, `body`, `authors`, `published_at`, `modified_at`, `crawled_at` of the old version with "
        "`keep_revisions=True`. Absent until the first change"),
    ArticleField("first_seen_at", None, "", STORE, "date", "when the store first wrote the article"),
    ArticleField("last_seen_at", None, "", STORE, "date",
                 "when the article (this URL) was last written or seen unchanged"),
    ArticleField("updated_at", None, "", STORE, "date", "when the content last changed (`first_seen_at` until then)"),
)

BY_NAME = {f.name: f for f in FIELDS}
PAGE_FIELDS = tuple(f.name for f in FIELDS if f.set_by == PAGE)                # what `to_item` fills
ITEM_FIELDS = tuple(f.name for f in FIELDS if f.on_item)                        # the Article item's fields
PUBLIC_FIELDS = tuple(f.name for f in FIELDS if f.on_item and f.public)         # feeds: these, in this order
INTERNAL_FIELDS = tuple(f.name for f in FIELDS if f.on_item and not f.public)   # stored, never exported
STORED_FIELDS = tuple(f.name for f in FIELDS if f.bson)                          # the stored document's keys

MAX_TITLE_CHARS = BY_NAME["title"].max_chars
MAX_SUMMARY_CHARS = BY_NAME["summary"].max_chars
MAX_SOURCE_NAME_CHARS = BY_NAME["source_name"].max_chars
MAX_AUTHORS, MAX_AUTHOR_CHARS = BY_NAME["authors"].max_items, BY_NAME["authors"].max_chars
MAX_TAGS, MAX_TAG_CHARS = BY_NAME["tags"].max_items, BY_NAME["tags"].max_chars
MAX_SECTIONS, MAX_SECTION_CHARS = BY_NAME["section"].max_items, BY_NAME["section"].max_chars
MAX_LANGUAGE_CHARS = BY_NAME["declared_language"].max_chars


# The one item every spider yields; each field's metadata holds its declaration
# (`Article.fields["title"]["declaration"]`).
Article = type("Article", (scrapy.Item,), {
    "__module__": __name__, "__doc__": "An article: the fields a page and the pipelines set (FIELDS).",
    **{name: scrapy.Field(declaration=BY_NAME[name]) for name in ITEM_FIELDS}})


def fields_table() -> str:
    """The public fields as the Markdown table docs/crawling.md shows (`python -m newscrawl.article.fields`)."""
    rows = ["| field | type | set by | meaning |", "|---|---|---|---|"]
    rows += [f"| `{f.name}` | {f.type.replace('|', ' or ')} | {f.set_by} | {f.describe()} |"
             for f in FIELDS if f.on_item and f.public]
    return "\n".join(rows)


def stored_table() -> str:
    """The stored document's fields as docs/storage.md shows them (`python -m newscrawl.article.fields stored`)."""
    rows = ["| field | BSON type | set by | meaning |", "|---|---|---|---|"]
    rows += [f"| `{f.name}` | {f.bson} | {f.set_by} | {f.stored_meaning.format()} |" for f in FIELDS if f.bson]
    return "\n".join(rows)


if __name__ == "__main__":
    print(stored_table() if sys.argv[1:] == ["stored"] else fields_table())
