"""pytest plugin (loaded from pytest.ini with `-p tests.mongo_server`): a real MongoDB-compatible
server for the tests, never a fake. The suite's one door to the workshop's embedded server
(tools/mongo_server.py): tests that stop and restart a server of their own take `EmbeddedServer`
and `free_port` from here, not from tools/.

* `mongo_server` (session): an `EmbeddedServer` (mongod if on PATH, else FerretDB/SQLite from
  `make setup`) in a temporary directory on a free loopback port, stopped at the end.
* `mongo_db` (function): a fresh database on that server: `.name`, `.uri`, `.store` (a
  `ArticleStore` on its `articles` collection, indexes created), `.runs` (a `RunStore`), `.db` (the
  pymongo Database: `.db.crawl_runs` for reading runs),
  `.settings` (Scrapy `-s` settings pointing a crawl at it). Dropped after the test.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field

import pytest

from newscrawl.runs.store import RunStore
from newscrawl.storage.articles import ArticleStore
from tools.mongo_server import EmbeddedServer, ServerError, free_port

__all__ = ["EmbeddedServer", "MongoDB", "free_port", "mongo_db", "mongo_server"]


@dataclass
class MongoDB:
    name: str
    uri: str
    store: ArticleStore
    runs: RunStore
    collection: str = "articles"
    index_warnings: list[str] = field(default_factory=list)

    @property
    def db(self):
        return self.store.db

    @property
    def settings(self) -> dict:
        return {"MONGODB_ENABLED": True, "MONGODB_URI": self.uri, "MONGODB_DATABASE": self.name,
                "MONGODB_COLLECTION": self.collection}


@pytest.fixture(scope="session")
def mongo_server(tmp_path_factory):
    try:
        server = EmbeddedServer(tmp_path_factory.mktemp("mongo"))
        server.start()
    except ServerError as exc:
        pytest.fail(f"no MongoDB-compatible server for the tests: {exc}", pytrace=False)
    yield server
    server.stop()


@pytest.fixture
def mongo_db(mongo_server):
    name = f"test_{uuid.uuid4().hex[:12]}"
    store = ArticleStore(mongo_server.uri, name, "articles", server_timeout_ms=5000)
    runs = RunStore(mongo_server.uri, name, server_timeout_ms=5000)
    warnings = store.ensure_indexes()
    runs.ensure_indexes(warnings.append)
    yield MongoDB(name=name, uri=mongo_server.uri, store=store, runs=runs, index_warnings=warnings)
    try:
        store.client.drop_database(name)
    finally:
        store.close()
        runs.close()
