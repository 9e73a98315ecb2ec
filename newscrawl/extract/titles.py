"""Headline clean-up: remove site names, section labels, dates and bylines that pages append to
or prepend before the headline in og:title / <title> (" | Le Monde", "– DW – 28.04.2023",
"：中日新聞Web")."""

import re
import unicodedata

from .text import normalize_for_compare

# Separators with spaces around them, or full-width ones used without spaces in CJK titles.
_SEPARATORS = re.compile(r"\s+[|\-–—:·•»/]{1,2}\s+|\s*[｜：|]\s*(?=\S)|-(?=[^\s\-]{1,12}ㅣ)|\s*ㅣ\s*")
_DATE_SEGMENT = re.compile(r"^\s*\d{1,4}[./-]\d{1,2}[./-]\d{1,4}\s*$")
_BYLINE_SEGMENT = re.compile(r"^\s*(by|von|par|por|di|av|door)\s+\S", re.I)
_ELLIPSIS = ("...", "…")


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
    if len(spans) < 2:
        return title
    keys = site_name_keys(site_names)
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
                 prefer_og_title: bool = False) -> str | None:
    """The headline: JSON-LD headline, else og:title, else <h1>, else <title> (og:title first for
    publishers whose headline it is); site names removed, and a headline truncated with an
    ellipsis replaced by the full one when another source has it."""
    order = (og_title, headline, h1, doc_title) if prefer_og_title else (headline, og_title, h1, doc_title)
    candidates = [strip_site_name(t, site_names) for t in order if t]
    candidates = [c for c in candidates if c]
    if not candidates:
        return None
    best = candidates[0]
    for other in candidates[1:]:
        if is_truncated_version(best, other):
            return other
    return best
