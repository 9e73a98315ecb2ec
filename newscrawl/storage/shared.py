"""One MongoStore per crawler, shared by the pipelines that need it (None when MONGODB_ENABLED is off)."""

_ATTR = "_newscrawl_store"


def shared_store(crawler):
    if not crawler.settings.getbool("MONGODB_ENABLED"):
        return None
    store = getattr(crawler, _ATTR, None)
    if store is None:
        from newscrawl.storage.mongo import MongoStore

        s = crawler.settings
        store = MongoStore(s.get("MONGODB_URI"), s.get("MONGODB_DATABASE"), s.get("MONGODB_COLLECTION"),
                           keep_revisions=s.getbool("MONGODB_KEEP_REVISIONS"),
                           server_timeout_ms=s.getint("MONGODB_SERVER_TIMEOUT_MS"))
        setattr(crawler, _ATTR, store)
    return store


def stored_crawl_times(store, urls) -> dict:
    """url -> crawled_at of the stored articles among `urls` (one query per 500 URLs)."""
    urls = list(urls)
    out = {}
    for i in range(0, len(urls), 500):
        for doc in store.articles.find({"url": {"$in": urls[i:i + 500]}}, {"_id": 0, "url": 1, "crawled_at": 1}):
            out[doc["url"]] = doc.get("crawled_at")
    return out
