"""Headline clean-up: remove site names, section labels, dates and bylines that pages append to
or prepend before the headline in og:title / <title> (" | Le Monde", "– DW – 28.04.2023",
"：中日新聞Web"), and the headline the page's sources agree on (`agreed_title`)."""

import re
import unicodedata

from .text import normalize_for_compare

# Separators with spaces around them, or full-width ones used without spaces in CJK titles.
_SEPARATORS = re.compile(r"\s+[|\-–—:·•»«/*]{1,2}\s+|\s*[｜：|]\s*(?=\S)|-(?=[^\s\-]{1,12}ㅣ)|\s*ㅣ\s*")
_DATE_SEGMENT = re.compile(r"^\s*\d{1,4}[./-]\d{1,2}[./-]\d{1,4}\s*$")
_BYLINE_SEGMENT = re.compile(r"^\s*(by|von|par|por|di|av|door)\s+\S", re.I)
_ELLIPSIS = ("...", "…")
_SITE_KICKER = re.compile(r"^([^:：]{2,60})[:：]\s+")


def _squash(value: str) -> str:
    """Compare site names loosely: ASCII-folded (ö -> o, ß -> ss), alphanumerics only."""
    value = normalize_for_compare(value).replace("ß", "ss")
    value = value.replace("ä", "ae").replace("ö", "oe").replace("ü", "ue")
    value = "".join(c for c in unicodedata.normalize("NFKD", value) if not unicodedata.combining(c))
    return "".join(c for c in value if c.isalnum())


def site_name_keys(names) -> set[str]:
    keys = set()
    for name in names:
        if not name:
            continue
        key = _squash(name)
        if len(key) >= 2:
            keys.add(key)
            keys.add(key.replace("ae", "a").replace("oe", "o").replace("ue", "u"))
    return keys


def _is_site_segment(segment: str, keys: set[str]) -> bool:
    if _DATE_SEGMENT.match(segment) or _BYLINE_SEGMENT.match(segment):
        return True
    seg = _squash(segment)
    if not seg:
        return True
    seg_plain = seg.replace("ae", "a").replace("oe", "o").replace("ue", "u")
    for key in keys:
        if seg in (key,) or seg_plain == key:
            return True
        # "Die Neue Südtiroler Tageszeitung" for tageszeitung.it, "中日新聞Web" for 中日新聞: short
        # segments that contain the site's name.
        if len(key) >= 4 and (key in seg or key in seg_plain) and len(segment.split()) <= 6:
            return True
    return False


def title_segments(title: str | None) -> list[str]:
    """A title's parts between separators (" | ", " - ", "：" ...)."""
    return [part.strip() for part in _SEPARATORS.split(title)] if title else []


def names_site(segment: str, domain: str) -> bool:
    """Whether a title segment names the site of ``domain`` (a registered domain): a few words whose
    squashed form contains the domain's name ("Die Neue Südtiroler Tageszeitung" on tageszeitung.it,
    "Público" on publico.es, "WDR" on wdr.de)."""
    key = _squash(domain.split(".")[0])
    return len(key) >= 3 and 0 < len(segment.split()) <= 6 and any(key in k for k in site_name_keys([segment]))


def strip_site_name(title: str, site_names) -> str:
    """Drop leading/trailing segments that name the site (or are dates / bylines)."""
    if not title:
        return title
    spans = []
    last = 0
    for m in _SEPARATORS.finditer(title):
        spans.append((last, m.start()))
        last = m.end()
    spans.append((last, len(title)))
    keys = site_name_keys(site_names)
    if len(spans) < 2:
        # "Example Gazette: Headline": the site's name as a kicker
        kicker = _SITE_KICKER.match(title)
        if kicker and _is_site_segment(kicker.group(1), keys) and _squash(kicker.group(1)) and \
                len(title) - kicker.end() >= 10:
            return title[kicker.end():].strip()
        return title
    start, end = 0, len(spans)
    while end - start > 1 and _is_site_segment(title[spans[end - 1][0]:spans[end - 1][1]], keys):
        end -= 1
    while end - start > 1 and _is_site_segment(title[spans[start][0]:spans[start][1]], keys):
        start += 1
    return title[spans[start][0]:spans[end - 1][1]].strip()


def is_truncated_version(short: str, full: str) -> bool:
    """`short` ends with an ellipsis and `full` continues it."""
    if not short.endswith(_ELLIPSIS):
        return False
    stem = normalize_for_compare(short.rstrip(".… "))
    return len(stem) > 10 and normalize_for_compare(full).startswith(stem) and len(full) > len(stem)


def choose_title(headline: str, og_title: str, h1: str, doc_title: str, site_names,
                 prefer_og_title: bool = False, twitter_title: str = "", labels=(), own_labels=()) -> str | None:
    """The headline: JSON-LD headline, else og:title, else <h1>, else <title> (og:title first for
    publishers whose headline it is); site names removed, and a headline truncated with an
    ellipsis replaced by the full one when another source has it. Then the sources vote
    (`agreed_title`): site names, section labels and author names around it (``labels``, with the
    navigation's; ``own_labels``, the article's own section and authors; each a list or a function
    giving one, read only when a vote needs it) go when other sources give it without them."""
    order = (og_title, headline, h1, doc_title) if prefer_og_title else (headline, og_title, h1, doc_title)
    candidates = [strip_site_name(t, site_names) for t in order if t]
    candidates = [c for c in candidates if c]
    if not candidates:
        return None
    best = candidates[0]
    for other in candidates[1:]:
        if is_truncated_version(best, other):
            best = other
            break
    if not (headline or og_title or h1):
        # The <title> alone: its ends that are the page's own section or navigation labels go
        # ("Headline | News"), nobody else on the page gives the headline to vote with.
        return _without_label_ends(best, _label_keys(labels() if callable(labels) else labels)) or best
    others = [strip_site_name(t, site_names) for t in (headline, og_title, twitter_title, doc_title) if t]
    return agreed_title(best, strip_site_name(h1, site_names) if h1 else "", [o for o in others if o],
                        site_name_keys(site_names), lambda: _label_keys(labels() if callable(labels) else labels),
                        lambda: _label_keys(own_labels() if callable(own_labels) else own_labels),
                        follow_h1=not prefer_og_title) or best


# ---- voting among the page's headline sources ------------------------------------------------
# Where a kicker, section, site name or byline meets the headline: the separators, and a colon
# right after a word ("Kicker: Headline").
_BOUNDARIES = re.compile(_SEPARATORS.pattern + r"|(?<=\S)[:：]\s+")
# Titles cut into more parts than this are not headlines worth voting on (bounded work).
MAX_VOTE_SEGMENTS = 12
_QUOTES = str.maketrans("", "", "'\"‘’‚`´“”„«»‹›")


def _loose(value: str) -> str:
    """Comparison key: case, spacing, quotes and punctuation at the ends do not count."""
    return normalize_for_compare(value.translate(_QUOTES)).strip(" .,;:!?-–—|*•")


def _label_keys(labels) -> set[str]:
    return {k for k in (_loose(label) for label in labels if label) if k}


def _spans(title: str) -> list[tuple[int, int]] | None:
    spans, last = [], 0
    for m in _BOUNDARIES.finditer(title):
        if m.start() > last:
            spans.append((last, m.start()))
        last = m.end()
        if len(spans) > MAX_VOTE_SEGMENTS:
            return None
    if last < len(title):
        spans.append((last, len(title)))
    return spans


def _substantial(value: str) -> bool:
    """Enough to be a headline: three words, or ten letters in scripts written without spaces."""
    return len(value.split()) >= 3 or (len(value) >= 10 and not value.isascii())


def _find_run(title: str, core_key: str) -> tuple[str, list[str]] | None:
    """The part of ``title`` between boundaries that reads as ``core_key``, and the parts around it."""
    spans = _spans(title)
    if not spans:
        return None
    for i in range(len(spans)):
        for j in range(len(spans), i, -1):
            text = title[spans[i][0]:spans[j - 1][1]]
            if _loose(text) == core_key:
                rest = [title[a:b] for a, b in spans[:i] + spans[j:]]
                return text.strip(), rest
    return None


def _is_label(part: str, core: str, site_keys: set[str], labels) -> bool:
    """A part around a headline that names the site, a section, an author or a date (``labels``:
    a function giving the label keys)."""
    return len(part) < len(core) and (_is_site_segment(part, site_keys) or _loose(part) in labels())


def agreed_title(best: str, h1: str, others, site_keys: set[str], labels, own_labels=lambda: (),
                 follow_h1: bool = True) -> str | None:
    """``best`` (the choice by source order) without the site names, section labels, bylines and
    dates around it (``site_keys`` as `site_name_keys` gives them, ``labels`` a function giving
    the keys `_label_keys` makes, called once when needed) when two sources (the visible <h1>,
    JSON-LD headline, og:title, twitter:title, <title>) give it without them, or the <h1> alone
    leaves out only the article's own section or author (``own_labels``, the same way); None to
    keep ``best``. Sources that disagree otherwise (an SEO headline beside the editorial one, a
    kicker) change nothing: which of them is the publisher's headline is not on the page."""
    best_key = _loose(best)
    read_labels, read_own_labels = _once(labels), _once(own_labels)
    sources = ((h1,) if follow_h1 else ()) + tuple(others)
    keys = [_loose(s) if s else "" for s in sources]
    for i, (other, key) in enumerate(zip(sources, keys)):
        if not key or key == best_key or not _substantial(other):
            continue
        # Two sources give the headline without the labels; or the visible <h1> alone, leaving
        # out only the article's own section or author (any navigation label would be too loose:
        # an <h1> may just be shorter than what all the metadata carries).
        agreed = keys.count(key) >= 2
        if not agreed and not (follow_h1 and i == 0):
            continue
        found = _find_run(best, key)
        if found and found[1] and all(_is_label(p, other, site_keys, read_labels if agreed else read_own_labels)
                                      for p in found[1]):
            return found[0]
    return None


def _without_label_ends(title: str, labels: set[str]) -> str | None:
    """``title`` without the separated parts at its ends that are labels, when three words remain."""
    spans = [(a, b) for a, b in (_spans(title) or []) if title[a:b].strip()]
    start, end = 0, len(spans)
    while end - start > 1 and _loose(title[slice(*spans[end - 1])]) in labels:
        end -= 1
    while end - start > 1 and _loose(title[slice(*spans[start])]) in labels:
        start += 1
    if (start, end) == (0, len(spans)):
        return None
    rest = title[spans[start][0]:spans[end - 1][1]].strip()
    return rest if _substantial(rest) else None


def _once(read):
    """``read()`` called on first use only, then its result as a set."""
    value = None

    def get() -> set[str]:
        nonlocal value
        if value is None:
            value = set(read())
        return value
    return get
