"""Structured data of a page: JSON-LD (incl. @graph), OpenGraph / article:* / other meta tags,
microdata properties and <time> elements, read once from a parsed lxml tree.

JSON-LD is hostile input: a block over MAX_JSONLD_CHARS (all blocks together) or nested deeper than
MAX_JSONLD_DEPTH is skipped before it is parsed (``Structured.skipped`` counts why), and every
string read from it has its character references decoded once and what an item cannot hold
removed (``text.encodable``), here where it enters.
"""

import json
import logging
import re
from collections import Counter
from dataclasses import dataclass, field

from extruct.jsonld import JsonLdExtractor

from .text import decode_entities, encodable

logger = logging.getLogger(__name__)

ARTICLE_TYPES = frozenset({
    "newsarticle", "article", "reportagenewsarticle", "analysisnewsarticle", "opinionnewsarticle",
    "backgroundnewsarticle", "reviewnewsarticle", "askpublicnewsarticle", "blogposting", "liveblogposting",
    "scholarlyarticle", "report", "socialmediaposting", "techarticle", "satiricalarticle", "advertisercontentarticle",
})
MAX_JSONLD_CHARS = 2_000_000  # a page's JSON-LD beyond this is ignored (hostile or broken pages)
# Real JSON-LD nests a few levels (an article's author's address); 64 stays far below Python's
# recursion limit, which json.loads, extruct and any recursive walk would otherwise hit (a
# RecursionError that lost the whole page), and the check runs before parsing.
MAX_JSONLD_DEPTH = 64
# Meta contents and JSON-LD strings are cut to this on reading, far above any field's cap
# (items.MAX_*): cleaning megabytes of a hostile og:title or description (markup, mojibake repair)
# would cost seconds. The article's own text (articleBody, text) is kept whole.
MAX_VALUE_CHARS = 20_000
_WHOLE_KEYS = frozenset(("articleBody", "text"))

_jsonld = JsonLdExtractor()
_JSONLD_XPATH = '//script[@type="application/ld+json" or @type="application/json+ld"]'


def _types(obj) -> set[str]:
    t = obj.get("@type") if isinstance(obj, dict) else None
    if isinstance(t, str):
        return {t.rsplit("/", 1)[-1].lower()}
    if isinstance(t, list):
        return {x.rsplit("/", 1)[-1].lower() for x in t if isinstance(x, str)}
    return set()


def _walk(obj, depth=0):
    """Yield every dict in a JSON-LD value (lists, @graph, nested values), bounded in depth."""
    if depth > 8:
        return
    if isinstance(obj, list):
        for x in obj:
            yield from _walk(x, depth + 1)
    elif isinstance(obj, dict):
        yield obj
        for key in ("@graph", "mainEntity", "itemListElement", "hasPart"):
            if key in obj:
                yield from _walk(obj[key], depth + 1)


_JSON_STRING = re.compile(r'"[^"\\]*(?:\\.[^"\\]*)*"')
_NOT_BRACKET = re.compile(r"[^\[\]{}]+")


def json_depth_over(text: str, limit: int = MAX_JSONLD_DEPTH) -> bool:
    """Whether JSON text nests arrays/objects deeper than ``limit`` (strings skipped). Text with at
    most ``limit`` brackets cannot, and is not scanned (nearly every block)."""
    if text.count("[") + text.count("{") <= limit:
        return False
    depth = 0
    for ch in _NOT_BRACKET.sub("", _JSON_STRING.sub("", text)):
        depth += 1 if ch in "[{" else -1
        if depth > limit:
            return True
    return False


def _clean_strings(data, limit: int = MAX_JSONLD_DEPTH):
    """Every string value in parsed JSON-LD cut to MAX_VALUE_CHARS (articleBody aside), decoded once
    (`text.decode_entities`) and made `text.encodable`, in place and without recursion; containers
    deeper than ``limit`` (only reachable through extruct's lenient parser) become None."""
    if isinstance(data, str):
        return encodable(decode_entities(data[:MAX_VALUE_CHARS]))
    stack = [(data, 0)]
    while stack:
        container, depth = stack.pop()
        keys = container.keys() if isinstance(container, dict) else range(len(container))
        for k in list(keys):
            v = container[k]
            if isinstance(v, str):
                if len(v) > MAX_VALUE_CHARS and k not in _WHOLE_KEYS:
                    v = container[k] = v[:MAX_VALUE_CHARS]
                if "&" in v or not v.isascii() or not v.isprintable():
                    container[k] = encodable(decode_entities(v))
            elif isinstance(v, (dict, list)):
                if depth + 1 > limit:
                    container[k] = None
                else:
                    stack.append((v, depth + 1))
    return data


@dataclass
class Structured:
    jsonld: list = field(default_factory=list)      # every JSON-LD object (flattened)
    skipped: Counter = field(default_factory=Counter)  # JSON-LD blocks not read: too_large, too_deep, invalid
    article: dict | None = None                     # the JSON-LD article object, if any
    meta: dict = field(default_factory=dict)        # lower-cased meta name/property -> list of contents
    microdata: dict = field(default_factory=dict)   # itemprop -> list of values (first few)
    times: list = field(default_factory=list)       # <time datetime> values, in document order
    canonical: str | None = None
    html_lang: str | None = None

    def first_meta(self, *names):
        for name in names:
            for value in self.meta.get(name, ()):
                if value and value.strip():
                    return value.strip()
        return None

    def all_meta(self, *names):
        out = []
        for name in names:
            out.extend(v.strip() for v in self.meta.get(name, ()) if v and v.strip())
        return out

    def labelled_meta(self, label: str) -> list[str]:
        """Values of twitter:dataN whose twitter:labelN is `label` (Yoast's "Written by")."""
        out = []
        for n in range(1, 5):
            if any(v.strip().lower() == label for v in self.meta.get(f"twitter:label{n}", ())):
                out.extend(v.strip() for v in self.meta.get(f"twitter:data{n}", ()) if v and v.strip())
        return out

    def jsonld_of_type(self, *types):
        wanted = {t.lower() for t in types}
        return [o for o in self.jsonld if _types(o) & wanted]

    def resolve(self, value):
        """A JSON-LD reference (`{"@id": ...}` without a name, as graphs write their publisher)
        replaced by the page's object of that @id (in a list too); anything else as it is."""
        if isinstance(value, list):
            return [self.resolve(v) if isinstance(v, dict) else v for v in value]
        if isinstance(value, dict) and "name" not in value and isinstance(value.get("@id"), str):
            return next((o for o in self.jsonld if o.get("@id") == value["@id"] and o is not value), value)
        return value


def _load_jsonld(tree, skipped: Counter, url: str | None) -> list:
    objs = []
    total = 0
    for script in tree.xpath(_JSONLD_XPATH):
        text = script.text or ""
        total += len(text)
        if total > MAX_JSONLD_CHARS:
            logger.debug("JSON-LD of %s over %d chars ignored", url, MAX_JSONLD_CHARS)
            skipped["too_large"] += 1
            break
        if json_depth_over(text):
            logger.debug("JSON-LD block of %s nested deeper than %d levels skipped", url, MAX_JSONLD_DEPTH)
            skipped["too_deep"] += 1
            continue
        try:
            data = json.loads(text, strict=False)
        except (ValueError, RecursionError):
            try:  # extruct tolerates HTML comments and trailing commas
                data = list(_jsonld._extract_items(script))
            except Exception:   # extruct raises what its parsers raise: the block is unreadable
                skipped["invalid"] += 1
                continue
        objs.extend(_walk(_clean_strings(data)))
    return objs


def _pick_article(objs: list, url: str | None):
    candidates = [o for o in objs if _types(o) & ARTICLE_TYPES]
    if not candidates:
        # Some sites type the article as WebPage with a headline or articleBody.
        candidates = [o for o in objs if ("articleBody" in o or "headline" in o or "datePublished" in o)
                      and _types(o) & {"webpage", "claimreview", "videoobject"}]
    if not candidates:
        return None

    def score(o):
        s = 0
        if o.get("articleBody"):
            s += 2
        if o.get("headline"):
            s += 1
        if o.get("datePublished"):
            s += 1
        if _types(o) & {"newsarticle", "reportagenewsarticle"}:
            s += 1
        return s
    return max(candidates, key=score)


def read_structured(tree, url: str | None = None) -> Structured:
    s = Structured()
    s.jsonld = _load_jsonld(tree, s.skipped, url)
    s.article = _pick_article(s.jsonld, url)
    for el in tree.iter("meta"):
        key = el.get("property") or el.get("name") or el.get("itemprop") or el.get("http-equiv")
        content = el.get("content")
        if key and content is not None:
            s.meta.setdefault(key.strip().lower(), []).append(content[:MAX_VALUE_CHARS])
    for el in tree.xpath("//*[@itemprop][not(self::meta)]"):
        prop = el.get("itemprop")
        values = s.microdata.setdefault(prop.strip(), [])
        if len(values) < 5:
            values.append(el.get("datetime") or el.get("content") or el.get("href") or el.get("src")
                          or " ".join(el.text_content().split())[:300])
    s.times = [t.get("datetime") for t in tree.iter("time") if t.get("datetime")][:20]
    canon = tree.xpath('//link[translate(@rel,"CANONICAL","canonical")="canonical"]/@href')
    s.canonical = canon[0].strip() if canon else None
    lang = tree.xpath("/html/@lang | /html/@xml:lang")
    s.html_lang = lang[0].strip() if lang else None
    return s


def as_text_list(value, _depth: int = 0) -> list[str]:
    """JSON-LD values that may be a string, a list (lists in lists a few levels deep), or objects
    with a name."""
    if value is None:
        return []
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict):
        name = value.get("name") or value.get("@value")
        return [name] if isinstance(name, str) else []
    if isinstance(value, list) and _depth < 4:
        out = []
        for v in value[:50]:
            out.extend(as_text_list(v, _depth + 1))
        return out
    return []


_SPLIT_KEYWORDS = re.compile(r"\s*[,;]\s*")


def split_keywords(values) -> list[str]:
    out = []
    for v in values:
        out.extend(x for x in _SPLIT_KEYWORDS.split(v) if x)
    return out
