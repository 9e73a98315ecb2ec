"""Article discovery: sitemaps (index, urlset, Google News sitemaps) and RSS 2.0 / RSS 1.0 / Atom feeds.

Parsers take response bytes and return plain entries; spiders decide what to fetch.
"""

import logging
from dataclasses import dataclass
from datetime import datetime

import lxml.etree

from newscrawl.extract.dates import parse_date

logger = logging.getLogger(__name__)

_PARSER = lxml.etree.XMLParser(resolve_entities=False, no_network=True, recover=True, huge_tree=True,
                               remove_comments=True)


@dataclass(frozen=True)
class Entry:
    url: str
    date: datetime | None = None      # news:publication_date / pubDate / published, else lastmod / updated
    title: str | None = None


@dataclass(frozen=True)
class Discovered:
    kind: str                         # "sitemapindex", "urlset" or "feed"
    entries: list


def _local(tag) -> str:
    return tag.rsplit("}", 1)[-1].lower() if isinstance(tag, str) else ""


def _child_text(el, *names):
    """Text (or href) of the first child named `names[0]`, else `names[1]` ...: the order of
    `names` is the order of preference, whatever the order of the children."""
    for name in names:
        for child in el:
            if _local(child.tag) == name:
                text = (child.text or "").strip()
                if text:
                    return text
                href = child.get("href")
                if href:
                    return href.strip()
    return None


def _find(el, name):
    for child in el.iter():
        if _local(child.tag) == name:
            return child
    return None


def _date(value: str | None):
    parsed = parse_date(value) if value else None
    return parsed.value if parsed else None


def parse_discovery(body: bytes) -> Discovered:
    """Parse a sitemap or feed document; raises ValueError when it is neither."""
    body = body.lstrip()
    if not body:
        raise ValueError("empty document")
    try:
        root = lxml.etree.fromstring(body, parser=_PARSER)
    except lxml.etree.XMLSyntaxError as exc:
        raise ValueError(f"not XML: {exc}") from exc
    if root is None:
        raise ValueError("not XML")
    kind = _local(root.tag)
    if kind == "sitemapindex":
        return Discovered("sitemapindex", [
            Entry(loc, _date(_child_text(sm, "lastmod"))) for sm in root if _local(sm.tag) == "sitemap"
            and (loc := _child_text(sm, "loc"))])
    if kind == "urlset":
        entries = []
        for url in root:
            if _local(url.tag) != "url" or not (loc := _child_text(url, "loc")):
                continue
            news = _find(url, "news")
            date = _date(_child_text(news, "publication_date")) if news is not None else None
            title = _child_text(news, "title") if news is not None else None
            entries.append(Entry(loc, date or _date(_child_text(url, "lastmod")), title))
        return Discovered("urlset", entries)
    if kind in ("rss", "rdf", "feed"):
        items = [el for el in root.iter() if _local(el.tag) in ("item", "entry")]
        entries = []
        for item in items:
            link = _child_text(item, "link", "guid")
            if kind == "feed":  # Atom: prefer rel=alternate
                alt = [c.get("href") for c in item if _local(c.tag) == "link" and c.get("rel", "alternate") == "alternate"]
                link = alt[0] if alt and alt[0] else link
            if not link or not link.startswith(("http://", "https://")):
                continue
            date = _date(_child_text(item, "pubdate", "published", "date", "issued", "updated", "modified"))
            entries.append(Entry(link.strip(), date, _child_text(item, "title")))
        return Discovered("feed", entries)
    raise ValueError(f"unknown document type <{kind}>")
