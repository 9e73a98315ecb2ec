"""Language identification with langdetect (seeded, so results are deterministic).

Rule for reconciling with the page's declared language (`declared_language`):
1. Text with fewer than `min_chars` letters, or no probable language: the declared language
   when there is one (method `declared`), else `und` (method `none`).
2. Detection at or above `min_confidence`: the detected language (method `detected`), also when
   the page declares another one (CMS templates often declare the site's default language).
3. Detection below `min_confidence`: the declared language if detection ranks it among its
   candidates (method `declared`), else the detected one if its probability is at least 0.5
   (method `detected`), else `und` (method `none`).
4. langdetect knows 55 languages; Icelandic, Zulu, Xhosa and others it maps to a neighbour
   (Norwegian, Swahili). CLD2 (pycld2, ~0.2 ms) gives a second opinion: when it reliably names a
   language langdetect does not have, that language wins (method `cld2`).
Codes are ISO 639-1 (`zh-cn`/`zh-tw` -> `zh`; Norwegian `nb`/`nn` -> `no`).

`detect_langs` is langdetect's `detect_langs` (its profiles, text clean-up, n-grams, seeded
random trials and convergence check) computed ~5x faster, with the same floating-point results:
characters are normalised with one translate table, each word's n-grams are cached, and the
probability updates between two convergence checks are one numpy product over float64 rows.
tests/pipelines/test_language_fast.py pins it to langdetect's own output.
"""

import logging
import random
import re
import threading
from itertools import islice

import numpy as np
import pycld2
from langdetect import DetectorFactory
from langdetect import detector_factory
from langdetect.detector import Detector
from langdetect.lang_detect_exception import ErrorCode, LangDetectException
from langdetect.language import Language
from langdetect.utils.ngram import NGram

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


class _Normaliser(dict):
    """str.translate table: code point -> NGram.normalize(character), filled on first sight."""

    def __missing__(self, code: int) -> str:
        ch = self[code] = NGram.normalize(chr(code))
        return ch


class _Case(dict):
    """str.translate table: code point -> "U" for upper-case characters, else "."."""

    def __missing__(self, code: int) -> str:
        mark = self[code] = "U" if chr(code).isupper() else "."
        return mark


class _Profiles:
    """langdetect's profiles as float64 rows (one per n-gram, filled when a text first uses it:
    ~11,000 rows, 5 MB resident, after the development pages; 88,000 rows, 39 MB, at most), the
    per-word n-gram cache and the detector parameters."""

    WORDS_MAX = 20000          # cached words; the cache is emptied when full
    WORD_CHARS_MAX = 24        # longer "words" (scripts without spaces) are not cached

    def __init__(self):
        detector_factory.init_factory()
        factory = detector_factory._factory
        params = factory.create()
        self.factory = factory
        self.word_lang_prob_map = factory.word_lang_prob_map
        self.langlist = list(factory.langlist)
        self.alpha, self.n_trial, self.max_text_length = params.alpha, params.n_trial, params.max_text_length
        self.normaliser = _Normaliser()
        self.case = _Case()
        if any(" " in gram[1:-1] or gram in (" ", "  ") for gram in self.word_lang_prob_map):
            raise RuntimeError("langdetect profiles with a space inside an n-gram: update newscrawl.language")
        self.slots: dict[str, int] = {}          # n-gram -> row of self.rows
        # Room for every profile n-gram, reserved but not touched: memory grows by the rows filled
        # (by page), with no copy when the table would otherwise be enlarged.
        self.rows = np.empty((len(self.word_lang_prob_map), len(self.langlist)))
        self.words: dict[str, tuple[int, ...]] = {}   # word followed by a space -> its n-gram rows
        self.lock = threading.Lock()

    def slot(self, gram: str) -> int:
        with self.lock:
            slot = self.slots.get(gram)
            if slot is None:
                slot = len(self.slots)
                self.rows[slot] = self.word_lang_prob_map[gram]
                self.slots[gram] = slot
            return slot

    def word_grams(self, word: str, space_after: bool) -> list[int]:
        """Rows of the n-grams Detector._extract_ngrams takes from a word (no spaces) that follows a
        space: at each character (and at the space after the word) the 1-, 2- and 3-gram ending
        there, none at a capital following a capital (NGram.capitalword), only n-grams the
        profiles know. No profile n-gram has a space inside (checked when loading), so a window
        that reaches back past the word's leading space is never known and padding with spaces
        needs no other test."""
        text = "  " + word + " " if space_after else "  " + word
        known, slots = self.word_lang_prob_map, self.slots
        capitals = self._capital_pairs(word)
        return [slots[gram] if gram in slots else self.slot(gram)
                for end in range(3, len(text) + 1) if end not in capitals
                for gram in (text[end - 1], text[end - 2:end], text[end - 3:end]) if gram in known]

    def _capital_pairs(self, word: str) -> set[int]:
        """Ends (in '  ' + word) of the characters that are capitals following a capital."""
        marks = word.translate(self.case)
        if "UU" not in marks:
            return set()
        return {k + 3 for k in range(1, len(marks)) if marks[k] == "U" and marks[k - 1] == "U"}


_profiles_instance: _Profiles | None = None
_CLEANUP_SPACES = re.compile(" {2,}")
_ASCII_LETTERS = re.compile("[A-z]")          # langdetect's 'A' <= ch <= 'z'
_NON_LATIN = re.compile("[^\x00-\u02ff]")     # ch >= U+0300 (its Latin Extended Additional test never matches)
_ASCII_LETTER_BYTES = bytes(range(ord("A"), ord("z") + 1))
_VI_MARKS = NGram.DMARK_CLASS


def _profiles() -> _Profiles:
    global _profiles_instance
    if _profiles_instance is None:
        _profiles_instance = _Profiles()
    return _profiles_instance


def _clean(text: str, max_text_length: int) -> str:
    """Detector.append followed by Detector.cleaning_text (each substitution skipped when the text
    cannot match it)."""
    if "http" in text:
        text = Detector.URL_RE.sub(" ", text)
    if "@" in text:
        text = Detector.MAIL_RE.sub(" ", text)
    if any(mark in text for mark in _VI_MARKS):
        text = NGram.normalize_vi(text)
    text = text[:max_text_length]
    if "  " in text:
        text = _CLEANUP_SPACES.sub(" ", text)
    encoded = text.encode("utf-8", "surrogatepass")    # other characters have no byte below 128
    ascii_letters = len(encoded) - len(encoded.translate(None, _ASCII_LETTER_BYTES))
    if ascii_letters * 2 < len(_NON_LATIN.findall(text)):
        text = _ASCII_LETTERS.sub("", text)
    return text


def _ngrams(profiles: _Profiles, text: str) -> list[int]:
    """Detector._extract_ngrams, as rows of profiles.rows, word by word."""
    words = text.translate(profiles.normaliser).split(" ")
    last = words.pop()
    cache, longest = profiles.words, profiles.WORD_CHARS_MAX
    out: list[int] = []
    for word in words:
        grams = cache.get(word)
        if grams is None:
            if not word:
                continue
            grams = profiles.word_grams(word, True)
            if len(word) <= longest:
                if len(cache) >= profiles.WORDS_MAX:
                    cache.clear()
                cache[word] = tuple(grams)
        out += grams
    if last:
        out += profiles.word_grams(last, False)
    return out


def detect_langs(text: str) -> list[Language]:
    """langdetect.detect_langs(text), same languages and probabilities; raises LangDetectException
    when the text has no n-gram the profiles know."""
    profiles = _profiles()
    ngrams = _ngrams(profiles, _clean(text, profiles.max_text_length))
    if not ngrams:
        raise LangDetectException(ErrorCode.CantDetectError, "No features in text.")
    rows = profiles.rows                        # read after _ngrams filled the rows it needs
    langs = len(profiles.langlist)
    n_trial = profiles.n_trial
    # Detector._detect_block: per trial one update, a convergence check, then five updates per
    # check. work[0] is the probability vector, work[1:] the updates' rows (weight + profile);
    # multiply.reduce takes prob * row1 * row2 ... in that order, as langdetect's loop does.
    work = np.empty((6, langs))
    prob, product = work[0], np.empty(langs)
    first, five = (work[:2], work[1:2], 1), (work, work[1:], 5)
    langprob = np.zeros(langs)
    rng = random.Random(profiles.factory.seed)
    # rng.choice(ngrams) is ngrams[r] for the first r = getrandbits(bits) below len(ngrams)
    # (Random._randbelow_with_getrandbits); drawn here without its two calls per draw.
    getrandbits, size = rng.getrandbits, len(ngrams)
    bits = size.bit_length()
    for _ in range(n_trial):
        prob.fill(1.0 / langs)
        alpha = profiles.alpha + rng.gauss(0.0, 1.0) * Detector.ALPHA_WIDTH
        weight = alpha / Detector.BASE_FREQ
        i, (block, updates, count) = 0, first
        while True:
            picks = []
            while len(picks) < count:
                r = getrandbits(bits)
                if r < size:
                    picks.append(ngrams[r])
            rows.take(picks, axis=0, out=updates, mode="clip")   # (valid rows; clip is not buffered)
            updates += weight
            np.multiply.reduce(block, axis=0, out=product)
            values = product.tolist()
            total = sum(values)                 # Python's sum, as Detector._normalize_prob
            np.divide(product, total, out=prob)
            if max(values) / total > Detector.CONV_THRESHOLD or i >= Detector.ITERATION_LIMIT:
                break
            i, (block, updates, count) = i + 5, five
        langprob += prob / n_trial
    result = [Language(lang, p) for lang, p in zip(profiles.langlist, langprob.tolist())
              if p > Detector.PROB_THRESHOLD]
    result.sort(reverse=True)
    return result


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


def _has_letters(sample: str, count: int) -> bool:
    return sum(1 for _ in islice(_LETTERS.finditer(sample), count)) >= count


def detect(text: str, declared: str | None = None, *, min_confidence: float, max_chars: int,
           min_chars: int = 40) -> tuple[str, float, str]:
    """Returns (language, confidence, method); method is `detected`, `cld2`, `declared` or `none`
    (the rules of the module docstring; the Article's `language_method`, newscrawl/article/fields.py).
    `min_confidence` and `max_chars` (the sample's length) are the NEWSCRAWL_LANGUAGE_* settings."""
    declared = normalise_code(declared)
    sample = text[:max_chars]
    if not _has_letters(sample, min_chars):
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
