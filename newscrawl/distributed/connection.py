"""Redis errors and URLs: which errors mean "unreachable", and REDIS_URL without its password for logs."""

import re
from urllib.parse import unquote, urlsplit

import redis

from newscrawl.storage.client import mask_uri

# Redis unreachable (refused, reset, timed out, still loading its data after a restart).
REDIS_ERRORS = (redis.exceptions.ConnectionError, redis.exceptions.TimeoutError)


def mask_redis_url(url) -> str:
    """REDIS_URL safe for logs: the password (user info or `?password=`) replaced by `***`."""
    return re.sub(r"(?i)([?&]password=)[^&#]*", r"\1***", mask_uri(url or ""))


def redis_password(url) -> str | None:
    """The password in a Redis URL, if any (masked out of any text we log)."""
    try:
        parts = urlsplit(url or "")
        found = re.search(r"(?i)(?:^|&)password=([^&#]*)", parts.query)
        return unquote(parts.password or (found.group(1) if found else "")) or None
    except ValueError:
        return None
