"""Only the web is fetched, and only where the operator pointed (docs/reliability.md).

`UrlGateMiddleware` (newscrawl/middlewares/urlgate.py) refuses a request before it reaches the
network when
  - its URL is not an absolute http(s) URL (`web_url`): `newscrawl/refused/scheme`;
  - its destination is not a public address: loopback, private, link-local, shared (CGNAT),
    multicast, reserved or unspecified, IPv4 or IPv6 (IPv4-mapped, 6to4, Teredo and NAT64 forms
    judged by the IPv4 address inside), written as a literal in any form a resolver accepts
    (`2130706433`, `0x7f.1`, `0177.0.0.1`, `127.1`), `localhost`, or a name resolving to such an
    address: `newscrawl/refused/private_address`;
unless the operator named the host. Named hosts: the hosts of `-a urls` / `urls_file` /
`sitemap` / `rss` (with their port: a URL without one names ports 80 and 443), a source's declared
`domains` and `allowed_domains` (any port, subdomains included) and its feed URLs, a
spider's `start_urls` and `allowed_domains`, and NEWSCRAWL_ALLOWED_PRIVATE_HOSTS (`host` for any
port, `host:port`, `[v6]:port`). Refused requests raise IgnoreRequest and log one INFO line with
the URL (shortened; a data: URL only by its length) and the reason, never page content.

`PublicOnlyResolver` (TWISTED_DNS_RESOLVER) is Scrapy's caching resolver refusing, at connection
time, a non-public address for a name the operator did not name. The middleware's check alone
would leave DNS rebinding open (a name public when checked, private when connected: the address
the connection uses is the one that must be judged); the resolver alone would not see IP literals
(Twisted connects to dotted quads without resolving) nor give a clean IgnoreRequest. The middleware
resolves with the event loop's getaddrinfo (all addresses, in a thread: the reactor never blocks).

This module holds the policy the middleware, the resolver, the redirect middlewares and the
browser's request filter (newscrawl/render/handler.py) share; only the middleware is in
newscrawl/middlewares/.
"""

from __future__ import annotations

import ipaddress
import logging
import re
import socket
import weakref
from dataclasses import dataclass
from urllib.parse import urlsplit

from scrapy.resolver import CachingThreadedResolver
from twisted.internet.error import DNSLookupError
from w3lib.url import safe_url_string

from newscrawl.extract.urls import web_url

logger = logging.getLogger(__name__)

DEFAULT_PORTS = {"http": 80, "https": 443}
# What inet_aton (glibc's resolver, hence Twisted's connection) reads as an IPv4 address: one to
# four parts, each decimal, octal (leading 0) or hex (0x).
_NUMERIC_HOST = re.compile(r"[0-9a-fA-FxX.]+")
_NAT64 = ipaddress.IPv6Network("64:ff9b::/96")
# Special-purpose ranges (IANA registries) that Python 3.11's is_global still counts as global.
_NOT_GLOBAL = tuple(ipaddress.ip_network(n) for n in (
    "192.0.0.0/24", "64:ff9b:1::/48", "100::/64", "2001:2::/48", "3fff::/20", "5f00::/16"))
# Logged URLs are cut here: a data: or overlong URL is content, not an address.
_LOG_URL_CHARS = 200


# ---- addresses ----------------------------------------------------------------------------------


def is_public(ip: ipaddress.IPv4Address | ipaddress.IPv6Address) -> bool:
    """True for an address on the public internet; False for loopback, private, link-local,
    shared, multicast, reserved, unspecified, site-local, documentation ranges, and IPv6 forms that
    carry such an IPv4 address (mapped, 6to4, Teredo client, NAT64)."""
    if ip.version == 6:
        if ip.ipv4_mapped is not None:
            return is_public(ip.ipv4_mapped)
        embedded = [ip.sixtofour] if ip.sixtofour is not None else []
        if ip.teredo is not None:
            embedded.extend(ip.teredo)
        if ip in _NAT64:
            embedded.append(ipaddress.IPv4Address(int(ip) & 0xFFFFFFFF))
        if any(not is_public(e) for e in embedded) or ip.is_site_local:
            return False
    # is_global alone lets multicast through (Python 3.11).
    return ip.is_global and not (ip.is_multicast or ip.is_private or ip.is_reserved or ip.is_loopback
                                 or ip.is_link_local or ip.is_unspecified
                                 or any(ip.version == n.version and ip in n for n in _NOT_GLOBAL))


def parse_ip(value: str):
    """`value` as an IPv4 or IPv6 address, or None."""
    try:
        return ipaddress.ip_address(value)
    except ValueError:
        return None


def literal_addresses(host: str) -> list | None:
    """The addresses an IP-literal `host` may mean to the code that connects (several readings
    when parsers disagree, e.g. `010.0.0.1`: octal 8.0.0.1 to inet_aton, 10.0.0.1 read as decimal),
    [127.0.0.1] for `localhost` and `*.localhost` (RFC 6761); None for a name to resolve."""
    host = host.lower().rstrip(".")
    if host == "localhost" or host.endswith(".localhost"):
        return [ipaddress.IPv4Address("127.0.0.1")]
    ip = parse_ip(host.strip("[]"))
    if ip is not None:
        return [ip]
    if not _NUMERIC_HOST.fullmatch(host):
        return None
    found = []
    try:
        found.append(ipaddress.IPv4Address(socket.inet_aton(host)))
    except OSError:
        pass
    parts = host.split(".")
    if len(parts) == 4 and all(p.isdigit() for p in parts) and all(int(p) <= 255 for p in parts):
        found.append(ipaddress.IPv4Address(".".join(str(int(p)) for p in parts)))
    return found or None


# ---- what the operator named ----------------------------------------------------------------------


def _split_host_port(value: str) -> tuple[str, int | None] | None:
    """`host`, `host:port`, `[v6]`, `[v6]:port` or a bare IPv6 address -> (host, port or None)."""
    value = value.strip().lower()
    if not value:
        return None
    if value.startswith("["):
        host, _, rest = value[1:].partition("]")
        port = rest[1:] if rest.startswith(":") else ""
    elif value.count(":") == 1:
        host, port = value.split(":")
    else:
        host, port = value, ""
    if port and not port.isdigit():
        return None
    return host.rstrip("."), int(port) if port else None


@dataclass
class NamedHosts:
    """Hosts the operator pointed the crawl at: (host, port) pairs, port None for any port, and
    domains (any port, subdomains included)."""

    pairs: set
    domains: set

    @classmethod
    def empty(cls) -> NamedHosts:
        return cls(set(), set())

    def add_url(self, url) -> None:
        if not isinstance(url, str):
            return
        try:
            parts = urlsplit(safe_url_string(url.strip()))
            host, port = parts.hostname, parts.port
        except ValueError:
            return
        if not host:
            return
        host = host.rstrip(".")
        if port is None:
            self.pairs.update({(host, 80), (host, 443)})
        else:
            self.pairs.add((host, port))

    def add_host(self, value) -> None:
        parsed = _split_host_port(value) if isinstance(value, str) else None
        if parsed:
            self.pairs.add(parsed)

    def add_domain(self, value) -> None:
        if isinstance(value, str) and value.strip():
            self.domains.add(value.strip().lower().strip("[]").rstrip("."))

    def allows(self, host: str, port: int | None = None) -> bool:
        """`host` (and `port`; None: any port named for the host) was named."""
        host = host.lower().rstrip(".")
        if (host, None) in self.pairs or (port is not None and (host, port) in self.pairs):
            return True
        if port is None and any(h == host for h, _ in self.pairs):
            return True
        return any(host == d or host.endswith("." + d) for d in self.domains)

    @classmethod
    def of_crawler(cls, crawler) -> NamedHosts:
        named = cls.empty()
        for value in crawler.settings.getlist("NEWSCRAWL_ALLOWED_PRIVATE_HOSTS"):
            named.add_host(value)
        spider = getattr(crawler, "spider", None)
        if spider is None:
            return named
        for attr in ("urls", "discovery_urls", "start_urls"):
            for url in _strings(getattr(spider, attr, None)):
                named.add_url(url)
        for domain in _strings(getattr(spider, "allowed_domains", None)):
            named.add_domain(domain)
        source = getattr(spider, "source", None)
        if source is not None:
            for domain in (*_strings(getattr(source, "domains", None)),
                           *_strings(getattr(source, "allowed_domains", None))):
                named.add_domain(domain)
            for feed in getattr(source, "feeds", None) or ():
                named.add_url(getattr(feed, "url", None))
        # A spider may declare more (host or host:port strings).
        for value in _strings(getattr(spider, "named_hosts", None)):
            named.add_host(value)
        return named


def _strings(value) -> list[str]:
    if isinstance(value, str):
        return [value]
    try:
        return [v for v in (value or ()) if isinstance(v, str)]
    except TypeError:
        return []


# Per crawler, computed once its spider exists (the resolver is shared by the process's crawlers).
_NAMED: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()


def named_hosts(crawler) -> NamedHosts:
    named = _NAMED.get(crawler)
    if named is None:
        named = NamedHosts.of_crawler(crawler)
        if getattr(crawler, "spider", None) is not None:
            _NAMED[crawler] = named
    return named


# ---- the resolver ----------------------------------------------------------------------------------


class PrivateAddressRefused(DNSLookupError):
    """A name not named by the operator resolved to a non-public address."""


class PublicOnlyResolver(CachingThreadedResolver):
    """Scrapy's CachingThreadedResolver (TWISTED_DNS_RESOLVER), refusing a non-public answer for a
    name no crawler of the process named: what the connection uses is what is judged, so a name
    that rebinds to 127.0.0.1 after the middleware's check still cannot reach it."""

    @classmethod
    def from_crawler(cls, crawler, reactor):
        resolver = super().from_crawler(crawler, reactor)
        # Scrapy builds the resolver with the CrawlerProcess (its `crawlers`), not a Crawler.
        resolver._owner = crawler
        return resolver

    def _crawlers(self):
        owner = getattr(self, "_owner", None)
        crawlers = getattr(owner, "crawlers", None)
        return list(crawlers) if crawlers is not None else ([owner] if owner is not None else [])

    def getHostByName(self, name, timeout=()):  # noqa: N802 (Twisted's name)
        d = super().getHostByName(name, timeout)
        d.addCallback(self._judge, name)
        return d

    def _judge(self, address: str, name: str) -> str:
        ip = parse_ip(address)
        crawlers = self._crawlers()
        if ip is not None and not is_public(ip) and not any(named_hosts(c).allows(name) for c in crawlers):
            # Twisted reports any resolver failure as "no results": say why here, once per lookup
            # (answers are cached only when accepted).
            for crawler in crawlers:
                stats = getattr(crawler, "stats", None)
                if stats is not None:
                    stats.inc_value("newscrawl/refused/private_address")
            logger.info("Refused connection to %s: resolves to a non-public address (private_address)", name)
            raise PrivateAddressRefused(f"{name} resolves to a non-public address")
        return address


# ---- the middleware's and the browser's checks ------------------------------------------------------


def loggable_url(url: str) -> str:
    """`url` for a log line: a data: URL is page content, not an address (only its length is
    logged); any other is cut at _LOG_URL_CHARS."""
    if url[:5].lower() == "data:":
        return f"data: URL of {len(url)} characters"
    return url if len(url) <= _LOG_URL_CHARS else url[:_LOG_URL_CHARS] + "…"


# Crawlers whose gate is on (UrlGateMiddleware adds its crawler): the browser's request filter
# (newscrawl.render.handler.abort_request) is called without a crawler and honours their named hosts.
GATED: weakref.WeakSet = weakref.WeakSet()
# Schemes a rendered page uses that never leave the browser.
_IN_BROWSER_SCHEMES = ("data", "blob", "about")


def browser_request_refused(url: str) -> bool:
    """For requests a rendered page makes in the browser (no Scrapy middleware sees them): True
    for a non-web scheme or an IP-literal / localhost destination that is not public and not
    named. Synchronous, so names are not resolved here (Chromium resolves them itself)."""
    try:
        parts = urlsplit(url)
        scheme = parts.scheme.lower()
        if scheme in _IN_BROWSER_SCHEMES:
            return False
        if web_url(url) is None:
            return True
        host, port = parts.hostname.rstrip("."), parts.port or DEFAULT_PORTS[scheme]
    except (ValueError, AttributeError):
        return True
    if any(named_hosts(c).allows(host, port) for c in list(GATED)):
        return False
    addresses = literal_addresses(host)
    return bool(addresses) and any(not is_public(ip) for ip in addresses)


def refused_target(url: str) -> bool:
    """A redirect or refresh target Scrapy's redirect middlewares decline (not http or https)."""
    try:
        return urlsplit(url).scheme.lower() not in DEFAULT_PORTS
    except ValueError:
        return True
