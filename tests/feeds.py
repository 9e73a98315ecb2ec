"""What the tests' local sites serve to spiders: distinct article texts, news sitemaps, RSS."""

WORDS = ("harbour", "council", "bridge", "orchestra", "election", "storm", "museum", "market", "school", "river",
         "railway", "forest")


def paragraphs(n: int) -> list[str]:
    """Distinct text per article (identical bodies would be exact duplicates)."""
    w = WORDS[n % len(WORDS)]
    return [f"Story {n} about the {w}: the {w} committee met on day {n} and agreed on plan number {n * 7}. "
            f"Residents said the {w} decision number {n} would change their district for years to come.",
            f"A second paragraph of article {n} explains why the {w} matters, quoting {n + 3} local officials "
            f"and a report published by the regional {w} office with figures for {n + 2000}."]


def news_sitemap(site, entries) -> str:
    urls = "".join(
        f"<url><loc>{site.url(path)}</loc><news:news><news:publication><news:name>Local</news:name>"
        f"<news:language>en</news:language></news:publication><news:publication_date>{date}"
        f"</news:publication_date><news:title>t</news:title></news:news></url>" for path, date in entries)
    return ('<?xml version="1.0" encoding="UTF-8"?><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9" '
            'xmlns:news="http://www.google.com/schemas/sitemap-news/0.9">' + urls + "</urlset>")


def rss(site, entries) -> str:
    items = "".join(f"<item><title>t</title><link>{site.url(path)}</link><pubDate>{date}</pubDate></item>"
                    for path, date in entries)
    return f'<?xml version="1.0"?><rss version="2.0"><channel><title>x</title>{items}</channel></rss>'
