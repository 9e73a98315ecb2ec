"""Drafts newscrawl/publishers/catalog.toml, the catalog of sources read with the generic extraction:
one entry per publisher of ../shared/publishers.json that has development pages in
../shared/realpages and is not a launch source (a module of newscrawl/publishers/, matched by domain).

    python -m tools.source_catalog [--shared ../shared] [--write | --check]

Prints the entries of the publishers the catalog lacks (to review and append); `--write` rewrites
the whole file, `--check` exits 1 when it differs from what ../shared gives. Run by hand; the
committed catalog is the declaration (nothing reads ../shared at run time).

Facts: name and feeds from publishers.json (https only, duplicates dropped); domains from the home
page's and the development pages' hosts (a feed host of another site goes to allowed_domains, so
the spider may fetch it); language from publishers.json unless the publisher's pages are in
another one (LANGUAGE); time zone from the key's country (`zones.country_zone`, NATIONAL_PRESS_ZONE for countries with
several) or the newsroom's (HOME_ZONE); the
article URL shape is the first of SHAPES that all the publisher's development URLs have (SHAPE_OF
for a site none fits); directories of EXCLUDED are not articles, except those the publisher's own
article URLs live under (article_dirs).
"""

import argparse
import json
import re
import sys
from collections import defaultdict
from pathlib import Path
from urllib.parse import urlsplit

from newscrawl.extract.zones import country_zone

REPO = Path(__file__).resolve().parent.parent
CATALOG = REPO / "newscrawl" / "publishers" / "catalog.toml"

# The key's country part ("de/FAZ" -> de) as ISO 3166 where it differs; its zone is the country's
# (newscrawl.extract.zones), and for countries with several clocks the zone of their national press.
KEY_COUNTRY = {"uk": "gb", "ind": "in", "isl": "is"}
NATIONAL_PRESS_ZONE = {"us": "America/New_York", "ca": "America/Toronto", "au": "Australia/Sydney",
                       "gl": "America/Nuuk"}
# Publishers based outside their country's main zone (newsroom's city).
HOME_ZONE = {
    "au/WestAustralian": "Australia/Perth",          # Perth
    "uk/EuronewsEN": "Europe/Paris",                 # Lyon
    "us/LATimes": "America/Los_Angeles",             # Los Angeles
    "us/TechCrunch": "America/Los_Angeles",          # San Francisco
    "us/TheGatewayPundit": "America/Chicago",        # St. Louis
}
# publishers.json's language where the publisher's pages are in another one (its development pages).
LANGUAGE = {
    "be/PoliticoEu": "en", "es/MallorcaMagazin": "de", "gl/Sermitsiaq": "da", "il/IsraelNachrichten": "de",
    "it/Tageszeitung": "de", "my/MalayMail": "en", "pt/ThePortugalNews": "en", "tz/DailyNewsTZ": "en",
    "za/EyethuNews": "zu", "za/Isolezwe": "zu",
}
# URL shapes of article pages (the path after the host), most specific first. Linear in the URL's
# length: repetitions over disjoint characters, candidates only at segment starts, possessive runs.
SHAPES = {
    # a year directory (month/day directories optional) then a worded slug, or a segment starting
    # with a yyyy-mm-dd date followed by words
    "dated": r"(?:[^/?#]+/)*?(?:(?:19|20)\d\d/(?:(?:[0-3]?\d|[a-z]{3})/){0,2}[^/?#_-]++[-_][^/?#]*?[^\W\d_]"
             r"|(?:19|20)\d\d-[01]\d-[0-3]\d[-/][\d_.,-]*+[^\W\d_])",
    # a numeric id of 5+ digits (an optional short letter prefix: article123456, id_123456, ECE123456)
    "id": r"(?:[^?#]*[/_,.!-])?(?:[A-Za-z]{1,7}_?)?\d{5,}(?:[/_,.!?#-]|$)",
    # a last path segment of four or more words (a long hyphenated slug, .html or not)
    "slug": r"(?:[^/?#]+/)*(?:[^/?#_-]+[-_]){3,}[^/?#_-]+/?(?:[?#]|$)",
}
# Hand-read shapes of sites none of the generic ones fits.
SHAPE_OF = {
    "de/AFPFaktencheck": r"doc\.afp\.com\.[A-Za-z0-9]{5,}",   # /doc.afp.com.<id>
}
# Path directories of listing, tag, author and media pages (a whole segment followed by more path).
EXCLUDED = ("tag", "tags", "topic", "topics", "thema", "themen", "schlagwort", "author", "authors", "autor",
            "autoren", "category", "categories", "kategorie", "video", "videos", "gallery", "galleries",
            "galerie", "bildergalerie", "fotos", "photos", "live", "liveblog", "liveticker", "podcast",
            "podcasts", "audio", "newsletter", "search", "suche")
EXCLUDE_URL = r"/page/\d+/?(?:[?#]|$)|\.xml(?:\.gz)?(?:[?#]|$)"
KINDS = ("news_sitemap", "rss", "sitemap")


def slug_of(key: str) -> str:
    """"at/DerStandard" -> "derstandard"; an edition suffix is kept apart: "EuronewsDE" -> "euronews_de"."""
    name = key.split("/", 1)[1]
    edition = re.match(r"(.*[a-z])([A-Z]{2})$", name)
    if edition:
        name = f"{edition[1]}_{edition[2]}"
    return re.sub(r"[^a-z0-9_]", "", name.lower())


def url_prefix(domains: list[str]) -> str:
    from newscrawl.sources import domain_prefix

    return domain_prefix(domains)


def host_of(url: str) -> str:
    return (urlsplit(url).hostname or "").lower()


def launch_domains() -> dict[str, str]:
    """Domain (as a launch module declares it) -> launch slug."""
    import importlib
    import pkgutil

    import newscrawl.publishers

    modules = [importlib.import_module(f"newscrawl.publishers.{m.name}")
               for m in pkgutil.iter_modules(newscrawl.publishers.__path__) if not m.name.startswith("_")]
    return {domain: m.SOURCE.slug for m in modules for domain in m.SOURCE.domains}


def owner(hosts: list[str], launch: dict[str, str]) -> str | None:
    for host in hosts:
        for domain, slug in launch.items():
            if host == domain or host.endswith("." + domain):
                return slug
    return None


def directories(urls: list[str]) -> set[str]:
    """The directory names of the URLs' paths (every segment but the last)."""
    return {d for u in urls for d in urlsplit(u).path.lower().split("/")[1:-1]}


def entries(shared: Path) -> tuple[list[dict], dict[str, str]]:
    from newscrawl.extract.urls import registered_domain

    publishers = json.loads((shared / "publishers.json").read_text(encoding="utf-8"))
    dev = defaultdict(list)
    for line in (shared / "realpages" / "cases.jsonl").read_text(encoding="utf-8").splitlines():
        if line.strip():
            case = json.loads(line)
            dev[case["publisher"]].append(case["url"])
    launch = launch_domains()
    homes = defaultdict(set)   # registered domain -> publishers' home hosts (shared by editions?)
    for key in dev:
        if key in publishers:
            home = host_of(publishers[key]["domain"])
            homes[registered_domain(f"https://{home}/")].add(home.removeprefix("www."))
    out, mapped = [], {}
    for key in sorted(dev):
        info = publishers.get(key)
        if info is None:
            continue
        urls = dev[key]
        hosts = [host_of(info["domain"]), *map(host_of, urls)]
        declared = owner(hosts, launch)
        if declared:
            mapped[key] = declared
            continue
        domains = []
        for host in hosts:
            if any(host == d or host.endswith("." + d) for d in domains):
                continue
            reg = registered_domain(f"https://{host}/")
            # Editions of one site (de./fr./www.euronews.com) are told apart by their whole host, and
            # a publisher on a subdomain of another's site (faktencheck.afp.com) owns that host only.
            bare = re.sub(r"^www\d*\.", "", host)
            domain = host if len(homes[reg]) > 1 else reg if bare == reg else bare
            if domain not in domains:
                domains.append(domain)
        feeds, seen, foreign = [], set(), []
        for feed in info.get("feeds", []):
            url, kind = feed["url"].strip(), feed["kind"]
            if kind not in KINDS or not url.startswith("https://") or url in seen:
                continue
            seen.add(url)
            feeds.append({"kind": kind, "url": url})
            fhost = host_of(url)
            if not any(fhost == d or fhost.endswith("." + d) for d in domains) and fhost not in foreign:
                foreign.append(fhost)
        path = SHAPE_OF.get(key)
        shape = None if path else next((name for name, s in SHAPES.items()
                                        if all(re.search(url_prefix(domains) + s, u) for u in urls)), None)
        if shape is None and path is None:
            raise SystemExit(f"{key}: no URL shape fits {urls}; add it to SHAPE_OF")
        country = key.split("/", 1)[0]
        out.append({
            "key": key, "slug": slug_of(key), "name": info["name"], "domains": domains,
            "allowed_domains": foreign, "language": LANGUAGE.get(key, info["language"]),
            "timezone": (HOME_ZONE.get(key) or NATIONAL_PRESS_ZONE.get(country)
                         or country_zone(KEY_COUNTRY.get(country, country))),
            "url_shape": shape, "url_path": path, "feeds": feeds,
            "article_dirs": [w for w in EXCLUDED if w in directories(urls)],
        })
    return out, mapped


def _list(values) -> str:
    return "[" + ", ".join(_s(v) for v in values) + "]"


def _s(value: str) -> str:
    """A TOML string: literal ('...') for patterns, basic (JSON escapes) otherwise."""
    return f"'{value}'" if "'" not in value and "\n" not in value else json.dumps(value, ensure_ascii=False)


def render(sources: list[dict], mapped: dict[str, str]) -> str:
    lines = [
        "# Sources read with the generic extraction (no page module), crawled by `scrapy crawl <slug>`:",
        "# one [source.<slug>] table each (docs/sources.md, \"The catalog\"). Fields are Source's",
        "# (newscrawl/sources.py); the article URL pattern is composed from the domains and a shape of",
        "# [shapes] (`url_shape`) or a path regex of the site's own (`url_path`). URLs with a directory of",
        "# `exclude_dirs` are not articles, except a source's `article_dirs`. Drafted from ../shared by",
        "# `python -m tools.source_catalog`; edit it by hand. Publishers of ../shared declared by a launch",
        "# module (newscrawl/publishers/<slug>.py) instead:",
    ]
    pairs = [f"{k} -> {v}" for k, v in sorted(mapped.items())]
    for n in range(0, len(pairs), 4):
        lines.append("#   " + ", ".join(pairs[n:n + 4]))
    lines += ["", "[defaults]", "concurrency = 2", "delay = 1.0",
              f"exclude_dirs = {_list(EXCLUDED)}",
              "# pagination of listings; sitemaps and feeds",
              f"exclude_url = {_s(EXCLUDE_URL)}", "", "[shapes]"]
    lines += [f"{name} = {_s(regex)}" for name, regex in SHAPES.items()]
    lines += entry_lines(sources)
    return "\n".join(lines) + "\n"


def entry_lines(sources: list[dict]) -> list[str]:
    lines = []
    for e in sources:
        lines += ["", f"[source.{e['slug']}]", f"name = {_s(e['name'])}", f"domains = {_list(e['domains'])}"]
        if e["allowed_domains"]:
            lines.append(f"allowed_domains = {_list(e['allowed_domains'])}")
        lines += [f"language = {_s(e['language'])}", f"timezone = {_s(e['timezone'])}"]
        lines.append(f"url_path = {_s(e['url_path'])}" if e["url_path"] else f"url_shape = {_s(e['url_shape'])}")
        if e["article_dirs"]:
            lines.append(f"article_dirs = {_list(e['article_dirs'])}")
        if e["feeds"]:
            lines.append("feeds = [")
            lines += [f"  {{ kind = {_s(f['kind'])}, url = {_s(f['url'])} }}," for f in e["feeds"]]
            lines.append("]")
        else:
            lines.append("feeds = []")
    return lines


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--shared", default=str(REPO.parent / "shared"))
    mode = parser.add_mutually_exclusive_group()
    mode.add_argument("--write", action="store_true", help="rewrite the whole catalog")
    mode.add_argument("--check", action="store_true", help="exit 1 when the committed catalog differs")
    args = parser.parse_args(argv)
    sources, mapped = entries(Path(args.shared))
    text = render(sources, mapped)
    if not (args.write or args.check):
        import tomllib

        known = set(tomllib.loads(CATALOG.read_text(encoding="utf-8")).get("source", {})) if CATALOG.exists() else set()
        missing = [e for e in sources if e["slug"] not in known]
        print("\n".join(entry_lines(missing)).strip() or "# the catalog has every publisher of ../shared")
        return 0
    if args.check:
        same = CATALOG.exists() and CATALOG.read_text(encoding="utf-8") == text
        print("catalog is current" if same else "catalog differs from ../shared: rerun without --check")
        return 0 if same else 1
    CATALOG.write_text(text, encoding="utf-8")
    print(f"{CATALOG.relative_to(REPO)}: {len(sources)} sources; {len(mapped)} publishers are launch sources")
    return 0


if __name__ == "__main__":
    sys.exit(main())
