"""`python -m tools.bench language`: the LanguagePipeline's rule on the development pages as extracted:
how many get their expected language, and the cost per article."""

import sys
import time

from . import realpages


def main(args) -> int:
    """LanguagePipeline's rule on the pages as extracted (title, body, declared language)."""
    from newscrawl import language, settings
    from newscrawl.pages import page_for

    if not realpages.available():
        print(f"skipped: {realpages.REALPAGES} not found", file=sys.stderr)
        return 0
    cases = realpages.load_cases()
    items = {}
    for c in cases:
        try:
            items[c["id"]] = page_for(c["url"], realpages.page_bytes(c)).to_item()
        except Exception:  # a page without item counts as wrong below
            pass
    language.warm_up()
    right, wrong, t0 = 0, [], time.perf_counter()
    for c in cases:
        item = items.get(c["id"])
        lang = None
        if item:
            lang, conf, method = language.detect(f"{item['title']}\n{item['body']}", item["declared_language"],
                                                 min_confidence=settings.NEWSCRAWL_LANGUAGE_MIN_CONFIDENCE,
                                                 max_chars=settings.NEWSCRAWL_LANGUAGE_MAX_CHARS)
        if lang == c["expected"]["language"]:
            right += 1
        else:
            wrong.append((c["publisher"], c["expected"]["language"], lang, item and item["declared_language"]))
    ms = 1000 * (time.perf_counter() - t0) / len(cases)
    print(f"language: {right}/{len(cases)} right ({right / len(cases):.3f}), {ms:.1f} ms per article "
          f"(title + body capped at {settings.NEWSCRAWL_LANGUAGE_MAX_CHARS} chars, with the declared language)")
    for w in wrong:
        print("  wrong: %s expected %s got %s (declared %s)" % w)
    return 0
