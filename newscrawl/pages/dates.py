"""The page's dates: publication (``published_at`` and where it came from, ``published_at_source``)
and last modification (``modified_at``). Candidates are read most trusted first (JSON-LD, meta
tags, microdata, <time>, a date shown in the article header), the URL last; wall times without an
offset are read in the source's zone (or one guessed from the domain and language)."""

import re
from dataclasses import dataclass
from functools import cached_property

from newscrawl.extract.dates import ParsedDate, date_from_url, parse_date
from newscrawl.extract.text import clean_text, normalize_for_compare
from newscrawl.extract.zones import guess_zone

from .fields import field
from .selectors import NOT_SHOWN


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
_HEADER_DATE = re.compile(r"\d{1,4}\s?[./-]\s?\d{1,2}\s?[./-]\s?\d{2,4}|\d{1,2}\.?\s+[^\W\d_]{3,}\.?,?\s+\d{4}"
                          r"|[^\W\d_]{3,}\.?\s+\d{1,2},?\s+\d{4}")
_EPOCH_LIKE = re.compile(r"\d{9,}")
_HEADER_DATE_MAX_TEXTS = 3
_HEADER_MAX_CHARS = 400     # text read after the headline before the header is taken to be over


def _is_descendant(el, ancestor) -> bool:
    return any(a is ancestor for a in el.iterancestors())


class Dates:
    """Mixin of :class:`~newscrawl.pages.base.ArticlePage`: publication and modification times."""

    @field("published_at")
    def published_at(self) -> str | None:
        return self.timestamp.parsed.isoformat() if self.timestamp else None

    @field("published_at_source")
    def published_at_source(self) -> dict | None:
        return self.timestamp.source_info() if self.timestamp else None

    @field("modified_at")
    def modified_at(self) -> str | None:
        modified = self.modified()
        return modified.isoformat() if modified else None

    @cached_property
    def timestamp(self) -> Timestamp | None:
        """:meth:`published`, worked out once per page."""
        return self.published()

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
            if not seen or not isinstance(el.tag, str) or el.tag in NOT_SHOWN:
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

    def date_language(self) -> str | None:
        """The language month names are read in: the page's declaration, else the source's."""
        return self.declared_language() or (self.source.language if self.source else None)

    def zone_guess(self) -> str | None:
        """The zone of wall times without an offset: the source's, else guessed from the domain and
        language."""
        return (self.source.timezone if self.source else None) or guess_zone(self.fetched_url, self.date_language())

    def published(self) -> Timestamp | None:
        """The first candidate with time and zone; a less precise earlier candidate (date only,
        no zone) gives way to a later, more precise one for the same day."""
        lang = self.date_language()
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
        raw = self.ld.get("dateModified") or self.data.first_meta(*MODIFIED_META)
        if isinstance(raw, list):
            raw = raw[0] if raw else None
        if isinstance(raw, str):
            return parse_date(raw, language=self.declared_language(), default_tz=self.zone_guess())
        return None
