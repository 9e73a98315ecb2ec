"""URL helpers: canonical article URLs and registered domains (offline public-suffix list)."""

import re
from urllib.parse import unquote_plus, urljoin, urlsplit, urlunsplit

import tldextract

# Query parameters that only track campaigns or clicks; everything else is kept.
TRACKING_PARAMS = frozenset({
    "fbclid", "gclid", "dclid", "gclsrc", "msclkid", "yclid", "mc_cid", "mc_eid", "igshid", "_ga", "_gl",
    "ref", "ref_src", "ref_url", "referrer", "cmpid", "cmp", "ito", "ns_mchannel", "ns_source", "ns_campaign",
    "ns_linkname", "ns_fee", "ocid", "icid", "xtor", "at_medium", "at_campaign", "at_custom1", "smid", "smtyp",
    "sr_share", "spm", "share", "wt_mc", "wt.mc_id", "s_cid", "soc_src", "soc_trk", "trk", "rss", "feed",
    "traffic_source", "outputtype", "amp", "__twitter_impression", "mbid", "oly_anon_id", "oly_enc_id",
    "vero_id", "_hsenc", "_hsmi", "hss_channel", "mkt_tok", "ncid", "cid", "sara_ecid", "emc", "partner",
})
TRACKING_PREFIXES = ("utm_", "pk_", "mtm_", "itm_", "at_", "hsa_", "wt_", "oly_", "vero_", "__hs")

# Offline: the bundled public-suffix snapshot, never a download at run time.
_extract = tldextract.TLDExtract(suffix_list_urls=(), cache_dir=None)

_DEFAULT_PORTS = {"http": "80", "https": "443"}


def _is_tracking(name: str) -> bool:
    low = name.lower()
    return low in TRACKING_PARAMS or low.startswith(TRACKING_PREFIXES)


def canonicalize_url(url: str, base: str | None = None) -> str:
    """Scheme and host lower-cased, default port, fragment and tracking parameters dropped."""
    if base:
        url = urljoin(base, url.strip())
    parts = urlsplit(url.strip())
    scheme = parts.scheme.lower()
    host = (parts.hostname or "").rstrip(".")
    port = parts.port if parts.port is not None and str(parts.port) != _DEFAULT_PORTS.get(scheme) else None
    netloc = host + (f":{port}" if port else "")
    # Parameters kept as written (`?12345` must not become `?12345=`), in their order.
    query = "&".join(p for p in parts.query.split("&") if p and not _is_tracking(unquote_plus(p.split("=", 1)[0])))
    path = parts.path or "/"
    return urlunsplit((scheme, netloc, path, query, ""))


def registered_domain(url: str) -> str:
    """`https://www.lemonde.fr/x` -> `lemonde.fr`; IP addresses and localhost come back as the host."""
    host = urlsplit(url).hostname or ""
    ext = _extract(host)
    return ext.top_domain_under_public_suffix or host


def same_site(a: str, b: str) -> bool:
    return registered_domain(a) == registered_domain(b)


_TAB_NEWLINE = re.compile(r"[\t\n\r]")


def absolute_url(value: str | None, base: str) -> str | None:
    """`value` resolved against `base`, as browsers do: outer white space stripped, tabs and
    newlines removed, inner spaces percent-encoded. None for data:/javascript: and malformed URLs."""
    if not value or not isinstance(value, str):
        return None
    value = _TAB_NEWLINE.sub("", value.strip()).replace(" ", "%20")
    if not value:
        return None
    if value.startswith(("data:", "javascript:")):
        return None
    try:
        return urljoin(base, value)
    except ValueError:  # malformed, e.g. a broken IPv6 host
        return None


_BARE_DOMAIN = re.compile(r"[\w-]+(?:\.[\w-]+)+")


def is_bare_domain(value: str) -> bool:
    """A host name and nothing else ("n-tv.de", "Express.co.uk"): a source name only when a page
    gives no other."""
    return bool(_BARE_DOMAIN.fullmatch(value))


# Longer URLs are not links a publisher gives its readers (browsers and CDNs refuse past ~8 KB).
MAX_URL_CHARS = 4096


def web_url(value) -> str | None:
    """``value`` when it is an absolute http(s) URL with a host and at most MAX_URL_CHARS long, else
    None. Every URL that reaches the crawler from third-party content (sitemap and feed entries,
    redirects, meta refresh, WARC targets) passes here where it enters: ``file:``, ``data:``,
    ``ftp:``, ``s3:`` and the like are never requested."""
    if not isinstance(value, str) or len(value) > MAX_URL_CHARS:
        return None
    try:
        parts = urlsplit(value.strip())
        parts.port  # noqa: B018 - raises ValueError on a malformed port
    except ValueError:
        return None
    if parts.scheme.lower() not in ("http", "https") or not parts.hostname:
        return None
    return value.strip()
