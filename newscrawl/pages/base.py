"""Generic article page object: one small method per Article field, built from the shared
extraction core (``newscrawl.extract``). Per-source page modules subclass it and override only the
fields their site needs; a redesign adds a subclass (a dated layout) instead of editing this one.
"""

import logging
import re
from dataclasses import dataclass
from datetime import datetime, timezone
from functools import cached_property

import lxml.etree
import lxml.html

from newscrawl.extract.authors import byline_names, clean_names, distinct_orgs, split_jsonld_authors
from newscrawl.extract.boilerplate import caption_texts, is_caption
from newscrawl.extract.body import clean_blocks, combine, header_standfirst, jsonld_paragraphs, main_text_blocks
from newscrawl.extract.dates import ParsedDate, date_from_url, parse_date
from newscrawl.extract.structured import as_text_list, read_structured, split_keywords
from newscrawl.extract.titles import choose_title, names_site, title_segments
from newscrawl.extract.text import (cap_text, clean_text, decode_html, encodable_strings, join_paragraphs,
                                    normalize_for_compare, shown_text, strip_markup, tokens, utf8_source)
from newscrawl.extract.zones import guess_zone
from newscrawl.extract.urls import absolute_url, canonicalize_url, is_bare_domain, registered_domain, same_site, web_url
from newscrawl.items import (MAX_AUTHOR_CHARS, MAX_AUTHORS, MAX_LANGUAGE_CHARS, MAX_SECTION_CHARS, MAX_SECTIONS,
                             MAX_SOURCE_NAME_CHARS, MAX_SUMMARY_CHARS, MAX_TAG_CHARS, MAX_TAGS, MAX_TITLE_CHARS,
                             Article)

logger = logging.getLogger(__name__)

HTML_TYPES = ("text/html", "application/xhtml+xml", "application/xml", "text/xml", "text/plain")


@dataclass(frozen=True)
class Timestamp:
    parsed: ParsedDate
    method: str                 # jsonld, meta, microdata, time, url, text
    raw: str                    # the value as found on the page
    zone_guess: str | None      # zone used to read a wall time that had no offset

    @property
    def precision(self) -> int:
        return 2 if self.parsed.has_time and (self.parsed.has_zone or self.zone_guess) else int(self.parsed.has_time)

    def utc_offset(self) -> str | None:
        """The local offset of the published wall time ("+02:00"), as declared or guessed."""
        off = self.parsed.utc_offset
        if not self.parsed.has_time or off is None:
            return None
        minutes = int(off.total_seconds() // 60)
        return f"{'+' if minutes >= 0 else '-'}{abs(minutes) // 60:02d}:{abs(minutes) % 60:02d}"

    def source_info(self) -> dict:
        info = {"method": self.method, "has_time": self.parsed.has_time, "has_zone": self.parsed.has_zone,
                "zone_guess": self.zone_guess, "utc_offset": self.utc_offset(), "raw": self.raw}
        # Wall times the zone does not resolve to one instant, and leap seconds, say so (ParsedDate
        # says which instant was kept); the keys are absent otherwise.
        for flag in ("ambiguous", "nonexistent", "leap_second"):
            if getattr(self.parsed, flag):
                info[flag] = True
        return info


_XML_DECLARATION = re.compile(r"^\s*<\?xml[^>]*\?>")
# Source names: a URL is none (a bare domain is one only when the page gives no other).
_URL_LIKE = re.compile(r"^(?:https?:)?//|^www\.", re.I)
# lxml.html's parser picks each element's class in a Python callback, called whenever an element
# is touched; one HtmlElement class for all, chosen in C, makes tree walks ~2x faster. (The form
# and input classes it gives up are not used here.)
_HTML_PARSER = lxml.html.HTMLParser()
# For bodies that are UTF-8 as they are (`utf8_source`): the given encoding overrides <meta charset>.
_UTF8_PARSER = lxml.html.HTMLParser(encoding="utf-8")
for _parser in (_HTML_PARSER, _UTF8_PARSER):
    _parser.set_element_class_lookup(lxml.etree.ElementDefaultClassLookup(
        element=lxml.html.HtmlElement, comment=lxml.html.HtmlComment, pi=lxml.html.HtmlProcessingInstruction,
        entity=lxml.html.HtmlEntity))


class NotAnArticle(Exception):
    """The page is not an article worth storing; ``reason`` becomes a stats key."""

    def __init__(self, reason: str, detail: str = ""):
        super().__init__(f"{reason}: {detail}" if detail else reason)
        self.reason = reason
        self.detail = detail


_DATE_META = (
    "article:published_time", "og:article:published_time", "published_time", "article:published",
    "datepublished", "pubdate", "publishdate", "publish-date", "publish_date", "date", "dc.date.issued",
    "dc.date", "dcterms.created", "dcterms.date", "sailthru.date", "parsely-pub-date", "cxenseparse:recs:publishtime",
    "article.published", "published-date", "release_date", "originalpublicationdate", "og:published_time",
    "article:published:time", "og:pubdate", "pdate", "date_published", "dc.date.created",
)
# A numeric or named-month date: 25.04.24, 2024-04-25, 01. April 2025, April 1, 2025.
_HEADER_DATE = re.compile(r"\d{1,4}\s?[./-]\s?\d{1,2}\s?[./-]\s?\d{2,4}|\d{1,2}\.?\s+[^\W\d_]{3,}\.?,?\s+\d{4}"
                          r"|[^\W\d_]{3,}\.?\s+\d{1,2},?\s+\d{4}")
_EPOCH_LIKE = re.compile(r"\d{9,}")
# <title> and <h1> text read for the headline: more than this is not a headline (the title is cut
# to MAX_TITLE_CHARS anyway), and cleaning megabytes of it would cost seconds.
_MAX_HEADLINE_INPUT = 4 * MAX_TITLE_CHARS
_HEADER_DATE_MAX_TEXTS = 3
_HEADER_MAX_CHARS = 400     # text read after the headline before the header is taken to be over


def _is_descendant(el, ancestor) -> bool:
    return any(a is ancestor for a in el.iterancestors())


_MODIFIED_META = ("article:modified_time", "og:updated_time", "og:article:modified_time", "datemodified",
                  "dcterms.modified", "last-modified", "article:modified")


class ArticlePage:
    """Extraction for any article page. Subclasses set ``source``/``source_name`` and may
    override field methods (``title``, ``body_paragraphs``, ``authors`` ...)."""

    source: str | None = None
    source_name: str | None = None
    language: str | None = None          # the source's main language, a hint for dates
    timezone: str | None = None          # the source's zone for wall times without offset
    valid_from = valid_until = None      # layout validity (crawl dates), set by @source_page
    headline_field: str | None = None    # "og:title" when the publisher's headline is its og:title

    def __init__(self, url: str, body: bytes, *, headers_content_type: str | None = None,
                 crawled_at: datetime | None = None, text: str | None = None):
        self.fetched_url = url
        self.raw = body
        self.content_type = headers_content_type
        self.crawled_at = crawled_at or datetime.now(timezone.utc)
        self._text = text

    def applies(self) -> bool:
        """Whether this layout recognises the page's markup (layouts of one source override it)."""
        return True

    @classmethod
    def from_response(cls, response, crawled_at: datetime | None = None):
        ctype = response.headers.get(b"Content-Type")
        return cls(response.url, response.body, crawled_at=crawled_at,
                   headers_content_type=ctype.decode("latin-1") if ctype else None)

    # ---- parsing, done once ---------------------------------------------------------------
    @cached_property
    def html(self) -> str:
        if self._text is not None:
            return self._text
        text, _ = decode_html(self.raw, self.content_type)
        return text

    @cached_property
    def tree(self):
        raw = utf8_source(self.raw, self.content_type) if self._text is None else None
        try:
            if raw is not None:
                tree = lxml.html.document_fromstring(raw, parser=_UTF8_PARSER)
            else:
                # lxml refuses str input that starts with an XML declaration (XHTML pages).
                tree = lxml.html.document_fromstring(_XML_DECLARATION.sub("", self.html, count=1),
                                                     parser=_HTML_PARSER)
        except (lxml.etree.ParserError, ValueError) as exc:
            raise NotAnArticle("unparsable", type(exc).__name__) from exc   # the message may quote the page
        return tree

    @cached_property
    def data(self):
        return read_structured(self.tree, self.fetched_url)

    @property
    def ld(self) -> dict:
        return self.data.article or {}

    @cached_property
    def visible_text(self) -> str:
        """Normalised text of the page's <body> (scripts and styles excluded), for containment tests."""
        body = self.tree.find("body")
        if body is None:
            return ""
        parts = []
        for el in body.iter():
            if el.tag in ("script", "style", "noscript", "template") or not isinstance(el.tag, str):
                if el.tail:
                    parts.append(el.tail)
                continue
            if el.text:
                parts.append(el.text)
            if el.tail:
                parts.append(el.tail)
        return normalize_for_compare(" ".join(parts))

    # ---- fields ---------------------------------------------------------------------------
    def url(self) -> str:
        fetched = canonicalize_url(self.fetched_url)
        for candidate in (self.data.canonical, self.data.first_meta("og:url")):
            if not candidate:
                continue
            try:
                canon = canonicalize_url(candidate, base=self.fetched_url)
            except ValueError:  # malformed: port out of range, broken IPv6 host
                continue
            if not web_url(canon) or not same_site(canon, fetched):
                continue
            # A canonical pointing at the home page or a section front is a misconfiguration.
            if canon.rstrip("/").count("/") <= 2 and fetched.rstrip("/").count("/") > 2:
                continue
            return canon
        return fetched

    def get_source(self) -> str:
        return self.source or registered_domain(self.fetched_url)

    def get_source_name(self) -> str:
        """The publisher's name as the page gives it: og:site_name, the app name, the JSON-LD
        publisher (a reference resolved), the site's own Organization / WebSite objects, or the
        <title> segment that names the site ("... | Público" on publico.es). The first that is a
        name and not a bare domain ("n-tv NACHRICHTEN" over "n-tv.de"), else the first domain
        given, else the registered domain. URLs are not names."""
        return self.source_name or self._page_source_name

    @cached_property
    def _page_source_name(self) -> str:
        domain = registered_domain(self.fetched_url)
        names = self.data.all_meta("og:site_name", "application-name", "al:android:app_name")
        names += as_text_list(self.data.resolve(self.ld.get("publisher")))
        for obj in self.data.jsonld_of_type("NewsMediaOrganization", "Organization", "WebSite"):
            if registered_domain(str(obj.get("url") or obj.get("@id") or "")) == domain:
                names += as_text_list(obj)
        names.append(self._title_site_segment(domain))
        names = [n for n in (clean_text(n) for n in names if isinstance(n, str)) if n and not _URL_LIKE.match(n)]
        return next((n for n in names if not is_bare_domain(n)), names[0] if names else domain)

    def _title_site_segment(self, domain: str) -> str | None:
        """The last segment of <title> that names the site (`titles.names_site`) and is not part of
        the headline (the <h1> or JSON-LD headline; without those, the longest segment is):
        "... | hessenschau.de | Wirtschaft", "Público | ...", "„Einsatz“ – Die Neue Südtiroler Tageszeitung"."""
        segments = title_segments(clean_text((self.tree.findtext(".//title") or "")[:_MAX_HEADLINE_INPUT]))
        if len(segments) < 2:
            return None
        heads = [normalize_for_compare(h) for h in (self.h1(), *as_text_list(self.ld.get("headline"))[:1]) if h]
        longest = max(range(len(segments)), key=lambda i: len(segments[i]))

        def in_headline(i: int) -> bool:
            return any(normalize_for_compare(segments[i]) in h for h in heads) if heads else i == longest
        return next((segments[i] for i in reversed(range(len(segments)))
                     if not in_headline(i) and names_site(segments[i], domain)), None)

    def site_names(self) -> list[str]:
        names = [self.get_source_name(), registered_domain(self.fetched_url),
                 registered_domain(self.fetched_url).split(".")[0], self.data.first_meta("og:site_name"),
                 self.data.first_meta("application-name")]
        names += as_text_list(self.ld.get("publisher"))
        return [n for n in names if n]

    def h1(self) -> str | None:
        return self._h1

    @cached_property
    def _h1(self) -> str | None:
        for el in self.tree.iter("h1"):
            text = clean_text(shown_text(el)[:_MAX_HEADLINE_INPUT])
            if text:
                return text
        return None

    def title(self) -> str | None:
        doc_title = self.tree.find(".//title")
        return choose_title(
            headline=clean_text(" ".join(as_text_list(self.ld.get("headline"))[:1])),
            og_title=clean_text(self.data.first_meta("og:title", "twitter:title")),
            h1=self.h1() or "",
            doc_title=clean_text(shown_text(doc_title)[:_MAX_HEADLINE_INPUT]),
            site_names=self.site_names(),
            prefer_og_title=self.headline_field == "og:title",
        ) or None

    @cached_property
    def chosen_title(self) -> str | None:
        """:meth:`title`, worked out once per page."""
        return self.title()

    @cached_property
    def headline_variants(self) -> tuple:
        """The headline as the page shows it (<h1>, title, JSON-LD headline, og:title): blocks
        repeating one are not body text."""
        return (self.h1(), self.chosen_title, *as_text_list(self.ld.get("headline"))[:1],
                self.data.first_meta("og:title", "twitter:title"))

    def first_text(self, xpath) -> str | None:
        """Clean text of the first element a compiled XPath finds that has any (a standfirst,
        a byline element): the helper page modules use for their site's own elements."""
        for el in xpath(self.tree):
            text = clean_text(shown_text(el))
            if text:
                return text
        return None

    def summary(self) -> str | None:
        for value in (self.ld.get("description"),
                      self.data.first_meta("og:description", "description", "twitter:description")):
            text = clean_text(value if isinstance(value, str) else None)
            if text:
                return text
        return None

    def main_text_paragraphs(self) -> list[str]:
        blocks = main_text_blocks(self.tree, self.fetched_url)
        return clean_blocks(blocks, self.tree, self.headline_variants, self.summary())

    def body_paragraphs(self) -> list[str]:
        main = self.main_text_paragraphs()
        paragraphs, self.body_method = combine(main, jsonld_paragraphs(self.ld.get("articleBody")))
        return self.with_lede(self.with_standfirst(paragraphs))

    def with_lede(self, paragraphs: list[str]) -> list[str]:
        """Prepend the standfirst when the page shows it and the body does not start with it."""
        lede = self.summary()
        if not lede or not paragraphs:
            return paragraphs
        nlede = normalize_for_compare(lede)
        if len(tokens(lede)) < 8:
            return paragraphs
        head = normalize_for_compare(" ".join(paragraphs[:3]))
        if nlede[:60] in head or nlede in normalize_for_compare(" ".join(paragraphs)):
            return paragraphs
        if nlede not in self.visible_text or is_caption(lede, caption_texts(self.tree)):
            return paragraphs  # not shown, or shown as an image caption rather than a standfirst
        return [lede] + paragraphs

    def with_standfirst(self, paragraphs: list[str]) -> list[str]:
        """Prepend the standfirst shown between the headline and the body when the body lacks it."""
        if not paragraphs:
            return paragraphs
        standfirst = header_standfirst(self.tree, paragraphs, self.headline_variants, caption_texts(self.tree))
        if not standfirst or normalize_for_compare(standfirst)[:60] in normalize_for_compare(" ".join(paragraphs)):
            return paragraphs
        return [standfirst] + paragraphs

    def selected_body(self, elements, lede: str | None = None) -> list[str] | None:
        """A page module's body: one paragraph per element of its own body selector, its own
        standfirst `lede` first unless the body already starts with it; None when the selector
        finds no text (the caller then falls back to the generic body)."""
        paragraphs = [t for t in (clean_text(shown_text(el)) for el in elements) if t]
        if not paragraphs:
            return None
        self.body_method = "selectors"
        if lede and normalize_for_compare(lede)[:60] not in normalize_for_compare(" ".join(paragraphs[:2])):
            paragraphs = [lede] + paragraphs
        return paragraphs

    def body(self) -> str:
        return join_paragraphs(self.body_paragraphs())

    def authors(self) -> list[str]:
        """Persons from JSON-LD, else meta tags, else byline markup; the publishing organisation
        only when no person is named anywhere."""
        sites = self.site_names()
        ld_persons, ld_orgs = split_jsonld_authors(self.ld.get("author") or self.ld.get("creator"))
        persons, orgs = clean_names(ld_persons, sites)
        orgs = clean_names(ld_orgs)[0] + orgs
        if persons:
            return persons
        meta = [v for v in self.data.all_meta("author", "article:author", "parsely-author", "dc.creator",
                                              "sailthru.author", "byl", "twitter:misc:written by")]
        meta += self.data.labelled_meta("written by")
        persons, meta_orgs = clean_names(meta, sites)
        if persons:
            return persons
        persons, byline_orgs = clean_names(byline_names(self.tree), sites)
        if persons:
            return persons
        return distinct_orgs(orgs + meta_orgs + byline_orgs)

    def date_candidates(self):
        """(method, raw value) pairs that may hold the publication time, most trusted first."""
        ld = self.ld
        yield "jsonld", ld.get("datePublished") or ld.get("dateCreated")
        yield "meta", self.data.first_meta(*_DATE_META)
        yield "microdata", (self.data.microdata.get("datePublished") or [None])[0]
        for value in self.data.times[:3]:
            yield "time", value
        for value in self.header_date_texts():
            yield "text", value

    def header_date_texts(self) -> list[str]:
        """Short texts with digits in the article header: the elements after the headline and
        before the first long paragraph ("erstellt: 01. April 2025, 15:25", "Do 25.04.24 | 14:07
        Uhr"), where pages without date markup show the date. Epoch-like numbers and "today"
        words are left out: they are not dates of the article."""
        anchor = self._headline_element()
        if anchor is None:
            return []
        texts, seen, read = [], False, 0
        for el in self.tree.body.iter() if self.tree.find("body") is not None else ():
            if el is anchor:
                seen = True
                continue
            if not seen or not isinstance(el.tag, str) or el.tag in ("script", "style", "noscript", "template"):
                continue
            if len(texts) >= _HEADER_DATE_MAX_TEXTS or _is_descendant(el, anchor):
                continue
            text = clean_text(el.text or "")
            read += len(text)
            if (el.tag == "p" and len(text) > 200) or read > _HEADER_MAX_CHARS:
                break   # the body has started
            if text and len(text) <= 80 and _HEADER_DATE.search(text) and not _EPOCH_LIKE.search(text):
                texts.append(text)
        return texts[:_HEADER_DATE_MAX_TEXTS]

    def _headline_element(self):
        """The <h1>, or else the first <h2>/<h3> that shows the title (perhaps after a kicker)."""
        for el in self.tree.iter("h1"):
            if clean_text(el.text_content()):
                return el
        title = normalize_for_compare(self.chosen_title or "")
        if not title:
            return None
        for el in self.tree.iter("h2", "h3"):
            text = normalize_for_compare(el.text_content())
            if text.endswith(title) and len(text) <= len(title) + 80:
                return el
        return None

    def zone_guess(self) -> str | None:
        return self.timezone or guess_zone(self.fetched_url, self.declared_language() or self.language)

    def published(self) -> Timestamp | None:
        """The first candidate with time and zone; a less precise earlier candidate (date only,
        no zone) gives way to a later, more precise one for the same day."""
        lang = self.declared_language() or self.language
        zone = self.zone_guess()
        best = None
        for method, raw in self.date_candidates():
            if isinstance(raw, list):
                raw = raw[0] if raw else None
            if not raw or not isinstance(raw, (str, int, float)):
                continue
            parsed = parse_date(raw, language=lang, default_tz=zone)
            if not parsed:
                continue
            found = Timestamp(parsed, method, str(raw)[:100], None if parsed.has_zone else zone)
            if best is None:
                best = found
            elif (found.precision > best.precision
                  and abs((found.parsed.value - best.parsed.value).total_seconds()) < 36 * 3600):
                best = found
            if best.precision == 2:
                break
        if best is None:
            parsed = date_from_url(self.fetched_url)
            if parsed:
                best = Timestamp(parsed, "url", self.fetched_url[:100], None)
        return best

    def modified(self) -> ParsedDate | None:
        raw = self.ld.get("dateModified") or self.data.first_meta(*_MODIFIED_META)
        if isinstance(raw, list):
            raw = raw[0] if raw else None
        if isinstance(raw, str):
            return parse_date(raw, language=self.declared_language(), default_tz=self.zone_guess())
        return None

    def image(self) -> str | None:
        """The JSON-LD image, else og:image / twitter:image: an absolute http(s) URL (`web_url`), never
        a javascript:, data: or file: one."""
        img = self.ld.get("image")
        if isinstance(img, list):
            img = img[0] if img else None
        if isinstance(img, dict):
            img = img.get("url") or img.get("contentUrl")
        return web_url(absolute_url(img if isinstance(img, str) else None, self.fetched_url)) or web_url(
            absolute_url(self.data.first_meta("og:image", "og:image:url", "twitter:image"), self.fetched_url))

    def section(self) -> list[str]:
        values = as_text_list(self.ld.get("articleSection")) or self.data.all_meta("article:section")
        return dedupe(clean_text(v) for v in values)

    def tags(self) -> list[str]:
        kw = self.ld.get("keywords")
        values = split_keywords(as_text_list(kw)) if kw else []
        if not values:
            values = self.data.all_meta("article:tag") or split_keywords(
                self.data.all_meta("news_keywords", "keywords", "parsely-tags"))
        # A page with thousands of keywords gets its first ones read (repeats aside), not all cleaned.
        return dedupe(clean_text(v) for v in values[:MAX_TAGS * 4])[:MAX_TAGS]

    def declared_language(self) -> str | None:
        for value in (self.data.html_lang, self.ld.get("inLanguage"), self.data.first_meta("og:locale", "language",
                                                                                           "content-language")):
            if isinstance(value, dict):
                value = value.get("alternateName") or value.get("name")
            if (isinstance(value, str) and len(value.strip()) <= MAX_LANGUAGE_CHARS
                    and re.fullmatch(r"[A-Za-z]{2,3}([-_][A-Za-z0-9]{2,8})*", value.strip())):
                return value.strip().replace("_", "-").lower()
        return None

    def is_paywalled(self) -> bool:
        def free(v):
            return not (v is False or (isinstance(v, str) and v.strip().lower() == "false"))
        if not free(self.ld.get("isAccessibleForFree")):
            return True
        parts = self.ld.get("hasPart")
        parts = parts if isinstance(parts, list) else [parts]
        return any(isinstance(p, dict) and not free(p.get("isAccessibleForFree")) for p in parts)

    # ---- validation and assembly ------------------------------------------------------------
    def validate_input(self) -> None:
        """Raise NotAnArticle for pages that are not articles before extracting fields."""
        if not self.raw or not self.raw.strip():
            raise NotAnArticle("empty")
        ctype = (self.content_type or "").split(";")[0].strip().lower()
        if ctype and not ctype.startswith(HTML_TYPES):
            raise NotAnArticle("not_html")   # the type is the server's words: not logged
        head = self.raw[:2048].lstrip().lower()
        if ctype in ("", "text/plain") and b"<" not in head:
            raise NotAnArticle("not_html")
        self.tree  # noqa: B018 (raises NotAnArticle("unparsable"))
        og_type = (self.data.first_meta("og:type") or "").lower()
        if og_type in ("website", "profile", "video.other", "video.movie", "music.song", "book") and not self.data.article:
            if self.link_density() > 0.5:
                raise NotAnArticle("index_page", f"og:type={og_type}")

    def link_density(self) -> float:
        body = self.tree.find("body")
        if body is None:
            return 0.0
        total = len(" ".join(body.itertext()).split()) or 1
        linked = sum(len(" ".join(a.itertext()).split()) for a in body.iter("a"))
        return linked / total

    def to_item(self, min_body_words: int | None = None) -> Article:
        """The Article, every spider's items (the warc spider's too) built here. A body shorter than
        `min_body_words` (CJK: characters) is not an article (`too_short`, `paywall_teaser`): the one
        place that rule is applied; spiders pass the crawl's NEWSCRAWL_MIN_BODY_WORDS, direct callers
        get its default from newscrawl/settings.py. Text fields are
        made plain and capped once more here, whatever a page module's field methods returned,
        and every string of the item is made encodable (`text.encodable_strings`): one bad field
        is cleaned or cut, never the cause of a lost article or of a failed batch downstream."""
        self.validate_input()
        title = cap_text(clean_text(self.chosen_title), MAX_TITLE_CHARS)
        if not title:
            raise NotAnArticle("no_title")
        body = plain_body(self.body())
        n = len(tokens(body))
        paywalled = self.is_paywalled()
        if n == 0:
            raise NotAnArticle("no_body")
        if min_body_words is None:
            from newscrawl.settings import NEWSCRAWL_MIN_BODY_WORDS as min_body_words
        if n < min_body_words:
            raise NotAnArticle("paywall_teaser" if paywalled else "too_short", f"{n} words")
        published = self.published()
        modified = self.modified()
        fields = dict(
            url=self.url(),
            fetched_url=self.fetched_url,
            source=self.get_source(),
            source_name=cap_text(clean_text(self.get_source_name()), MAX_SOURCE_NAME_CHARS)
            or registered_domain(self.fetched_url),
            title=title,
            summary=cap_text(clean_text(self.summary()), MAX_SUMMARY_CHARS) or None,
            body=body,
            authors=plain_list(self.authors(), MAX_AUTHORS, MAX_AUTHOR_CHARS),
            published_at=published.parsed.isoformat() if published else None,
            published_at_source=published.source_info() if published else None,
            modified_at=modified.isoformat() if modified else None,
            image=web_url(self.image()),
            section=plain_list(self.section(), MAX_SECTIONS, MAX_SECTION_CHARS),
            tags=plain_list(self.tags(), MAX_TAGS, MAX_TAG_CHARS),
            declared_language=self.declared_language(),
            is_paywalled=paywalled,
            crawled_at=self.crawled_at.astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ"),
        )
        return Article(**encodable_strings(fields))


def plain_list(values, count: int, chars: int) -> list[str]:
    """A list field as plain text (`clean_text`), each entry capped at `chars`, empties and repeats
    dropped, at most `count` entries."""
    values = values if isinstance(values, list) else []
    return dedupe(cap_text(clean_text(v if isinstance(v, str) else None), chars) for v in values[:count * 4])[:count]


def plain_body(body: str) -> str:
    """The body as plain text: paragraphs that still hold markup (a page module's own selector, an
    articleBody fragment) are cleaned like every text field; the rest are left as they are."""
    if "<" not in body and "=" not in body:
        return body
    paragraphs = body.split("\n\n")
    for i, paragraph in enumerate(paragraphs):
        text = strip_markup(paragraph)
        if text is not paragraph:
            paragraphs[i] = " ".join(text.split())
    return join_paragraphs(paragraphs)


def dedupe(values) -> list[str]:
    seen, out = set(), []
    for v in values:
        key = v.casefold() if v else ""
        if key and key not in seen:
            seen.add(key)
            out.append(v)
    return out


