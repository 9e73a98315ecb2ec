"""The development pages in ../shared/realpages (beside the checkout, or $NEWSCRAWL_SHARED): tests that
use them are skipped when they are absent."""

import gzip
import json
import os
from pathlib import Path

SHARED = Path(os.environ.get("NEWSCRAWL_SHARED") or Path(__file__).resolve().parent.parent.parent / "shared")
REALPAGES = SHARED / "realpages"


def available() -> bool:
    return (REALPAGES / "cases.jsonl").is_file()


def load_cases() -> list[dict]:
    with open(REALPAGES / "cases.jsonl", encoding="utf-8") as f:
        return [json.loads(line) for line in f if line.strip()]


def page_bytes(case: dict) -> bytes:
    with gzip.open(REALPAGES / "pages" / f"{case['id']}.html.gz") as f:
        return f.read()
