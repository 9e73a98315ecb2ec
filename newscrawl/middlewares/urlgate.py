"""UrlGateMiddleware: refuses, before it reaches the network, a request whose URL is not http(s)
(`newscrawl/refused/scheme`) or whose destination is not a public address and was not named by the
operator (`newscrawl/refused/private_address`). The policy (what is public, what was named) and
the resolver that judges again at connection time are in newscrawl/urlgate.py.
Reads NEWSCRAWL_ALLOWED_PRIVATE_HOSTS (through urlgate.named_hosts).

No switch of its own: it is the crawl's boundary; a test or an operator who really wants it gone
maps it to None in DOWNLOADER_MIDDLEWARES.
"""

import asyncio
import logging
import socket
from urllib.parse import urlsplit

from scrapy.exceptions import IgnoreRequest

from newscrawl.extract.urls import web_url
from newscrawl.urlgate import DEFAULT_PORTS, GATED, is_public, literal_addresses, loggable_url, named_hosts, parse_ip

logger = logging.getLogger(__name__)


class UrlGateMiddleware:
    """Refuses non-http(s) URLs and non-public destinations the operator did not name.
    Stats: `newscrawl/refused/scheme`, `newscrawl/refused/private_address`."""

    # Names resolved by the middleware, kept for the crawl (bounded: cleared when full).
    CACHE_SIZE = 10_000

    def __init__(self, crawler):
        self.crawler = crawler
        self.stats = crawler.stats
        self._resolved: dict[str, list] = {}

    @classmethod
    def from_crawler(cls, crawler):
        # The browser's request filter has no crawler: it honours the hosts the gated crawls named.
        GATED.add(crawler)
        return cls(crawler)

    def refuse(self, request, reason: str):
        self.stats.inc_value(f"newscrawl/refused/{reason}")
        logger.info("Refused %s: %s", loggable_url(request.url), reason)
        raise IgnoreRequest(f"refused: {reason}")

    async def process_request(self, request):
        url = web_url(request.url)
        if url is None:
            self.refuse(request, "scheme")
        parts = urlsplit(url)
        host = parts.hostname.rstrip(".")
        if named_hosts(self.crawler).allows(host, parts.port or DEFAULT_PORTS[parts.scheme.lower()]):
            return None
        addresses = literal_addresses(host)
        if addresses is None:
            addresses = await self._resolve(host)
        if any(not is_public(ip) for ip in addresses):
            self.refuse(request, "private_address")
        return None

    async def _resolve(self, host: str) -> list:
        """Every address `host` resolves to (IPv4 and IPv6: one private among them is enough to
        refuse), without blocking the reactor; [] when it does not resolve (the download then
        fails as usual). PublicOnlyResolver judges again the address the connection uses."""
        found = self._resolved.get(host)
        if found is not None:
            return found
        loop = asyncio.get_running_loop()
        try:
            infos = await loop.getaddrinfo(host, None, type=socket.SOCK_STREAM)
        except (OSError, UnicodeError):   # no answer: the download reports it
            return []
        found = [ip for ip in (parse_ip(info[4][0]) for info in infos) if ip is not None]
        if len(self._resolved) >= self.CACHE_SIZE:
            self._resolved.clear()
        self._resolved[host] = found
        return found
