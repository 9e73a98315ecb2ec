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
                           server_timeout_ms=s.getint("MONGODB_SERVER_TIMEOUT_MS", 5000) or 5000,
                           story_lookup=s.get("MONGODB_STORY_LOOKUP") or "auto")
        setattr(crawler, _ATTR, store)
    return store

