"""The web front's reads: bounded queries (a limit and a projection on each) over the articles and
crawl_runs collections, written for both FerretDB 1.24 and MongoDB 6+ ($match, $group with $sum,
$sort, $limit only; everything else computed here in Python over the bounded results).

Indexes used where they exist (storage/articles.py ARTICLE_INDEXES): `published_date` for a day and
the days list, `published_at` for a day in another time zone, `story_id` for a story's reports;
crawl_runs: `spider_started`."""

from __future__ import annotations

import statistics
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta, timezone
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

from bson import ObjectId
from pymongo import DESCENDING

from newscrawl.extract.text import word_count
from newscrawl.runs.store import RUNS_COLLECTION

UTC = timezone.utc
DAYS_LIMIT = 400          # days listed on `/`
DAY_LIMIT = 500           # articles shown for one day
STORY_LIMIT = 50          # other reports of a story
HEALTH_DAYS = 14          # days (with articles) the health charts cover
HEALTH_BODIES = 2000      # newest articles whose bodies are counted for the body-words chart
HEALTH_RUNS = 200         # newest crawl runs whose drops and errors are summed
FAILED_RUNS = 50          # failed runs listed
LEDE_CHARS = 300

# What a listing reads of an article (never the body, the signatures or the revisions).
LIST_FIELDS = {"url": 1, "source": 1, "source_name": 1, "title": 1, "summary": 1, "published_at": 1,
               "published_at_source": 1, "published_date": 1, "language": 1, "declared_language": 1}
ARTICLE_EXCLUDE = {"minhash": 0, "lsh_bands": 0, "revisions": 0}

# Display names of common language codes; others show as their code.
LANGUAGE_NAMES = {
    "ar": "Arabic", "bg": "Bulgarian", "bn": "Bengali", "ca": "Catalan", "cs": "Czech", "da": "Danish",
    "de": "German", "el": "Greek", "en": "English", "es": "Spanish", "et": "Estonian", "fa": "Persian",
    "fi": "Finnish", "fr": "French", "he": "Hebrew", "hi": "Hindi", "hr": "Croatian", "hu": "Hungarian",
    "id": "Indonesian", "it": "Italian", "ja": "Japanese", "ko": "Korean", "lt": "Lithuanian",
    "lv": "Latvian", "nl": "Dutch", "no": "Norwegian", "pl": "Polish", "pt": "Portuguese",
    "ro": "Romanian", "ru": "Russian", "sk": "Slovak", "sl": "Slovenian", "sr": "Serbian",
    "sv": "Swedish", "sw": "Swahili", "th": "Thai", "tr": "Turkish", "uk": "Ukrainian", "ur": "Urdu",
    "vi": "Vietnamese", "zh": "Chinese",
}


class BadRequest(ValueError):
    """Malformed input (a day, a time zone, an id): the page answers 400 with this message."""


def parse_day(text: str) -> date:
    try:
        if len(text) != 10:
            raise ValueError
        return date.fromisoformat(text)
    except ValueError:
        raise BadRequest("a day is written YYYY-MM-DD") from None


def parse_zone(name: str | None) -> ZoneInfo | None:
    """The IANA zone `name` (None for none or UTC)."""
    if not name or name in ("UTC", "Etc/UTC"):
        return None
    if len(name) > 64 or name.startswith("/") or ".." in name:
        raise BadRequest("unknown time zone")
    try:
        return ZoneInfo(name)
    except (ValueError, OSError, KeyError):   # ZoneInfoNotFoundError is a KeyError
        raise BadRequest("unknown time zone") from None


def parse_id(text: str) -> ObjectId:
    if not ObjectId.is_valid(text) or len(text) != 24:
        raise BadRequest("an article id is 24 hexadecimal digits")
    return ObjectId(text)


def safe_link(url) -> str | None:
    """`url` when it may become a link (http or https with a host), else None: a stored
    `javascript:` or `data:` URL stays text."""
    if not isinstance(url, str) or any(c in url for c in "\r\n\t\x00"):
        return None
    try:
        parts = urlsplit(url.strip())
    except ValueError:
        return None
    return url.strip() if parts.scheme.lower() in ("http", "https") and parts.hostname else None


def language_name(code) -> str:
    if not code:
        return "Language unknown"
    return LANGUAGE_NAMES.get(str(code).split("-")[0].lower(), str(code))


def _language(doc: dict) -> str:
    code = doc.get("language") or doc.get("declared_language")
    return str(code).lower() if code else ""


def _english(code: str) -> bool:
    return code == "en" or code.startswith("en-")


def lede(doc: dict, body: str | None = None) -> str:
    """The summary, else the first paragraph of the body, cut at LEDE_CHARS."""
    text = doc.get("summary") if isinstance(doc.get("summary"), str) else ""
    if not text.strip() and isinstance(body, str):
        text = next((p for p in body.split("\n") if p.strip()), "")
    text = " ".join(text.split())
    return text if len(text) <= LEDE_CHARS else text[:LEDE_CHARS].rsplit(" ", 1)[0] + " …"


def paragraphs(body) -> list[str]:
    if not isinstance(body, str):
        return []
    return [p.strip() for p in body.split("\n") if p.strip()]


@dataclass
class SourceGroup:
    source: str
    name: str
    articles: list[dict] = field(default_factory=list)


@dataclass
class LanguageGroup:
    code: str
    name: str
    sources: list[SourceGroup] = field(default_factory=list)

    @property
    def count(self) -> int:
        return sum(len(s.articles) for s in self.sources)


def group_day(docs: list[dict]) -> list[LanguageGroup]:
    """Articles (newest first) grouped per language, non-English first (most articles first), then
    English, then unknown; per source within a language (the source with the newest article first)."""
    by_lang: dict[str, dict[str, SourceGroup]] = defaultdict(dict)
    for doc in docs:
        source = str(doc.get("source") or "")
        name = doc.get("source_name") if isinstance(doc.get("source_name"), str) and doc["source_name"].strip() \
            else (source or "Unknown source")
        group = by_lang[_language(doc)].setdefault(source, SourceGroup(source, name))
        group.articles.append(doc)
    out = [LanguageGroup(code, language_name(code), list(sources.values())) for code, sources in by_lang.items()]
    out.sort(key=lambda g: (not g.code, _english(g.code), -g.count, g.code))
    return out


def neighbours(days: list[tuple[str, int]], day: date) -> tuple[str | None, str | None]:
    """The nearest earlier and later days with articles in `days` (newest first)."""
    text = day.isoformat()
    older = next((d for d, _ in days if d < text), None)
    newer = next((d for d, _ in reversed(days) if d > text), None)
    return older, newer


def health_summary_rows(counts: dict[tuple[str, str], int]) -> list[dict]:
    return [{"day": d, "source": s, "articles": n} for (d, s), n in sorted(counts.items())]


class StoreReader:
    """Reads of one database's articles and crawl_runs; never writes."""

    def __init__(self, client, database: str, collection: str):
        self.client = client
        self.db = client[database]
        self.articles = self.db[collection]
        self.runs = self.db[RUNS_COLLECTION]

    # ---- reader pages -------------------------------------------------------------------------

    def days(self, limit: int = DAYS_LIMIT) -> list[tuple[str, int]]:
        """(day, articles) of the newest `limit` publication days (UTC), newest first."""
        rows = self.articles.aggregate([
            {"$match": {"published_date": {"$gt": ""}}},
            {"$group": {"_id": "$published_date", "n": {"$sum": 1}}},
            {"$sort": {"_id": -1}},
            {"$limit": limit},
        ])
        return [(r["_id"], int(r["n"])) for r in rows if isinstance(r.get("_id"), str)]

    def day(self, day: date, zone: ZoneInfo | None = None, limit: int = DAY_LIMIT) -> tuple[list[dict], bool]:
        """The articles published on `day` (UTC, or local days of `zone`), newest first, each with its
        `lede`; and whether there were more than `limit`."""
        text = day.isoformat()
        if zone is None:
            query: dict = {"published_date": text}
        else:
            start = datetime.combine(day, time(), zone).astimezone(UTC)
            end = datetime.combine(day + timedelta(days=1), time(), zone).astimezone(UTC)
            # A bare date (no time of day) belongs to its written day in every zone.
            query = {"$or": [
                {"published_at": {"$gte": start, "$lt": end}, "published_at_source.has_time": {"$ne": False}},
                {"published_date": text, "published_at_source.has_time": False},
            ]}
        # One query, bodies included (for the ledes of articles without a summary): on FerretDB every
        # query is a scan of the collection, so a second one for the bodies would double the wait.
        docs = list(self.articles.find(query, {**LIST_FIELDS, "body": 1})
                    .sort([("published_at", DESCENDING), ("_id", DESCENDING)]).limit(limit + 1))
        more = len(docs) > limit
        docs = docs[:limit]
        for d in docs:
            d["lede"] = lede(d, d.pop("body", None))
        return docs, more

    def article(self, oid: ObjectId) -> dict | None:
        return self.articles.find_one({"_id": oid}, ARTICLE_EXCLUDE)

    def story(self, doc: dict, limit: int = STORY_LIMIT) -> list[dict]:
        """The other articles of `doc`'s story (same `story_id`), newest first."""
        story_id = doc.get("story_id")
        if not isinstance(story_id, str) or not story_id:
            return []
        return list(self.articles.find({"story_id": story_id, "_id": {"$ne": doc["_id"]}}, LIST_FIELDS)
                    .sort([("published_at", DESCENDING), ("_id", DESCENDING)]).limit(limit))

    # ---- crawl health -------------------------------------------------------------------------

    def health(self, days: list[tuple[str, int]] | None = None) -> "HealthData":
        """The health page's data; `days`: the days list when the caller has it (newest first)."""
        days = [d for d, _ in (self.days(HEALTH_DAYS) if days is None else days[:HEALTH_DAYS])]
        per_day: dict[tuple[str, str], int] = {}
        words: dict[str, dict[str, list[int]]] = defaultdict(lambda: defaultdict(list))
        if days:
            for r in self.articles.aggregate([
                    {"$match": {"published_date": {"$in": days}}},
                    {"$group": {"_id": {"d": "$published_date", "s": "$source"}, "n": {"$sum": 1}}},
                    {"$limit": HEALTH_DAYS * 500}]):
                key = r.get("_id") or {}
                per_day[(str(key.get("d")), str(key.get("s") or "unknown"))] = int(r["n"])
            # Words as the pages count them for NEWSCRAWL_MIN_BODY_WORDS (a CJK character is one).
            for d in (self.articles.find({"published_date": {"$in": days}}, {"source": 1, "published_date": 1, "body": 1})
                      .sort("published_at", DESCENDING).limit(HEALTH_BODIES)):
                if isinstance(d.get("body"), str):
                    words[str(d.get("source") or "unknown")][str(d.get("published_date"))].append(word_count(d["body"]))
        body_words = []
        for source, by_day in words.items():
            latest = max(by_day)
            earlier = [n for day, counts in by_day.items() if day != latest for n in counts]
            body_words.append({"source": source, "latest_day": latest,
                               "latest_median": statistics.median(by_day[latest]),
                               "history_median": statistics.median(earlier) if earlier else None,
                               "articles": sum(len(c) for c in by_day.values())})
        body_words.sort(key=lambda r: r["source"])

        drops: Counter = Counter()
        errors: Counter = Counter()
        runs = 0
        for run in self.runs.find({}, {"_id": 0, "dropped": 1, "errors": 1}).sort("started_at", DESCENDING) \
                .limit(HEALTH_RUNS):
            runs += 1
            for reason, n in (run.get("dropped") or {}).items():
                if isinstance(n, (int, float)) and n:
                    drops[str(reason)] += int(n)
            for kind, n in (run.get("errors") or {}).items():
                if isinstance(n, (int, float)) and n:
                    errors[str(kind)] += int(n)
        failed = list(self.runs.find({"status": "failed"},
                                     {"_id": 0, "run_id": 1, "spider": 1, "started_at": 1, "finished_at": 1,
                                      "finish_reason": 1, "outcome": 1, "failure_reasons": 1,
                                      "outcome_reasons": 1, "items": 1})
                      .sort("started_at", DESCENDING).limit(FAILED_RUNS))
        return HealthData(days=sorted(days), per_day=per_day, body_words=body_words, drops=dict(drops),
                          errors=dict(errors), runs=runs, failed_runs=failed)


@dataclass
class HealthData:
    days: list[str]                              # oldest first
    per_day: dict[tuple[str, str], int]          # (day, source) -> articles
    body_words: list[dict]                       # per source: latest_day, latest_median, history_median
    drops: dict[str, int]                        # drop reason -> items, over the last `runs` runs
    errors: dict[str, int]                       # error kind -> count, likewise
    runs: int
    failed_runs: list[dict]

    @property
    def empty(self) -> bool:
        return not self.per_day and not self.runs

    def as_json(self) -> dict:
        def when(value):
            return value.astimezone(UTC).isoformat().replace("+00:00", "Z") if isinstance(value, datetime) else value

        return {
            "days": self.days,
            "articles_per_source_per_day": health_summary_rows(self.per_day),
            "body_words": self.body_words,
            "drops": self.drops, "errors": self.errors, "runs": self.runs,
            "failed_runs": [{k: when(v) for k, v in r.items()} for r in self.failed_runs],
        }
