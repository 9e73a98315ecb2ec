"""Language identification with langdetect (seeded, so results are deterministic).

Rule for reconciling with the page's declared language (`declared_language`):
1. Text with fewer than `min_chars` letters, or no probable language: the declared language
   when there is one (method `declared`), else `und`.
2. Detection at or above `min_confidence`: the detected language (method `detected`), also when
   the page declares another one (CMS templates often declare the site's default language).
3. Detection below `min_confidence`: the declared language if detection ranks it among its
   candidates (method `declared`), else the detected one if its probability is at least 0.5,
   else `und`.
4. langdetect knows 55 languages; Icelandic, Zulu, Xhosa and others it maps to a neighbour
   (Norwegian, Swahili). CLD2 (pycld2, ~0.2 ms) gives a second opinion: when it reliably names a
   language langdetect does not have, that language wins (method `cld2`).
Codes are ISO 639-1 (`zh-cn`/`zh-tw` -> `zh`; Norwegian `nb`/`nn` -> `no`).
"""

import logging
import re

import pycld2
from langdetect import DetectorFactory, detect_langs
from langdetect import detector_factory
from langdetect.lang_detect_exception import LangDetectException

DetectorFactory.seed = 0
logger = logging.getLogger(__name__)

_ALIASES = {"zh-cn": "zh", "zh-tw": "zh", "nb": "no", "nn": "no", "iw": "he", "in": "id", "jw": "jv"}
_LETTERS = re.compile(r"[^\W\d_]", re.UNICODE)


def normalise_code(code: str | None) -> str | None:
    if not code:
        return None
    code = code.strip().lower().replace("_", "-")
    if code in _ALIASES:
        return _ALIASES[code]
    base = code.split("-")[0]
    return _ALIASES.get(base, base) if 2 <= len(base) <= 3 else None


def _langdetect_languages() -> set[str]:
    detector_factory.init_factory()
    return {normalise_code(code) for code in detector_factory._factory.get_lang_list()}


def _cld2(sample: str) -> str | None:
    """CLD2's language when it is reliable, else None."""
    try:
        reliable, _, details = pycld2.detect(sample, isPlainText=True)
    except pycld2.error:
        return None
    code = details[0][1] if details else "un"
    return normalise_code(code) if reliable and code not in ("un", "xxx") else None


def detect(text: str, declared: str | None = None, *, min_confidence: float = 0.8, min_chars: int = 40,
           max_chars: int = 2000) -> tuple[str, float, str]:
    """Returns (language, confidence, method) where method is detected, declared or none."""
    declared = normalise_code(declared)
    sample = text[:max_chars]
    if len(_LETTERS.findall(sample)) < min_chars:
        return (declared, 0.0, "declared") if declared else ("und", 0.0, "none")
    try:
        candidates = detect_langs(sample)
    except LangDetectException:
        return (declared, 0.0, "declared") if declared else ("und", 0.0, "none")
    ranked = [(normalise_code(c.lang), c.prob) for c in candidates]
    top, prob = ranked[0]
    second = _cld2(sample)
    if second and second != top and second not in _LANGDETECT:
        return second, round(prob, 4), "cld2"
    if prob >= min_confidence:
        return top, round(prob, 4), "detected"
    if declared and any(lang == declared for lang, _ in ranked):
        return declared, round(dict(ranked)[declared], 4), "declared"
    if prob >= 0.5:
        return top, round(prob, 4), "detected"
    return "und", round(prob, 4), "none"


_LANGDETECT = _langdetect_languages()


def warm_up() -> None:
    """langdetect loads its profiles on first use (~300 ms); do it before the crawl starts."""
    try:
        detect_langs("warm up the language profiles")
    except LangDetectException:
        pass
