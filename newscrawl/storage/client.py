"""Talking to MongoDB (or FerretDB): the client, URI masking, the ping, the server's kind, and what a
server error means (an outage to retry, or one document's fault to set aside).

Settings (read by `client_from_settings`, defaults in settings.py): MONGODB_URI,
MONGODB_SERVER_TIMEOUT_MS. Each component builds its own client from the settings: pymongo clients
are pooled and cheap, and a component that owns its client also closes it.

FerretDB 1.24 lacks some of MongoDB's features (text indexes, validators, multikey indexes that
answer `$in` fast); the crawl goes on without them. What FerretDB is known to lack is expected there,
not a fault: `note_fallbacks` says it once per process at INFO, in one line. The same refusal from
another server (or any other failure) stays a WARNING.
"""

from __future__ import annotations

import logging
import re
from datetime import datetime, timezone

import pymongo
from bson.errors import InvalidDocument
from pymongo import MongoClient
from pymongo.errors import BulkWriteError, DocumentTooLarge, OperationFailure

logger = logging.getLogger(__name__)

UTC = timezone.utc
DUPLICATE_KEY = 11000
SOCKET_TIMEOUT_MS = 60000   # one write of a large batch on FerretDB takes seconds, never a minute

# Server errors that concern one document, not the server or the connection (the document is set
# aside, the rest of its batch written): bad value or key, type mismatch, overflow, "$"/"."/empty
# field names, validator, too large.
DOCUMENT_ERROR_CODES = {2, 14, 15, 52, 55, 56, 57, 121, 10334, 17419, 17420}
_REASON_BY_CODE = {15: "int_overflow", 52: "invalid_key", 56: "invalid_key", 57: "invalid_key",
                   121: "validation", 10334: "too_large", 17419: "too_large", 17420: "too_large"}
# Server codes worth retrying (not-primary, shutting down, network, interrupted ...): never a document's fault.
TRANSIENT_CODES = {6, 7, 89, 91, 189, 262, 9001, 10107, 11600, 11602, 13435, 13436}

_URI_RE = re.compile(r"^(?P<scheme>[A-Za-z][A-Za-z0-9+.-]*://)(?P<rest>.*)$", re.S)


def connect(uri: str, *, server_timeout_ms: int) -> MongoClient:
    """A lazily connecting client; `server_timeout_ms` bounds server selection and connecting, so a
    write fails fast (and can be spooled) when the server is down."""
    logger.debug("MongoDB client for %s", mask_uri(uri))
    return MongoClient(uri, serverSelectionTimeoutMS=server_timeout_ms, connectTimeoutMS=server_timeout_ms,
                       socketTimeoutMS=SOCKET_TIMEOUT_MS, tz_aware=True, tzinfo=UTC, appname="newscrawl")


def client_from_settings(settings) -> MongoClient:
    return connect(settings.get("MONGODB_URI"), server_timeout_ms=settings.getint("MONGODB_SERVER_TIMEOUT_MS"))


def mask_uri(uri: str) -> str:
    """The URI with its password replaced by `***` (`mongodb://user:***@host/db`); safe for logs."""
    if not isinstance(uri, str):
        return repr(uri)
    match = _URI_RE.match(uri)
    if not match:
        return uri
    rest = match["rest"]
    # The user info ends at the last "@" before the options ("?"), which may not contain one.
    query = rest.find("?")
    at = rest.rfind("@", 0, query if query != -1 else len(rest))
    if at == -1:
        return uri
    userinfo = rest[:at]
    if ":" not in userinfo:
        return uri
    user = userinfo.split(":", 1)[0]
    return f"{match['scheme']}{user}:***{rest[at:]}"


def ping(client: MongoClient, timeout_ms: int | None = None) -> bool:
    """True when the server answers (raises the connection or authentication error otherwise),
    within `timeout_ms` (server selection included) when given, else the client's timeouts."""
    if timeout_ms:
        with pymongo.timeout(timeout_ms / 1000):
            client.admin.command("ping")
    else:
        client.admin.command("ping")
    return True


def server_kind(client: MongoClient) -> str:
    """"ferretdb" or "mongodb" (from buildInfo)."""
    info = client.admin.command("buildInfo")
    return "ferretdb" if "ferretdbVersion" in info else "mongodb"


def server_name(client: MongoClient) -> str:
    """"FerretDB 1.24.2" or "MongoDB 7.0.14" (from buildInfo), for log lines; "the server" when it
    will not say (connection errors are raised)."""
    try:
        info = client.admin.command("buildInfo")
    except OperationFailure:
        return "the server"
    if "ferretdbVersion" in info:
        return f"FerretDB {str(info['ferretdbVersion']).lstrip('v')}"
    return f"MongoDB {info.get('version', '?')}"


# (server name, features) already noted by this process: a crawl opens the store once, but tests and
# tools open many.
_NOTED: set[tuple[str, tuple]] = set()


def note_fallbacks(server: str, fallbacks: list[tuple[str, str]]) -> None:
    """One INFO line per process for the features `server` lacks and what the crawl does instead,
    `fallbacks` being (feature, what instead) pairs: "MongoDB: FerretDB 1.24.2 has no $jsonSchema
    validator / text index: documents are checked by the pipeline instead; text search ($text) off
    (expected on FerretDB)". Later calls with the same gaps log at DEBUG."""
    if not fallbacks:
        return
    key = (server, tuple(fallbacks))
    level = logging.DEBUG if key in _NOTED else logging.INFO
    _NOTED.add(key)
    logger.log(level, "MongoDB: %s has no %s: %s (expected on FerretDB)", server,
               " / ".join(feature for feature, _ in fallbacks), "; ".join(instead for _, instead in fallbacks))


def server_message(exc: OperationFailure) -> str:
    """The server's error message, short and stable (FerretDB quotes Go values with addresses)."""
    details = exc.details or {}
    message = str(details.get("errmsg") or exc)
    message = re.sub(r" with value &\{.*\}(?= is not implemented)", "", message)
    name = details.get("codeName") or exc.code
    return f"{message} [{name}]" if name else message


def create_index(collection, keys, options, warn) -> None:
    """Create an index; one the server refuses is passed to `warn` (the caller decides how loud),
    not raised."""
    try:
        collection.create_index(keys, **options)
    except OperationFailure as exc:
        warn(f"index {options['name']} on {collection.name} not created: {server_message(exc)}")


def document_error(exc: BaseException) -> bool:
    """Whether `exc` is one or more documents' fault (the encoder's or the server's refusal), so that
    the batch is split to find them, rather than an outage (retried, then spooled)."""
    if isinstance(exc, (InvalidDocument, UnicodeError, OverflowError, RecursionError)):
        return True   # InvalidDocument includes pymongo's DocumentTooLarge
    if isinstance(exc, BulkWriteError):
        details = exc.details or {}
        errors = [e for e in details.get("writeErrors") or [] if e.get("code") != DUPLICATE_KEY]
        return bool(errors) and not details.get("writeConcernErrors") \
            and not any(e.get("code") in TRANSIENT_CODES for e in errors)
    if isinstance(exc, OperationFailure):
        return exc.code in DOCUMENT_ERROR_CODES and not exc.has_error_label("RetryableWriteError")
    return False


def reject_reason(exc: BaseException) -> tuple[str, str]:
    """(reason, detail) of a document error, the reason a short slug for stats keys."""
    if isinstance(exc, BulkWriteError):
        errors = [e for e in (exc.details or {}).get("writeErrors") or [] if e.get("code") != DUPLICATE_KEY]
        first = errors[0] if errors else {}
        code, message = first.get("code"), str(first.get("errmsg") or "")
    elif isinstance(exc, OperationFailure):
        code, message = exc.code, server_message(exc)
    else:
        kinds = ((DocumentTooLarge, "too_large"), (UnicodeError, "invalid_string"), (OverflowError, "int_overflow"),
                 (RecursionError, "too_deep"))
        reason = next((name for kind, name in kinds if isinstance(exc, kind)), "invalid_document")
        return reason, f"{type(exc).__name__}: {str(exc)[:200]}"
    reason = _REASON_BY_CODE.get(code) or ("invalid_key" if "key" in message.lower() else f"server_{code}")
    return reason, f"server error {code}: {message[:200]}"


def utc_now() -> datetime:
    """Now, to the millisecond (what BSON keeps)."""
    now = datetime.now(UTC)
    return now.replace(microsecond=now.microsecond // 1000 * 1000)


def short_error(exc: BaseException | None, limit: int = 200) -> str:
    """An error's text for a log line, without pymongo's topology dump or the full server reply."""
    text = str(exc).split(", Timeout:")[0].split(", full error:")[0]
    return text if len(text) <= limit else text[:limit] + "..."
