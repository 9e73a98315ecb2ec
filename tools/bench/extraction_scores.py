"""The pure parts of `bench extraction`: a page's scores, summaries over sets of pages, the pages under a
body-F1 threshold, the per-source table, and the recognition of per-publisher tables (module-level
collections keyed by domain names) and of one of them without one entry. No Scrapy, no pages read:
tests/tools/test_bench_extraction.py covers them.

An extractor's output for a page is a dict in our item's names (body, title, published_at, authors,
published_at_source) or None when it gave nothing (not an article, an error, not covered).
"""

import re
from statistics import median

from tests import scoring as metrics

# A host or registered domain as tables of publishers key them ("n-tv.de", "bbc.co.uk"); not a path,
# a URL or a bare word.
_DOMAIN = re.compile(r"(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,24}")


def words(text: str | None) -> int:
    return len((text or "").split())


def score_page(case: dict, got: dict | None, cpu_s: float | None = None) -> dict:
    """One page's row: body F1 with precision and recall, title, timestamp, same day, authors."""
    exp = case["expected"]
    row = {"id": case["id"], "publisher": case["publisher"], "item": got is not None}
    got = got or {}
    offset = (got.get("published_at_source") or {}).get("utc_offset") if isinstance(
        got.get("published_at_source"), dict) else None
    precision, recall, f1 = metrics.body_scores(got.get("body"), exp.get("body"))
    row.update({
        "body_f1": f1, "body_precision": precision, "body_recall": recall,
        "words": words(got.get("body")), "expected_words": words(exp.get("body")),
        "title": metrics.title_match(got.get("title"), exp.get("title")),
        "has_time": metrics.has_time_of_day(exp.get("published")),
        "timestamp": metrics.timestamp_match(got.get("published_at"), exp.get("published"), utc_offset=offset),
        "same_day": metrics.same_day(got.get("published_at"), exp.get("published"), utc_offset=offset),
        "authors": metrics.authors_match(got.get("authors"), exp.get("authors")),
        "cpu_ms": None if cpu_s is None else 1000 * cpu_s,
    })
    return row


def summarise(rows: list[dict]) -> dict:
    """Means over the rows; timestamp over the pages whose expected value has a time of day (a bare
    date cannot be matched by an instant; `timestamp_all` counts every page); cpu_ms over the rows
    that were timed."""
    n = len(rows) or 1
    timed = [r["cpu_ms"] for r in rows if r.get("cpu_ms") is not None]
    with_time = [r for r in rows if r["has_time"]]
    return {"pages": len(rows), "items": sum(r["item"] for r in rows),
            "body_f1": sum(r["body_f1"] for r in rows) / n,
            "body_precision": sum(r["body_precision"] for r in rows) / n,
            "body_recall": sum(r["body_recall"] for r in rows) / n,
            "title": sum(r["title"] for r in rows) / n,
            "timestamp": sum(r["timestamp"] for r in with_time) / len(with_time) if with_time else None,
            "timestamp_all": sum(r["timestamp"] for r in rows) / n,
            "same_day": sum(r["same_day"] for r in rows) / n,
            "authors": sum(r["authors"] for r in rows) / n,
            "cpu_ms": sum(timed) / len(timed) if timed else None,
            "cpu_ms_median": median(timed) if timed else None}


def subset(rows: list[dict], ids) -> list[dict]:
    ids = set(ids)
    return [r for r in rows if r["id"] in ids]


def under(rows: list[dict], limit: float) -> list[dict]:
    """The pages whose body F1 is below `limit`, worst first."""
    return sorted((r for r in rows if r["body_f1"] < limit), key=lambda r: (r["body_f1"], r["id"]))


def per_source(source_of: dict[str, str], by_extractor: dict[str, list[dict]]) -> dict[str, dict]:
    """source slug -> extractor -> summary over that source's pages (source_of: page id -> slug; an
    extractor's summary covers the pages it has rows for)."""
    table: dict[str, dict] = {}
    for slug in sorted(set(source_of.values())):
        ids = {i for i, s in source_of.items() if s == slug}
        table[slug] = {name: summarise(subset(rows, ids)) for name, rows in by_extractor.items()}
    return table


def diff_items(a: dict | None, b: dict | None, keys=("title", "body", "published_at", "authors")) -> bool:
    """Whether two outputs for a page differ in a scored field."""
    if a is None or b is None:
        return (a is None) != (b is None)
    return any(a.get(k) != b.get(k) for k in keys)


# --- per-publisher tables ---------------------------------------------------------------------------

def domain_keys(value) -> list[str] | None:
    """The keys of a module-level table of publishers: a set, tuple, list or dict whose keys are all
    domain names; None for anything else."""
    if not isinstance(value, (frozenset, set, tuple, list, dict)) or not value:
        return None
    keys = list(value)
    if all(isinstance(k, str) and _DOMAIN.fullmatch(k) for k in keys):
        return keys
    return None


def without(value, key: str):
    """The table without one entry, of the same type."""
    if isinstance(value, dict):
        return type(value)((k, v) for k, v in value.items() if k != key)
    return type(value)(k for k in value if k != key)


def host_of(url: str) -> str:
    host = url.split("//", 1)[-1].split("/", 1)[0].split("@")[-1].split(":")[0].lower().rstrip(".")
    return host[4:] if host.startswith("www.") else host


def entry_applies(key: str, url: str) -> bool:
    """A table entry (a registered domain or a host) covers the URL's host and its subdomains."""
    host = host_of(url)
    return host == key or host.endswith("." + key)
