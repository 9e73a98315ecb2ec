"""Tables the docs show that derive from the code: `python -m tests.docs.tables` prints the source tables
of docs/sources.md, the launch sources' (page modules) then the catalog's (generic extraction); the
test in test_docs.py fails when the page shows others."""

from collections import Counter

from newscrawl.sources import SOURCES

KINDS = {"news_sitemap": "news sitemap", "rss": "RSS", "sitemap": "sitemap"}


def _feeds(source) -> str:
    kinds = Counter(feed.kind for feed in source.feeds)
    return ", ".join(f"{n} {KINDS.get(kind, kind)}" for kind, n in sorted(kinds.items()))


def sources_table() -> str:
    """The launch sources (a page module each)."""
    rows = ["| spider | source | language | time zone | feeds | rendered |", "|---|---|---|---|---|---|"]
    for slug in sorted(SOURCES):
        source = SOURCES[slug]
        if source.layouts:
            rows.append(f"| `{slug}` | {source.name} | `{source.language}` | {source.timezone} | {_feeds(source)} | "
                        f"{'yes' if source.render else ''} |")
    return "\n".join(rows)


def catalog_table() -> str:
    """The catalog's sources (newscrawl/publishers/catalog.toml: generic extraction)."""
    rows = ["| spider | source | domains | language | time zone | feeds |", "|---|---|---|---|---|---|"]
    for slug in sorted(SOURCES):
        source = SOURCES[slug]
        if not source.layouts:
            rows.append(f"| `{slug}` | {source.name} | {', '.join(source.domains)} | `{source.language}` | "
                        f"{source.timezone} | {_feeds(source)} |")
    return "\n".join(rows)


if __name__ == "__main__":
    print(sources_table())
    print()
    print(catalog_table())
