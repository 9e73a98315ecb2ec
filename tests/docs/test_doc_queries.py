"""Every query the docs show runs, as shown, against a real store: the mongo shell examples through the
real mongosh (bin/mongosh), the pymongo and pandas examples through the venv's python, all against the
embedded server (FerretDB 1.24 in the suite) holding what real crawls stored: the demo archive crawled
by `scrapy crawl warc`, then a story reported by three sources and an article revised by a later crawl.

A query block is a ```js or ```python fence right after a `<!-- query: NAME -->` line in README.md or
docs/*.md. Every ```js block must be one (a shell example nobody runs would rot), and so must every
python block that connects to MongoDB; each NAME has an expectation below, so a query that runs but
finds nothing it should is a failure too."""

from __future__ import annotations

import json
import os
import random
import re
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest

from newscrawl.warc import write_warc
from mongo_server import EmbeddedServer, free_port
from tests.stories import STORY, edit_words

REPO = Path(__file__).resolve().parents[2]
MONGOSH = REPO / "bin" / "mongosh"
LOCAL_URI = "mongodb://127.0.0.1:27017"
DOC_FILES = [REPO / "README.md", *sorted((REPO / "docs").glob("*.md"))]
README_TEXT = (REPO / "README.md").read_text(encoding="utf-8")
MARKER = re.compile(r"<!-- query: ([\w-]+) -->")
FENCE = re.compile(r"^```(\S*)\s*$")


@dataclass(frozen=True)
class Block:
    path: Path
    line: int
    lang: str
    code: str
    name: str | None

    @property
    def id(self) -> str:
        return f"{self.path.relative_to(REPO)}:{self.line}:{self.name}"


def fenced_blocks(path: Path) -> list[Block]:
    """Every fenced block of a Markdown file, with the query marker of the line before it (if any)."""
    lines = path.read_text(encoding="utf-8").splitlines()
    blocks, i = [], 0
    while i < len(lines):
        opening = FENCE.match(lines[i])
        if not opening:
            i += 1
            continue
        end = next(j for j in range(i + 1, len(lines)) if lines[j].startswith("```"))
        previous = next((lines[j].strip() for j in range(i - 1, -1, -1) if lines[j].strip()), "")
        marker = MARKER.fullmatch(previous)
        blocks.append(Block(path, i + 1, opening.group(1), "\n".join(lines[i + 1:end]) + "\n",
                            marker.group(1) if marker else None))
        i = end + 1
    return blocks


ALL_BLOCKS = [b for path in DOC_FILES for b in fenced_blocks(path)]
QUERIES = [b for b in ALL_BLOCKS if b.name]


# --- the data: what real crawls store -----------------------------------------------------------

STORY_SOURCES = (("https://www.harbourpost.example.com/city/bridge-closure", "The Harbour Post"),
                 ("https://www.dailyquay.example.org/news/2026/11/20/harbour-bridge", "Daily Quay"),
                 ("https://news.riverside-times.example.net/a/4471", "Riverside Times"))
REVISED_URL = "https://www.demo-gazette.example.com/culture/orchestra-season"
ORCHESTRA = ("The national orchestra announced its new season on Wednesday, with a cycle of Beethoven symphonies, "
             "three premieres by young composers and a tour of five cities in the north. Tickets go on sale next "
             "month, and students will get half-price seats for all weekday concerts, the director said at a press "
             "conference held in the concert hall.")


def article_page(title: str, body: str, published: str, site: str) -> bytes:
    paragraphs = "".join(f"<p>{p}</p>" for p in body.split("\n\n"))
    return (f"""<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>{title} | {site}</title>
<meta property="og:title" content="{title}"><meta property="og:site_name" content="{site}">
<meta property="og:type" content="article"><meta property="article:published_time" content="{published}">
<meta name="author" content="Sam Reporter"></head><body><main><article><h1>{title}</h1>{paragraphs}
</article></main></body></html>""").encode()


def crawl_warc(path: Path, uri: str, data: Path) -> None:
    out = subprocess.run([sys.executable, "-m", "scrapy", "crawl", "warc", "-a", f"path={path}",
                          "-s", f"NEWSCRAWL_DATA_DIR={data}", "-s", "LOG_LEVEL=INFO"],
                         cwd=REPO, env={**os.environ, "MONGODB_URI": uri}, capture_output=True, text=True, timeout=300)
    assert out.returncode == 0, out.stderr[-3000:]


@pytest.fixture(scope="module")
def store(tmp_path_factory):
    """The embedded server of this module, its database `newscrawl` filled by real crawls."""
    root = tmp_path_factory.mktemp("docs-queries")
    server = EmbeddedServer(root / "db", port=free_port())
    server.start()
    try:
        crawl_warc(REPO / "samples" / "demo.warc.gz", server.uri, root / "data")
        rng = random.Random(19)
        pages = [(url, article_page(f"Harbour bridge to close to cars{'' if n == 0 else ' next spring'}",
                                    edit_words(STORY, 0.04, rng), f"2026-11-20T{9 + n:02d}:00:00Z", site),
                  f"2026-11-20T{12 + n:02d}:00:00Z", "text/html; charset=utf-8")
                 for n, (url, site) in enumerate(STORY_SOURCES)]
        first = ORCHESTRA + "\n\nThe programme will be published in full next week."
        pages.append((REVISED_URL, article_page("Orchestra announces its new season", first,
                                                "2026-11-18T10:00:00Z", "Demo Gazette"),
                      "2026-11-18T11:00:00Z", "text/html; charset=utf-8"))
        write_warc(str(root / "stories.warc.gz"), pages)
        crawl_warc(root / "stories.warc.gz", server.uri, root / "data")
        revised = ORCHESTRA + "\n\nThe programme is now online; the opening concert on 12 January is sold out."
        write_warc(str(root / "revised.warc.gz"),
                   [(REVISED_URL, article_page("Orchestra announces its new season", revised,
                                               "2026-11-18T10:00:00Z", "Demo Gazette"),
                     "2026-11-21T09:00:00Z", "text/html; charset=utf-8")])
        crawl_warc(root / "revised.warc.gz", server.uri, root / "data")
        yield server.uri, root, server.kind
    finally:
        server.stop()


# --- what each query must find -------------------------------------------------------------------

EXPECT = {
    "day-in-french": lambda rows: rows and all(r["published_at"].startswith("2026-11-20") for r in rows)
                     and any("Seine" in r["title"] for r in rows),
    "story-reports": lambda rows: len(rows) >= 1 and all("journal-demo.fr" in r["url"] for r in rows),
    "per-source-language": lambda rows: {(r["_id"]["source"], r["_id"]["language"]) for r in rows}
                           >= {("journal-demo.fr", "fr"), ("demo-zeitung.de", "de"), ("example.com", "en")}
                           and sum(r["articles"] for r in rows) >= 8,
    "stories-three-sources": lambda rows: len(rows) == 1 and rows[0]["sources"] == 3,
    "revised-articles": lambda rows: [r["url"] for r in rows] == [REVISED_URL] and rows[0]["revision"] == 2
                        and len(rows[0]["revisions"]) == 1,
    "title-search": lambda rows: len(rows) == 3 and all("bridge" in r["title"].lower() for r in rows),
    "latest-of-a-source": lambda rows: len(rows) == 1 and rows[0]["authors"] == ["Claire Dubois"],
    "runs-of-a-spider": lambda rows: len(rows) == 3 and all(r["outcome"] == "ok" for r in rows)
                        and sorted(r["items"]["stored"] for r in rows) == [0, 4, 4],
    "store-api": lambda out: "'inserted': 1" in out and out.rstrip().endswith("1"),
    "pymongo-latest": lambda out: out.startswith("8 articles") and "Harbour bridge" in out,
    "pandas-frames": lambda out: "journal-demo.fr" in out and "median words" in out
                     and re.search(r"^s\w+\s+3$", out, re.M) is not None,
}

# In mongosh the query's value is printed as relaxed Extended JSON (a cursor as the array of its documents).
MONGOSH_WRAPPER = """const __result = (
{code}
);
print(EJSON.stringify(__result && typeof __result.toArray === "function" ? __result.toArray() : __result,
                      {{relaxed: true}}));
"""


def mongosh(uri: str, code: str, home: Path, *, pasted: bool = False) -> subprocess.CompletedProcess:
    """`pasted`: the code typed into the shell's prompt line by line, as an analyst pastes it (the
    REPL runs a statement as soon as it is complete, so a chain continued on a line starting with
    "." fails there with "Invalid REPL keyword" though it runs with --eval)."""
    args = [str(MONGOSH), f"{uri}/newscrawl", "--quiet", "--norc"]
    return subprocess.run(args if pasted else [*args, "--eval", code], input=code if pasted else None,
                          capture_output=True, text=True, timeout=120, env={**os.environ, "HOME": str(home)})


def iso_dates(value):
    """Relaxed Extended JSON dates ({"$date": "..."}) as their ISO strings, for the expectations."""
    if isinstance(value, dict):
        if set(value) == {"$date"}:
            return value["$date"]
        return {k: iso_dates(v) for k, v in value.items()}
    if isinstance(value, list):
        return [iso_dates(v) for v in value]
    return value


def test_every_query_block_is_marked_and_has_an_expectation():
    unmarked_shell = [b.id for b in ALL_BLOCKS if b.lang in ("js", "javascript", "mongosh") and not b.name]
    unmarked_python = [b.id for b in ALL_BLOCKS if b.lang in ("python", "py") and not b.name
                       and ("MongoClient" in b.code or LOCAL_URI in b.code)]
    assert not unmarked_shell and not unmarked_python, (
        "query blocks without a `<!-- query: NAME -->` line before them: " + ", ".join(unmarked_shell + unmarked_python))
    assert all(b.lang in ("js", "python") for b in QUERIES), [b.id for b in QUERIES]
    names = {b.name for b in QUERIES}
    assert names == set(EXPECT), f"queries without an expectation: {names - set(EXPECT)}; " \
                                 f"expectations without a query: {set(EXPECT) - names}"
    queries_page = {b.name for b in QUERIES if b.path.name == "queries.md"}
    assert len([n for n in queries_page if n in EXPECT]) >= 7


@pytest.mark.parametrize("block", QUERIES, ids=lambda b: b.id)
def test_documented_query_runs_and_finds_what_it_says(block, store, tmp_path):
    uri, _, _ = store
    if block.lang == "js":
        if not MONGOSH.exists():
            pytest.skip("bin/mongosh is not installed (make setup installs it)")
        # As an analyst pastes it: exit 0, nothing on stderr, no error in what the shell shows.
        shown = mongosh(uri, block.code, tmp_path, pasted=True)
        assert shown.returncode == 0 and not shown.stderr.strip(), shown.stderr[-2000:] + shown.stdout[-2000:]
        assert "Error" not in shown.stdout and "Invalid REPL" not in shown.stdout, shown.stdout[-2000:]
        out = mongosh(uri, MONGOSH_WRAPPER.format(code=block.code.rstrip()), tmp_path)
        assert out.returncode == 0 and not out.stderr.strip(), out.stderr[-2000:]
        result = iso_dates(json.loads(out.stdout))
    else:
        assert LOCAL_URI in block.code, "a python query connects to the local server as the docs say"
        out = subprocess.run([sys.executable, "-c", block.code.replace(LOCAL_URI, uri)], cwd=tmp_path,
                             capture_output=True, text=True, timeout=120)
        assert out.returncode == 0, out.stderr[-3000:]
        assert "Warning" not in out.stderr, out.stderr[-2000:]
        result = out.stdout
    assert EXPECT[block.name](result), f"{block.id} found: {str(result)[:3000]}"


def test_a_query_the_server_refuses_fails_the_check(store, tmp_path):
    # What the check above would see of the old "stories reported by three sources" ($addToSet in
    # $group): on FerretDB 1.24 an error, so a documented query the server cannot run fails the suite.
    if not MONGOSH.exists():
        pytest.skip("bin/mongosh is not installed (make setup installs it)")
    uri, _, kind = store
    if kind != "ferretdb":
        pytest.skip("MongoDB runs $addToSet in $group")
    old = 'db.articles.aggregate([{$group: {_id: "$story_id", sources: {$addToSet: "$source"}}}])'
    out = mongosh(uri, old, tmp_path)
    assert out.returncode != 0 and "not implemented" in out.stdout + out.stderr, out.stdout + out.stderr


def test_the_runs_listing_the_readme_quotes_is_the_real_one(store):
    # The README quotes `ops runs` output: its header must be the command's.
    uri, _, _ = store
    out = subprocess.run([sys.executable, "-m", "newscrawl.ops", "runs", "--spider", "warc"], cwd=REPO,
                         env={**os.environ, "MONGODB_URI": uri}, capture_output=True, text=True, timeout=120)
    assert out.returncode == 0, out.stderr[-2000:]
    header = next(line for line in out.stdout.splitlines() if line.startswith("started"))
    quoted = next(line for line in README_TEXT.splitlines() if line.startswith("started (UTC)"))
    assert quoted.split() == header.split(), (quoted, header)
    assert len([line for line in out.stdout.splitlines() if line.startswith("20")]) == 3
