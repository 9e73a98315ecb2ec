"""A pipeline stage that spoils documents on purpose, for the crawl subprocesses of
tests/storage/test_hostile_storage.py (loaded through `-s ITEM_PIPELINES=`; no pytest here). It runs after
the project's text clean-up, just before MongoPipeline, so what it plants reaches the store as is:
the storage layer's own defences are what is tested."""

from itemadapter import ItemAdapter

# Marker in a page's URL -> what is planted in its item.
POISONS = {
    "/poison-surrogate/": lambda a: a.__setitem__("title", a["title"] + " \ud800"),
    "/poison-dollar-key/": lambda a: a.__setitem__("published_at_source", {"$where": "sleep(1000)"}),
    "/poison-dotted-key/": lambda a: a.__setitem__("published_at_source", {"a.b": 1}),
    "/poison-big-int/": lambda a: a.__setitem__("published_at_source", {"n": 2 ** 70}),
}


def _deep(levels: int) -> dict:
    doc: dict = {}
    for _ in range(levels):
        doc = {"x": doc}
    return doc


POISONS["/poison-deep/"] = lambda a: a.__setitem__("published_at_source", _deep(500))


class PoisonPipeline:
    def process_item(self, item):
        a = ItemAdapter(item)
        for marker, plant in POISONS.items():
            if marker in a.get("url", ""):
                plant(a)
        return item
