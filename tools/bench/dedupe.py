"""Near-duplicate benchmark corpus and scoring.

Originals are the development pages' expected bodies (real articles of ~130 publishers, several on
the same topics), or the demo fixtures when ../shared is absent. Each original gets copies with
1, 2, 5, 10, 15 and 20% of its words edited (substituted, deleted or inserted, seeded), a re-titled
copy, an edited and re-titled copy, and an "updated" copy with a paragraph appended. Every copy
should join its original's story; no two originals may share a story.
"""

import random
import time

from newscrawl.article.hashing import content_hash
from newscrawl.dedupe import Signer, StoryIndex, story_id_for

from tests.stories import edit_words   # the tests' word edits: one definition

from . import realpages

EDIT_RATES = (0.01, 0.02, 0.05, 0.10, 0.15, 0.20)


def build_corpus(originals: list[tuple[str, str]], seed: int = 7) -> list[dict]:
    """originals: (title, body). Returns documents with `group` (the original's index) and `kind`."""
    rng = random.Random(seed)
    docs = []
    for i, (title, body) in enumerate(originals):
        docs.append({"url": f"https://orig.example/{i}", "title": title, "body": body, "group": i, "kind": "original"})
        for rate in EDIT_RATES:
            docs.append({"url": f"https://copy{int(rate * 100)}.example/{i}", "title": title,
                         "body": edit_words(body, rate, rng), "group": i, "kind": f"edit_{int(rate * 100)}%"})
        docs.append({"url": f"https://retitled.example/{i}", "title": f"Breaking: {title[::-1][:40]}", "body": body,
                     "group": i, "kind": "retitled"})
        docs.append({"url": f"https://retitled-edited.example/{i}", "title": "Wire report " + str(i),
                     "body": edit_words(body, 0.05, rng), "group": i, "kind": "retitled+edit_5%"})
        docs.append({"url": f"https://updated.example/{i}", "title": title,
                     "body": body + "\n\nUpdate: this article was updated with further details from officials "
                                    "who spoke on condition of anonymity later in the day.", "group": i,
                     "kind": "updated"})
    return docs


def run(docs: list[dict], threshold: float, num_perm: int = 128, seed: int = 11) -> dict:
    """Assign story ids as DedupePipeline does (in-memory index), in a shuffled order."""
    signer = Signer(threshold, num_perm)
    index = StoryIndex(signer)
    order = list(range(len(docs)))
    random.Random(seed).shuffle(order)
    hashes = {}
    t0 = time.perf_counter()
    for i in order:
        d = docs[i]
        chash = content_hash(d["body"])
        if chash in hashes:
            d["story"] = hashes[chash]
            continue
        sig = signer.signature(d["title"] + "\n" + d["body"])
        match, _ = index.best_match(sig)
        d["story"] = match[1] if match else story_id_for(chash)
        hashes[chash] = d["story"]
        index.add(d["url"], d["story"], sig)
    elapsed = time.perf_counter() - t0
    return score(docs) | {"ms_per_doc": 1000 * elapsed / len(docs), "bands": signer.bands, "rows": signer.rows}


def score(docs: list[dict]) -> dict:
    """Pairwise precision/recall of "same story", and recall per copy kind."""
    by_group, by_story = {}, {}
    for d in docs:
        by_group.setdefault(d["group"], []).append(d)
        by_story.setdefault(d["story"], []).append(d)
    predicted_pairs = sum(len(v) * (len(v) - 1) // 2 for v in by_story.values())
    true_positive = sum(
        sum(1 for a in range(len(v)) for b in range(a + 1, len(v)) if v[a]["group"] == v[b]["group"])
        for v in by_story.values())
    merges = sum(1 for v in by_story.values() if len({d["group"] for d in v}) > 1)
    kinds = {}
    for group in by_group.values():
        original = next(d for d in group if d["kind"] == "original")
        for d in group:
            if d["kind"] != "original":
                hit = d["story"] == original["story"]
                k = kinds.setdefault(d["kind"], [0, 0])
                k[0] += hit
                k[1] += 1
    low = [k for k in kinds if not k.startswith("edit_") or int(k[5:-1]) <= 10]
    low_hits = sum(kinds[k][0] for k in low)
    low_total = sum(kinds[k][1] for k in low)
    return {"docs": len(docs), "originals": len(by_group), "precision": true_positive / predicted_pairs if predicted_pairs else 1.0,
            "recall_le10": low_hits / low_total if low_total else 1.0,
            "recall_by_kind": {k: v[0] / v[1] for k, v in sorted(kinds.items())},
            "merged_different_stories": merges}


# --- `python -m tools.bench dedupe` ---------------------------------------------------------------

def load_originals() -> tuple[list[tuple[str, str]], str]:
    """(title, body) of the development pages, or of the demo fixtures without ../shared; and which."""
    if realpages.available():
        cases = realpages.load_cases()
        return [(c["expected"]["title"], c["expected"]["body"]) for c in cases if c["expected"]["body"]], "realpages"
    from tools.demo import FIXTURES, PAGES
    from newscrawl.pages.base import ArticlePage

    items = [ArticlePage(url, (FIXTURES / name).read_bytes()).to_item() for name, (url, _, _) in PAGES.items()
             if name != "index-page.html"]
    return [(i["title"], i["body"]) for i in items], "demo fixtures"


def main(args) -> int:
    from newscrawl import settings

    originals, origin = load_originals()
    threshold = args.threshold or settings.NEWSCRAWL_DEDUPE_THRESHOLD
    result = run(build_corpus(originals), threshold, settings.NEWSCRAWL_DEDUPE_NUM_PERM)
    print(f"dedupe corpus: {result['docs']} documents from {result['originals']} originals ({origin}); "
          f"threshold {threshold}, LSH {result['bands']} bands x {result['rows']} rows")
    print(f"  precision (same-story pairs)        {result['precision']:.4f}")
    print(f"  recall, copies with <= 10% edited    {result['recall_le10']:.4f}")
    print(f"  different stories merged             {result['merged_different_stories']}")
    print(f"  ms per document (signature + lookup) {result['ms_per_doc']:.2f}")
    for kind, recall in result["recall_by_kind"].items():
        print(f"    recall {kind:<18} {recall:.3f}")
    return 0
