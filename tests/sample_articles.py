"""A complete article item as the pipelines hand it to the store, for the storage tests."""


def article(n: int, **fields) -> dict:
    item = {
        "url": f"https://news.example.org/2026/11/01/story-{n}.html",
        "fetched_url": f"https://news.example.org/2026/11/01/story-{n}.html?utm_source=x",
        "source": "example.org", "source_name": "Example News",
        "title": f"Headline number {n}",
        "summary": "A lede.",
        "body": f"First paragraph of story {n}.\n\nSecond paragraph of story {n}, with more words.",
        "authors": ["Ada Lovelace"],
        "published_at": "2026-11-01T15:47:42Z",
        "published_at_source": {"method": "jsonld", "has_time": True, "has_zone": True, "zone_guess": None,
                                "utc_offset": "+01:00", "raw": "2026-11-01T16:47:42+01:00"},
        "modified_at": None, "image": None, "section": ["World"], "tags": ["a", "b"],
        "declared_language": "en", "is_paywalled": False,
        "crawled_at": "2026-11-02T08:00:00Z",
        "language": "en", "language_confidence": 0.99,
        "story_id": f"story-{n}", "lsh_bands": [f"0:{n:04x}", "1:shared"], "minhash": [n, 7, 42],
    }
    item.update(fields)
    return item
