"""The page's dates: publication (``published_at`` and where it came from, ``published_at_source``)
and last modification (``modified_at``). Candidates are read most trusted first (JSON-LD, meta
tags, microdata, <time>, a date shown in the article header), the URL last.

A wall time without offset is read in a zone only when one is known (:meth:`Dates.zone_choice`):
the source's declared zone; else the offset of another timestamp on the same page; else the
zone of the publisher's country (``newscrawl/extract/zones.py``). When none is known the item
says so (``precision: "local"``): ``published_at`` is the calendar date as printed and the wall
time is kept in ``published_at_source.local_time``; it is never passed off as UTC."""

import copy
import re
from dataclasses import dataclass
from datetime import datetime, time, timedelta, timezone
from functools import cached_property
from zoneinfo import ZoneInfo

import lxml.etree
from htmldate import find_date

from newscrawl.extract.dates import ParsedDate, date_from_url, parse_date
from newscrawl.extract.text import clean_text, normalize_for_compare
from newscrawl.extract.zones import guess_zone_rule

from .fields import field
from .selectors import NOT_SHOWN

# published_at_source.precision: how much of the moment the item knows.
INSTANT = "instant"     # a time of day and its zone (stated, or known: see Dates.zone_choice)
LOCAL = "local"         # a time of day whose zone is unknown: published_at is the printed date
DATE = "date"           # a date without time of day
_RANK = {DATE: 0, LOCAL: 1, INSTANT: 2}


@dataclass(frozen=True)
class Timestamp:
    parsed: ParsedDate
    method: str                 # jsonld, meta, microdata, time, url, text
    raw: str                    # the value as found on the page
    zone_guess: str | None      # zone used to read a wall time that had no offset
    zone_rule: str | None = None  # where zone_guess came from: source, page_offset, country_domain, ...
    local_offset: timedelta | None = None  # the page's local offset of a UTC-stated instant, if it says

    @property
    def precision_name(self) -> str:
        if not self.parsed.has_time:
            return DATE
        return INSTANT if self.parsed.has_zone or self.zone_guess else LOCAL

    @property
    def precision(self) -> int:
        return _RANK[self.precision_name]

    def isoformat(self) -> str:
        """An instant in UTC; the printed calendar date for a local time or a date."""
        if self.precision_name == LOCAL:
            return self.parsed.value.date().isoformat()   # read as UTC: the wall date as printed
        return self.parsed.isoformat()

    def utc_offset(self) -> str | None:
        """The local offset of the published wall time ("+02:00"), as declared or guessed; None
        for a date or a local time of unknown zone."""
        off = self.local_offset if self.local_offset is not None else self.parsed.utc_offset
        if self.precision_name != INSTANT or off is None:
            return None
        minutes = int(off.total_seconds() // 60)
        return f"{'+' if minutes >= 0 else '-'}{abs(minutes) // 60:02d}:{abs(minutes) % 60:02d}"

    def source_info(self) -> dict:
        precision = self.precision_name
        # has_time: published_at carries a time of day (an instant); the printed time of a local
        # one is local_time. has_zone: the page stated the offset or zone.
        info = {"method": self.method, "precision": precision, "has_time": precision == INSTANT,
                "has_zone": self.parsed.has_zone, "zone_guess": self.zone_guess, "utc_offset": self.utc_offset(),
                "raw": self.raw}
        if self.zone_guess:
            info["zone_rule"] = self.zone_rule
        if precision == LOCAL:
            info["local_time"] = self.parsed.value.strftime("%Y-%m-%dT%H:%M:%S")
        # Wall times the zone does not resolve to one instant, and leap seconds, say so (ParsedDate
        # says which instant was kept); the keys are absent otherwise.
        for flag in ("ambiguous", "nonexistent", "leap_second"):
            if getattr(self.parsed, flag):
                info[flag] = True
        return info


DATE_META = (
    "article:published_time", "og:article:published_time", "published_time", "article:published",
    "datepublished", "pubdate", "publishdate", "publish-date", "publish_date", "date", "dc.date.issued",
    "dc.date", "dcterms.created", "dcterms.date", "sailthru.date", "parsely-pub-date", "cxenseparse:recs:publishtime",
    "article.published", "published-date", "release_date", "originalpublicationdate", "og:published_time",
    "article:published:time", "og:pubdate", "pdate", "date_published", "dc.date.created",
)
MODIFIED_META = ("article:modified_time", "og:updated_time", "og:article:modified_time", "datemodified",
                 "dcterms.modified", "last-modified", "article:modified")
# A numeric or named-month date: 25.04.24, 2024-04-25, 01. April 2025, April 1, 2025.
# (with ordinals and the connectors of "12 de marzo de 2014", "12th of March 2014"; CJK year-month)
_HEADER_DATE = re.compile(r"\d{1,4}\s?[./-]\s?\d{1,2}\s?[./-]\s?\d{2,4}"
                          r"|\d{1,2}(?:st|nd|rd|th|er|º|o)?\.?\s+(?:(?:de|del|of|du)\s+)?[^\W\d_]{3,}\.?,?\s+"
                          r"(?:(?:de|del)\s+)?\d{4}"
                          r"|[^\W\d_]{3,}\.?\s+\d{1,2}(?:st|nd|rd|th)?,?\s+\d{4}|\d{4}\s*[年년]\s*\d{1,2}\s*[月월]")
_EPOCH_LIKE = re.compile(r"\d{9,}")
# An availability or expiry date: when something ends, not when the article appeared.
_END_DATE = re.compile(r"\b(?:bis|until|till|expires?|expiry|ablauf|jusqu|fino a[l]?|hasta|até|tot)\b", re.I)
_PUBLISHED_WORDS = re.compile(
    r"\b(?:stand|veröffentlicht|aktualisiert|erstellt|published|posted|updated|publié|mis à jour|publicado|"
    r"actualizado|pubblicato|aggiornato|gepubliceerd|opublikowano|yayınlanma|giriş|güncelleme)\b", re.I)
_HEADER_DATE_MAX_TEXTS = 3
_HEADER_MAX_CHARS = 1000    # text (links' aside) read after the headline before the header is taken to be over
_HEADER_MAX_PARAGRAPHS = 350    # ... or paragraph text: a standfirst, not the body's first paragraphs too
# Timestamps with an offset in the page's scripts (hostile text: bounded reads, few matches).
_SCRIPT_ISO = re.compile(r"(?<![\d.])\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(?::\d{2}(?:[.,]\d{1,9})?)?"
                         r"\s?[+-]\d{2}:?\d{2}(?![\d:])")
_SCRIPTS_MAX = 60
_SCRIPT_CHARS_MAX = 400_000
_SCRIPT_TRIES_MAX = 40         # timestamps with an offset parsed
_SCRIPT_FINDS_MAX = 300         # occurrences of the days looked at
_ZERO_OFFSET = re.compile(r"[+-]00:?00$")
_OFFSET_EVIDENCE_MAX = 20
_NEAR = timedelta(days=30)          # an offset read this close to the wall time shares its season
_SAME_INSTANT_S = 120
# Classes of caption boxes; not "image"/"media"/"photo", which also name headers and bylines with a picture.
_CAPTION_MARK = re.compile(r"caption|credit|pic-?box|gallery|slideshow|lightbox", re.I)
_CAPTION_DEPTH = 4


def _is_descendant(el, ancestor) -> bool:
    return any(a is ancestor for a in el.iterancestors())


def _header_date_text(text: str) -> bool:
    """A short text with a date that is no epoch number and no end date ("Verfügbar bis 06.05.2024")."""
    return bool(text) and len(text) <= 80 and bool(_HEADER_DATE.search(text)) and \
        not _EPOCH_LIKE.search(text) and not _END_DATE.search(text)


def _just_above(anchor) -> list:
    """The last three elements with text before ``anchor`` inside its header (its parent, or its
    grandparent short of the page's body) and after any menu or link there."""
    scope = anchor.getparent()
    if scope is None:
        return []
    if scope.getparent() is not None and scope.getparent().tag not in ("body", "html"):
        scope = scope.getparent()
    found = []
    for el in scope.iter():
        if el is anchor:
            return found
        if (el.tag in ("nav", "header") or el.tag == "a" and el.text_content().strip()) and \
                el not in anchor.iterancestors():
            found = []      # a menu or a link between: what came before it is the page's, not the article's
        elif isinstance(el.tag, str) and el.tag not in NOT_SHOWN and el.text and el.text.strip():
            found = [*found[-2:], el]
    return []


def _in_link(el) -> bool:
    """Inside a link (a teaser, a menu entry) within a few levels."""
    return any(node.tag == "a" for _, node in zip(range(4), (el, *el.iterancestors())))


def _in_caption(el) -> bool:
    """In a picture's caption or credit (a <figure>, or a box classed as one): the date there is the
    photo's ("Kämpfe um Bachmut, 24. April 2023"), not the article's."""
    for i, node in enumerate((el, *el.iterancestors())):
        if i > _CAPTION_DEPTH or node.tag in ("article", "body"):
            return False
        if node.tag in ("figure", "figcaption", "picture"):
            return True
        marks = f"{node.get('class') or ''} {node.get('id') or ''}"[:300]
        if _CAPTION_MARK.search(marks):
            return True
    return False


class Dates:
    """Mixin of :class:`~newscrawl.pages.base.ArticlePage`: publication and modification times."""

    @field("published_at")
    def published_at(self) -> str | None:
        return self.timestamp.isoformat() if self.timestamp else None

    @field("published_at_source")
    def published_at_source(self) -> dict | None:
        return self.timestamp.source_info() if self.timestamp else None

    @field("modified_at")
    def modified_at(self) -> str | None:
        return self.modified_timestamp.isoformat() if self.modified_timestamp else None

    @cached_property
    def timestamp(self) -> Timestamp | None:
        """:meth:`published`, worked out once per page."""
        return self.published()

    @cached_property
    def modified_timestamp(self) -> Timestamp | None:
        """The declared last modification, read as the publication time is."""
        raw = self.ld.get("dateModified") or self.data.first_meta(*MODIFIED_META)
        if isinstance(raw, list):
            raw = raw[0] if raw else None
        return (self._timestamp("modified", raw, self.declared_language(), local_offset=False)
                if isinstance(raw, str) else None)

    def date_candidates(self):
        """(method, raw value) pairs that may hold the publication time, most trusted first."""
        ld = self.ld
        yield "jsonld", ld.get("datePublished") or ld.get("dateCreated")
        yield "meta", self.data.first_meta(*DATE_META)
        yield "microdata", (self.data.microdata.get("datePublished") or [None])[0]
        for value in self.data.times[:3]:
            yield "time", value
        for value in self.header_date_texts():
            yield "text", value

    def header_date_texts(self) -> list[str]:
        """Short texts with digits in the article header: the elements after the headline and
        before the first long paragraph ("erstellt: 01. April 2025, 15:25", "Do 25.04.24 | 14:07
        Uhr"), where pages without date markup show the date, then those just above the headline
        in its own header (a kicker line "NEWS FEATURE 03 November 2025"; not a masthead's date).
        Link texts (teaser lists, menus) do not use up the header's length. Epoch-like numbers and
        "today" words are left out: they are not dates of the article."""
        anchor = self._headline_element()
        if anchor is None or self.tree.find("body") is None:
            return []
        texts, seen, read, paragraphs = [], False, 0, 0
        for el in self.tree.body.iter():
            if el is anchor:
                seen = True
                continue
            if not isinstance(el.tag, str) or el.tag in NOT_SHOWN:
                continue
            if not seen:
                continue
            if len(texts) >= _HEADER_DATE_MAX_TEXTS:
                break
            if _is_descendant(el, anchor) or _in_caption(el):
                continue
            text = clean_text(el.text or "")
            if not _in_link(el):
                read += len(text)
                if el.tag == "p":
                    paragraphs += len(text)
            if (el.tag == "p" and len(text) > 200) or paragraphs > _HEADER_MAX_PARAGRAPHS or read > _HEADER_MAX_CHARS:
                break   # the body has started
            if _header_date_text(text):
                texts.append(text)
        for el in _just_above(anchor):
            text = clean_text(el.text or "")
            if _header_date_text(text) and not _in_caption(el):
                texts.append(text)
        # A line saying it is the publication or update time first ("Stand: 22.04.2024" after
        # a video's "02:57 Min.").
        texts.sort(key=lambda t: not _PUBLISHED_WORDS.search(t))
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

    def date_language(self) -> str | None:
        """The language month names are read in: the page's declaration, else the source's."""
        return self.declared_language() or (self.source.language if self.source else None)

    def language_tags(self) -> list[str]:
        """The page's language tags and locales (html lang, JSON-LD inLanguage, og:locale), then the
        source's language: where a region ("en-GB", "de_AT") may name the publisher's country."""
        tags = [self.data.html_lang, self.ld.get("inLanguage"), self.data.first_meta("og:locale"),
                self.source.language if self.source else None]
        return [t.strip() for t in tags if isinstance(t, str) and t.strip()]

    @cached_property
    def country_zone(self) -> tuple[str, str] | None:
        """(zone, rule) of the publisher's country: domain, locale region or language."""
        return guess_zone_rule(self.fetched_url, self.language_tags())

    @property
    def page_offsets(self) -> list[ParsedDate]:
        """Other timestamps of the page that state a non-zero offset, most trusted first: JSON-LD,
        meta tags, microdata, <time datetime>; else ISO timestamps in scripts. A zero offset ("Z",
        "+00:00") is left out: CMSs write UTC whatever the newsroom's clock."""
        return self.markup_offsets or self.script_offsets

    @cached_property
    def markup_offsets(self) -> list[ParsedDate]:
        """:attr:`page_offsets` from the page's date markup (JSON-LD, meta, microdata, <time>)."""
        values = [self.ld.get(k) for k in ("dateModified", "datePublished", "dateCreated")]
        values += [self.data.first_meta(*MODIFIED_META), self.data.first_meta(*DATE_META)]
        values += [(self.data.microdata.get(k) or [None])[0] for k in ("dateModified", "datePublished")]
        values += self.data.times[:10]
        found = [p for p in (parse_date(v[:100]) for v in values if isinstance(v, str)) if _offset_evidence(p)]
        return found[:_OFFSET_EVIDENCE_MAX]

    @cached_property
    def script_offsets(self) -> list[ParsedDate]:
        """ISO timestamps with a non-zero offset in the page's scripts: the last resort of
        :attr:`page_offsets` (a script may hold an ad server's or CDN's clock)."""
        found, read = [], 0
        for i, script in enumerate(self.tree.iter("script")):
            if i >= _SCRIPTS_MAX or read >= _SCRIPT_CHARS_MAX or len(found) >= _OFFSET_EVIDENCE_MAX:
                break
            text = (script.text or "")[:_SCRIPT_CHARS_MAX - read]
            read += len(text)
            for m in _SCRIPT_ISO.finditer(text):
                parsed = parse_date(m.group())
                if _offset_evidence(parsed):
                    found.append(parsed)
                    if len(found) >= _OFFSET_EVIDENCE_MAX:
                        break
        return found

    def _script_offset_of(self, instant: ParsedDate) -> timedelta | None:
        """The non-zero offset of a script's timestamp for the same instant, looked for with
        str.find of its UTC day and the days beside it and matched there only: cheap, where a regex
        pass over every script of every page would cost milliseconds."""
        days = [(instant.value + timedelta(days=d)).strftime("%Y-%m-%d") for d in (-1, 0, 1)]
        read = tried = finds = 0
        seen = set()
        for i, script in enumerate(self.tree.iter("script")):
            if i >= _SCRIPTS_MAX or read >= _SCRIPT_CHARS_MAX or tried >= _SCRIPT_TRIES_MAX:
                break
            text = (script.text or "")[:_SCRIPT_CHARS_MAX - read]
            read += len(text)
            for day in days:
                at = text.find(day)
                while at != -1 and tried < _SCRIPT_TRIES_MAX:
                    m = _SCRIPT_ISO.match(text, at)
                    value = m.group() if m else None
                    other = None
                    if value and value not in seen and not _ZERO_OFFSET.search(value):
                        seen.add(value)
                        tried += 1
                        other = parse_date(value)
                    if (_offset_evidence(other)
                            and abs((other.value - instant.value).total_seconds()) <= _SAME_INSTANT_S):
                        return other.utc_offset
                    at = text.find(day, at + len(day))
                    finds += 1
                    if finds >= _SCRIPT_FINDS_MAX:
                        return None
        return None

    def zone_choice(self, wall: ParsedDate | None = None):
        """(tzinfo or zone name, zone_guess, zone_rule) for a wall time without offset, or None when
        no zone can be known. Rules, first that applies:

        ``source``: the source's declared ``timezone``;
        ``page_offset``: the offset of another timestamp of the page (the one nearest to ``wall``,
        else the most trusted), read in the country's zone when that zone had this offset then
        (so a summer time's offset does not shift a winter wall time), else as a fixed offset (but
        an offset found only in a script gives way to a known country);
        ``country_domain`` / ``locale_region`` / ``language``: the publisher's country
        (:func:`newscrawl.extract.zones.guess_zone_rule`)."""
        declared = self.source.timezone if self.source else None
        if declared:
            return declared, declared, "source"
        country = self.country_zone
        evidence = self.page_offsets
        if evidence:
            if wall is not None:
                index = {id(p): i for i, p in enumerate(evidence)}
                near = [p for p in evidence if abs(p.value - wall.value) <= _NEAR]
                chosen = near[0] if near else min(evidence, key=lambda p: (abs(p.value - wall.value), index[id(p)]))
            else:
                chosen = evidence[0]
            offset = chosen.utc_offset
            if country:
                tz = _zone(country[0])
                if tz is not None and chosen.value.astimezone(tz).utcoffset() == offset:
                    return tz, country[0], "page_offset"
            if not (country and evidence is self.script_offsets):   # a script does not overrule the country
                return timezone(offset), _offset_name(offset), "page_offset"
        if country:
            return country[0], country[0], country[1]
        return None

    def _timestamp(self, method: str, raw, lang: str | None, local_offset: bool = True) -> Timestamp | None:
        """``raw`` read as a Timestamp: a wall time without offset in :meth:`zone_choice`'s zone, or
        kept local when there is none; ``local_offset``: look up the newsroom's offset of a UTC
        instant (:meth:`_local_offset`; modified_at does not report it)."""
        declared = self.source.timezone if self.source else None
        now = self.crawled_at if isinstance(self.crawled_at, datetime) else None   # "today" is the crawl's day
        parsed = parse_date(raw, language=lang, default_tz=declared, now=now)
        if not parsed:
            return None
        text = str(raw)[:100]
        if not parsed.has_time:
            return Timestamp(parsed, method, text, None)
        if parsed.has_zone:
            return Timestamp(parsed, method, text, None,
                             local_offset=self._local_offset(parsed) if local_offset else None)
        wall = parsed.value + (parsed.utc_offset or timedelta(0))
        if wall.time() == time(0):
            # Midnight to the second without offset ("2016-12-16T00:00:00"): what a CMS that knows
            # only the date writes; the day as printed, no made-up time.
            return Timestamp(ParsedDate(wall.replace(tzinfo=timezone.utc), False, False), method, text, None)
        choice = self.zone_choice(parsed)
        if choice is None:
            return Timestamp(parsed, method, text, None)     # read as UTC: the wall time as printed
        tz, name, rule = choice
        if tz is not declared:
            parsed = parse_date(raw, language=lang, default_tz=tz, now=now) or parsed
        return Timestamp(parsed, method, text, name, rule)

    def _local_offset(self, parsed: ParsedDate):
        """The newsroom's offset of an instant stated in UTC ("Z", "+00:00"): that of another
        timestamp of the page for the same instant (markup, then scripts), else the declared zone's;
        None otherwise."""
        if parsed.utc_offset != timedelta(0):
            return None
        for other in self.markup_offsets:
            if abs((other.value - parsed.value).total_seconds()) <= _SAME_INSTANT_S:
                return other.utc_offset
        found = self._script_offset_of(parsed)
        if found is not None:
            return found
        declared = self.source.timezone if self.source else None
        tz = _zone(declared) if declared else None
        return parsed.value.astimezone(tz).utcoffset() if tz is not None else None

    def published(self) -> Timestamp | None:
        """The first candidate with time and zone; a less precise earlier candidate (date only,
        local time) gives way to a later, more precise one for the same day."""
        lang = self.date_language()
        best = None
        for method, raw in self.date_candidates():
            if isinstance(raw, list):
                raw = raw[0] if raw else None
            if not raw or not isinstance(raw, (str, int, float)):
                continue
            found = self._timestamp(method, raw, lang)
            if not found:
                continue
            if best is None:
                best = found
            elif (found.precision > best.precision
                  and abs((found.parsed.value - best.parsed.value).total_seconds()) < 36 * 3600):
                best = found
            if best.precision_name == INSTANT:
                break
        if best is None:
            parsed = date_from_url(self.fetched_url)
            if parsed:
                best = Timestamp(parsed, "url", self.fetched_url[:100], None)
        return best or self.htmldate_timestamp()

    def htmldate_timestamp(self) -> Timestamp | None:
        """The last resort for a page whose markup and URL state no date (older designs print it in
        running text only): htmldate's reading of the document (its heuristics, as trafilatura's),
        a date only and never after the crawl. Runs only on such pages. Its markup rules only: its
        "extensive" search makes 1 January of any year printed in the text. Scripts are taken out
        first: their structured data was read (bounded) above, and what was refused there is not
        read again here."""
        crawl_day = (self.crawled_at if isinstance(self.crawled_at, datetime) else datetime.now(timezone.utc)).date()
        work = copy.deepcopy(self.tree)
        lxml.etree.strip_elements(work, *NOT_SHOWN, with_tail=False)
        try:
            found = find_date(work, extensive_search=False, original_date=True, outputformat="%Y-%m-%d",
                              max_date=crawl_day.isoformat())
        except Exception:   # htmldate raises assorted errors on broken documents
            return None
        parsed = parse_date(found) if isinstance(found, str) else None
        if parsed is None or parsed.has_time:
            return None
        return Timestamp(parsed, "htmldate", found, None)

    def modified(self) -> ParsedDate | None:
        """The last modification as a ParsedDate; None when it is a local time of unknown zone."""
        found = self.modified_timestamp
        return found.parsed if found and found.precision_name != LOCAL else None


def _offset_evidence(parsed: ParsedDate | None) -> bool:
    return bool(parsed and parsed.has_time and parsed.has_zone and parsed.utc_offset
                and abs(parsed.utc_offset) <= timedelta(hours=14))


def _offset_name(offset: timedelta) -> str:
    minutes = int(offset.total_seconds() // 60)
    return f"UTC{'+' if minutes >= 0 else '-'}{abs(minutes) // 60:02d}:{abs(minutes) % 60:02d}"


def _zone(name: str):
    try:
        return ZoneInfo(name)
    except (KeyError, ValueError, OSError):
        return None
