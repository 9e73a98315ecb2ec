"""Tables the docs show that derive from the code: `python -m tests.docs.tables` prints the source table
of docs/sources.md (the test in test_docs.py fails when the page shows another)."""

from collections import Counter

from newscrawl.sources import SOURCES

KINDS = {"news_sitemap": "news sitemap", "rss": "RSS", "sitemap": "sitemap"}


def sources_table() -> str:
    rows = ["| spider | source | language | time zone | feeds | rendered |", "|---|---|---|---|---|---|"]
    for slug in sorted(SOURCES):
        source = SOURCES[slug]
        kinds = Counter(feed.kind for feed in source.feeds)
        feeds = ", ".join(f"{n} {KINDS.get(kind, kind)}" for kind, n in sorted(kinds.items()))
        rows.append(f"| `{slug}` | {source.name} | `{source.language}` | {source.timezone} | {feeds} | "
                    f"{'yes' if source.render else ''} |")
    return "\n".join(rows)


if __name__ == "__main__":
    print(sources_table())
