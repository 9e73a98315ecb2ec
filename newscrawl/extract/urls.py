"""URL helpers: canonical article URLs and registered domains (offline public-suffix list)."""

import re
from urllib.parse import parse_qsl, urlencode, urljoin, urlsplit, urlunsplit

import tldextract

# Query parameters that only track campaigns or clicks; everything else is kept.
TRACKING_PARAMS = frozenset({
    "fbclid", "gclid", "dclid", "gclsrc", "msclkid", "yclid", "mc_cid", "mc_eid", "igshid", "_ga", "_gl",
    "ref", "ref_src", "ref_url", "referrer", "cmpid", "cmp", "ito", "ns_mchannel", "ns_source", "ns_campaign",
    "ns_linkname", "ns_fee", "ocid", "icid", "xtor", "at_medium", "at_campaign", "at_custom1", "smid", "smtyp",
    "sr_share", "spm", "share", "wt_mc", "wt.mc_id", "s_cid", "soc_src", "soc_trk", "trk", "rss", "feed",
    "traffic_source", "outputType", "amp", "__twitter_impression", "mbid", "oly_anon_id", "oly_enc_id",
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
    query = urlencode([(k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True) if not _is_tracking(k)])
    path = parts.path or "/"
    return urlunsplit((scheme, netloc, path, query, ""))


def registered_domain(url: str) -> str:
    """`https://www.lemonde.fr/x` -> `lemonde.fr`; IP addresses and localhost come back as the host."""
    host = urlsplit(url).hostname or ""
    ext = _extract(host)
    return ext.top_domain_under_public_suffix or host


def same_site(a: str, b: str) -> bool:
    return registered_domain(a) == registered_domain(b)


_WS = re.compile(r"\s+")


def absolute_url(value: str | None, base: str) -> str | None:
    if not value or not isinstance(value, str):
        return None
    value = _WS.sub("", value)
    if value.startswith(("data:", "javascript:")):
        return None
    return urljoin(base, value)
