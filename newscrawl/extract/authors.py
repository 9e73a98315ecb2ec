"""Author names: from JSON-LD, meta tags and byline markup, cleaned of "By", roles, initials,
e-mail addresses and slugs; persons preferred over the publishing organisation."""

import re

from .text import clean_text, shown_text
from .titles import site_name_keys, _squash

_PREFIX = re.compile(
    r"^(?:by|von|par|por|di|de|av|af|od|door|tekst|text|texte|autor(?:in)?|auteur|author|written by|"
    r"reporting by|ein (?:kommentar|bericht|gastbeitrag) von|interview:?)\s*[:\-]?\s+", re.I)
_SPLIT = re.compile(r"\s*(?:;|\||\s&\s|\band\b|\bund\b|\bet\b|\by\b|\be\b|\boch\b|\bog\b|\bi\b|\bve\b|\bи\b)\s*", re.I)
_COMMA = re.compile(r"\s*,\s*")
_PAREN = re.compile(r"\s*\([^)]{0,40}\)\s*")
_EMAIL = re.compile(r"\S+@\S+\.\w+")
_SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)+$")
ORG_TYPES = frozenset({"organization", "newsmediaorganization", "corporation", "organisation"})

# Byline markup, most specific first (the rules of byline_candidates, as XPath):
BYLINE_XPATHS = (
    '//*[@itemprop="author"]//*[@itemprop="name"]',
    '//a[@rel="author"]',
    '//*[@itemprop="author"][not(.//*[@itemprop="name"])]',
    '//*[contains(concat(" ", normalize-space(@class), " "), " byline ")]//a',
    '//*[contains(@class, "author-name") or contains(@class, "authorName") or contains(@class, "author__name")]',
    '//*[contains(translate(@class, "AUTHORNME", "authornme"), "authorname")]',
    '//*[contains(translate(@class, "AUTHORLIST", "authorlist"), "authorlist")]//a',
    '//*[self::p or self::span or self::div][contains(concat(" ", normalize-space(@class), " "), " author ")]',
)
_AUTHORNAME = str.maketrans("AUTHORNME", "authornme")
_AUTHORLIST = str.maketrans("AUTHORLIST", "authorlist")
_XML_SPACE = re.compile(r"[ \t\r\n]+")
_MAY_BE_BYLINE = re.compile(r"(?i)author|byline").search   # every class the rules below can match


def _is_type(obj, types) -> bool:
    t = obj.get("@type") if isinstance(obj, dict) else None
    t = [t] if isinstance(t, str) else (t or [])
    return any(isinstance(x, str) and x.lower() in types for x in t)


def split_jsonld_authors(value) -> tuple[list[str], list[str]]:
    """(persons, organisations) named by a JSON-LD author/creator value."""
    persons, orgs = [], []
    values = value if isinstance(value, list) else [value]
    for v in values[:30]:
        if isinstance(v, str):
            persons.append(v)
        elif isinstance(v, dict):
            name = v.get("name")
            if not name and (v.get("givenName") or v.get("familyName")):
                name = f"{v.get('givenName') or ''} {v.get('familyName') or ''}"
            if isinstance(name, list):
                name = " ".join(n for n in name if isinstance(n, str))
            if not isinstance(name, str):
                continue
            (orgs if _is_type(v, ORG_TYPES) else persons).append(name)
    return persons, orgs


def clean_names(names, site_names=()) -> tuple[list[str], list[str]]:
    """Split, clean and dedupe raw author strings; returns (persons, organisations) where
    organisations are the names that match the site itself."""
    keys = site_name_keys(site_names)
    persons, orgs, seen = [], [], set()
    for raw in names:
        text = clean_text(raw if isinstance(raw, str) else None)
        if not text or text.startswith(("http://", "https://", "(")) or _EMAIL.fullmatch(text):
            continue
        text = _PREFIX.sub("", _PAREN.sub(" ", text)).strip()
        parts = _SPLIT.split(text)
        # "Smith, John" is one name; "John Smith, Jane Doe" two.
        parts = [p for part in parts for p in (_COMMA.split(part) if part.count(" ") >= 1 and "," in part else [part])]
        if len(parts) > 1 and _is_site(parts[0], keys):
            parts = parts[:1]   # "hessenschau.de, Frankfurt, Germany": the site and its address
        for part in parts:
            part = _PREFIX.sub("", part).strip(" .,:·-–—/")
            if not part or len(part) > 60 or len(part.split()) > 5 or part.isdigit() or _EMAIL.search(part):
                continue
            if _SLUG.match(part):
                part = part.replace("-", " ")
            key = _squash(part)
            if not key or key in seen:
                continue
            seen.add(key)
            (orgs if _is_site(part, keys) else persons).append(part)
    # A slug turned into words duplicates the properly cased name: keep the cased one.
    persons = [p for p in persons if not (p.islower() and any(q != p and q.lower() == p for q in persons))]
    return persons, orgs


def _is_site(part: str, keys: set[str]) -> bool:
    """The site itself: its name, a name containing it, or a desk named after it ("MDR THÜRINGEN")."""
    key = _squash(part)
    if key in keys or any(len(k) >= 4 and k in key for k in keys):
        return True
    first = _squash(part.split()[0]) if part.split() else ""
    return len(first) >= 3 and first in keys and len(part.split()) > 1


def distinct_orgs(names) -> list[str]:
    """Organisation names without repeats: "hessenschau.de" after "Redaktion hessenschau.de" goes."""
    kept, keys = [], []
    for name in names:
        key = _squash(name)
        if key and not any(key in k or k in key for k in keys):
            kept.append(name)
            keys.append(key)
    return kept


def byline_candidates(tree) -> list[list]:
    """The elements each rule of BYLINE_XPATHS finds, in document order: the same lists, from one
    pass over the tree (eight XPaths of contains(@class, ...) cost ~4 ms a page on lxml)."""
    found: list[list] = [[] for _ in BYLINE_XPATHS]
    authors, bylines, author_lists = [], [], []
    for el in tree.iter():
        tag = el.tag
        if not isinstance(tag, str):
            continue
        if el.get("itemprop") == "author":
            authors.append(el)
        if tag == "a" and el.get("rel") == "author":
            found[1].append(el)
        cls = el.get("class")
        if not cls or not _MAY_BE_BYLINE(cls):
            continue
        words = _XML_SPACE.split(cls)
        if "byline" in words:
            bylines.append(el)
        if "author-name" in cls or "authorName" in cls or "author__name" in cls:
            found[4].append(el)
        if "authorname" in cls.translate(_AUTHORNAME):
            found[5].append(el)
        if "authorlist" in cls.translate(_AUTHORLIST):
            author_lists.append(el)
        if tag in ("p", "span", "div") and "author" in words:
            found[7].append(el)
    for el in authors:
        names = [d for d in el.iterdescendants() if d.get("itemprop") == "name"]
        found[0].extend(names)
        if not names:
            found[2].append(el)
    found[0] = _distinct(found[0])
    found[3] = _distinct(a for el in bylines for a in el.iterdescendants("a"))
    found[6] = _distinct(a for el in author_lists for a in el.iterdescendants("a"))
    return found


def _distinct(elements) -> list:
    """Elements without repeats, first occurrence kept (descendants of nested matches, which come
    in document order already)."""
    seen, out = set(), []
    for el in elements:
        if el not in seen:
            seen.add(el)
            out.append(el)
    return out


def byline_names(tree) -> list[str]:
    """Names in the first byline found; later matches count only inside the same block (author
    links of related articles further down the page are not bylines)."""
    for found in byline_candidates(tree):
        if not found:
            continue
        block = found[0].getparent()
        for _ in range(2):
            if block is not None and block.getparent() is not None:
                block = block.getparent()
        inside = [el for el in found[:12] if block is None or any(a is block for a in el.iterancestors())]
        names = [" ".join(shown_text(el).split()) for el in inside[:6]]
        names = [n for n in names if 2 < len(n) <= 60]
        if names:
            return names
    return []


def trafilatura_authors(tree) -> list[str]:
    """The author names trafilatura's byline rules find (its `extract_author`: classes, ids and rel
    values of bylines, wider than ours), on a copy of the tree it prunes; [] when it finds none or
    fails on a broken document."""
    try:
        from trafilatura.metadata import extract_author
        found = extract_author(tree)
    except Exception:   # (an internal function of trafilatura: its failure is no author, not an error)
        return []
    return [name.strip() for name in (found or "").split(";") if name.strip()][:20]
