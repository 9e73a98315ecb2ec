"""The development pages in ../shared/realpages: load cases, build a WARC of them."""

import gzip
import json

from tools.paths import SHARED

REALPAGES = SHARED / "realpages"


def available() -> bool:
    return (REALPAGES / "cases.jsonl").is_file()


def load_cases() -> list[dict]:
    with open(REALPAGES / "cases.jsonl", encoding="utf-8") as f:
        return [json.loads(line) for line in f if line.strip()]


def publisher_names() -> dict[str, str]:
    """Publisher key ("de/WDR", as `cases.jsonl` has it) -> its name in ../shared/publishers.json
    ({} without it)."""
    path = SHARED / "publishers.json"
    if not path.is_file():
        return {}
    return {key: p["name"] for key, p in json.loads(path.read_text(encoding="utf-8")).items() if p.get("name")}


def page_bytes(case: dict) -> bytes:
    with gzip.open(REALPAGES / "pages" / f"{case['id']}.html.gz") as f:
        return f.read()


def warc_date(case: dict) -> str:
    date = case.get("crawl_date") or "2024-01-01 00:00:00"
    return date.replace(" ", "T")[:19] + "Z"


def build_warc(path, cases, repeat: int = 1) -> int:
    """Write the cases' pages as a WARC; with repeat > 1 each copy gets a distinct URL."""
    from newscrawl.warc import write_warc

    def pages():
        for i in range(repeat):
            for case in cases:
                url = case["url"] if i == 0 else f"{case['url']}{'&' if '?' in case['url'] else '?'}copy={i}"
                yield url, page_bytes(case), warc_date(case), "text/html"
    return write_warc(str(path), pages())
