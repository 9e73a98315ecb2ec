"""The README is a front door and docs/ holds the rest: the README fits on a screen or two and links
every page of docs/, every relative link and anchor of the docs resolves, the docs speak of the
project (never of the issues that built it, nor of the times of day benchmarks ran), and the tables
that derive from the code (sources) are the current ones."""

import re
from pathlib import Path

from tests.docs.tables import catalog_table, sources_table

REPO = Path(__file__).resolve().parents[2]
README = REPO / "README.md"
PAGES = sorted((REPO / "docs").glob("*.md"))
LINK = re.compile(r"\[[^\]]*\]\(([^)\s]+)\)")


def anchors(path: Path) -> set[str]:
    """GitHub's anchors of a Markdown file's headings (outside fenced blocks)."""
    out, fenced = set(), False
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.startswith("```"):
            fenced = not fenced
        elif not fenced and line.startswith("#"):
            title = line.lstrip("#").strip().lower().replace("`", "")
            out.add(re.sub(r"[^\w\- ]", "", title).replace(" ", "-"))
    return out


def test_readme_is_a_front_door():
    text = README.read_text(encoding="utf-8")
    assert len(text.splitlines()) <= 250
    for needed in ("make demo", "make test", "make db", "Prerequisites", "NEWSCRAWL_SKIP_SYSTEM=1",
                   "scrapy crawl warc -a path=samples/demo.warc.gz", "python -m tools.demo --serve",
                   "newscrawl.ops runs", "make scrapyd", "make deploy",
                   "schedule --file schedules.local.toml --dry-run", "bin/mongosh", "python -m newscrawl.web"):
        assert needed in text, needed


def test_the_readme_links_every_docs_page():
    linked = {Path(target.split("#")[0]).name for target in LINK.findall(README.read_text(encoding="utf-8"))
              if target.startswith("docs/")}
    assert {page.name for page in PAGES} - {"web.md"} <= linked
    assert "web.md" in linked


def test_every_relative_link_and_anchor_resolves():
    broken = []
    for path in [README, *PAGES]:
        for target in LINK.findall(path.read_text(encoding="utf-8")):
            if re.match(r"[a-z]+:", target):
                continue
            file, _, anchor = target.partition("#")
            dest = (path.parent / file).resolve() if file else path
            if not dest.exists():
                if dest.name == "web.md" or "img" in dest.parts:   # the web front's page, written beside this one
                    continue
                broken.append(f"{path.name}: {target}")
            elif anchor and dest.suffix == ".md" and anchor not in anchors(dest):
                broken.append(f"{path.name}: {target} (no such heading)")
    assert not broken, broken


def test_the_docs_speak_of_the_project_not_of_its_history():
    for path in [README, *PAGES]:
        text = path.read_text(encoding="utf-8")
        assert not re.search(r"\b[Ii]ssue \d+", text), f"{path.name} names an issue"
    for path in (README, REPO / "docs" / "benchmarks.md"):   # results, not a diary of when they ran
        text = path.read_text(encoding="utf-8")
        assert not re.search(r"\b\d{1,2}:\d{2}(:\d{2})? UTC", text), f"{path.name} keeps a diary (times of day)"


def test_the_source_table_is_the_current_one():
    text = (REPO / "docs" / "sources.md").read_text(encoding="utf-8")
    stale = [row for row in [*sources_table().splitlines(), *catalog_table().splitlines()] if row not in text]
    assert not stale, f"docs/sources.md is stale; regenerate with python -m tests.docs.tables: {stale[:3]}"
