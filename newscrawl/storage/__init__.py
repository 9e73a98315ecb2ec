"""MongoDB storage: the stored document schema, the store, the spool, and a local server.

    from newscrawl.storage import MongoStore, to_document, write_with_retry, Spool, replay

Names are imported on first use, so ``python -m newscrawl.storage.server`` does not import the
rest (see README.md, "Storage").
"""

from importlib import import_module

_EXPORTS = {
    "MongoStore": "mongo", "mask_uri": "mongo", "WriteConflict": "mongo",
    "to_document": "schema", "SCHEMA_VERSION": "schema",
    "Spool": "spool", "replay": "spool", "write_with_retry": "spool",
    "EmbeddedServer": "server", "ServerError": "server",
}

__all__ = sorted(_EXPORTS)


def __getattr__(name):
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(import_module(f"{__name__}.{module}"), name)
    globals()[name] = value
    return value
