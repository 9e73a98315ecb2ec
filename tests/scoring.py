"""How an extraction is scored against a page's expected values: body F1 (and its precision and recall)
over 4-token shingles (as the article-extraction-benchmark), title exact match after normalisation, timestamp accuracy within two
minutes, same-day accuracy, authors. The one definition: the development-page tests assert on it and
the extraction bench (tools/bench/extraction.py, run from the repository root) reports it."""

from collections import Counter
from datetime import datetime, timedelta, timezone

from newscrawl.extract.text import normalize_for_compare, tokens


def shingle_counts(text: str, n: int = 4) -> Counter:
    toks = tokens(text or "")
    if len(toks) < n:
        return Counter([tuple(toks)]) if toks else Counter()
    return Counter(tuple(toks[i:i + n]) for i in range(len(toks) - n + 1))


def body_scores(predicted: str | None, expected: str | None) -> tuple[float, float, float]:
    """(precision, recall, F1) of the predicted body's shingles against the expected body's: low
    precision is text that is not the article (navigation, teasers), low recall article text missed."""
    p, e = shingle_counts(predicted or ""), shingle_counts(expected or "")
    if not p and not e:
        return 1.0, 1.0, 1.0
    overlap = sum((p & e).values())
    if not overlap:
        return 0.0, 0.0, 0.0
    precision, recall = overlap / sum(p.values()), overlap / sum(e.values())
    return precision, recall, 2 * precision * recall / (precision + recall)


def body_f1(predicted: str | None, expected: str | None) -> float:
    return body_scores(predicted, expected)[2]


def title_match(predicted: str | None, expected: str | None) -> bool:
    return bool(predicted) and normalize_for_compare(predicted) == normalize_for_compare(expected)


def _instant(value) -> datetime | None:
    if not value:
        return None
    try:
        dt = datetime.fromisoformat(str(value).replace("Z", "+00:00"))
    except ValueError:
        return None
    return dt if dt.tzinfo else None


def _offset(value: str | None) -> timedelta | None:
    if not value:
        return None
    sign = -1 if value.startswith("-") else 1
    hh, mm = value.lstrip("+-").split(":")
    return sign * timedelta(hours=int(hh), minutes=int(mm))


def timestamp_match(predicted: str | None, expected: str | None, tolerance_s: int = 120,
                    utc_offset: str | None = None) -> bool:
    """Same instant within the tolerance; a date-only prediction does not count.

    An expected value without offset is a local wall time: it is compared with the predicted
    instant shifted by the predicted local offset (`published_at_source.utc_offset`)."""
    if not predicted or len(str(predicted)) <= 10 or not expected:
        return False
    p = _instant(predicted)
    try:
        e = datetime.fromisoformat(str(expected).replace("Z", "+00:00"))
    except ValueError:
        return False
    if p is None:
        return False
    if e.tzinfo is None:
        off = _offset(utc_offset)
        if off is None:
            return False
        p = (p + off).replace(tzinfo=None)
    return abs((p - e).total_seconds()) <= tolerance_s


def same_day(predicted: str | None, expected: str | None, utc_offset: str | None = None) -> bool:
    """The predicted calendar day (in UTC, or local via the predicted offset) is the expected one
    (local or UTC)."""
    if not predicted or not expected:
        return False
    try:
        e = datetime.fromisoformat(str(expected).replace("Z", "+00:00"))
    except ValueError:
        return False
    days = {e.date().isoformat()}
    if e.tzinfo is not None:
        days.add(e.astimezone(timezone.utc).date().isoformat())
    ours = {str(predicted)[:10]}
    p, off = _instant(predicted), _offset(utc_offset)
    if p is not None and off is not None:
        ours.add((p + off).date().isoformat())
    return bool(days & ours)


def authors_match(predicted, expected) -> bool:
    norm = lambda xs: sorted(normalize_for_compare(x) for x in xs or [])  # noqa: E731
    return norm(predicted) == norm(expected)


def has_time_of_day(expected: str | None) -> bool:
    """Expected values written as naive midnight are bare dates."""
    if not expected:
        return False
    try:
        dt = datetime.fromisoformat(str(expected).replace("Z", "+00:00"))
    except ValueError:
        return False
    return dt.tzinfo is not None or (dt.hour, dt.minute, dt.second) != (0, 0, 0)
