from functools import partial

import pytest

from newscrawl import language
from newscrawl.language import normalise_code
from newscrawl.settings import NEWSCRAWL_LANGUAGE_MAX_CHARS, NEWSCRAWL_LANGUAGE_MIN_CONFIDENCE

# The language pipeline's call, with the project's settings.
detect = partial(language.detect, min_confidence=NEWSCRAWL_LANGUAGE_MIN_CONFIDENCE, max_chars=NEWSCRAWL_LANGUAGE_MAX_CHARS)

FR = ("Le gouvernement a présenté mercredi un projet de loi visant à renforcer la protection des données "
      "personnelles des usagers des services publics, après plusieurs fuites massives survenues cette année.")
DE = ("Die Bundesregierung hat am Mittwoch einen Gesetzentwurf vorgelegt, der den Schutz persönlicher Daten "
      "der Nutzer öffentlicher Dienste verbessern soll, nachdem es in diesem Jahr mehrere große Datenlecks gab.")
ZH = "政府周三提出一项法案，旨在加强对公共服务用户个人数据的保护。此前今年发生了多起大规模数据泄露事件，引发公众广泛关注。"
NO = ("Regjeringen la onsdag fram et lovforslag som skal styrke vernet av personopplysninger for brukere av "
      "offentlige tjenester, etter flere store datalekkasjer i år.")
IS = ("Ríkisstjórnin lagði á miðvikudag fram frumvarp sem á að styrkja vernd persónuupplýsinga notenda opinberrar "
      "þjónustu eftir að nokkrir stórir gagnalekar urðu á þessu ári. Málið verður rætt á Alþingi í næstu viku.")


@pytest.mark.parametrize("text,declared,expected", [
    (FR, "fr", "fr"),
    (DE, "de-DE", "de"),
    (ZH, "zh-CN", "zh"),
    (NO, "nb", "no"),
    # The page declares the wrong language (a CMS default): the text wins.
    (FR, "en", "fr"),
    (DE, "en-US", "de"),
    (NO, "da", "no"),
    # A language langdetect does not know: CLD2's second opinion names it.
    (IS, "en", "is"),
])
def test_detected_language_and_declared_reconciliation(text, declared, expected):
    lang, conf, method = detect(text, declared)
    assert lang == expected
    assert method in ("detected", "cld2")
    assert 0.5 <= conf <= 1.0


def test_deterministic():
    assert len({detect(FR + " " + DE[:80], None) for _ in range(20)}) == 1


def test_short_text_falls_back_to_declared_or_und():
    assert detect("OK 123", "fr") == ("fr", 0.0, "declared")
    assert detect("OK 123", None) == ("und", 0.0, "none")
    assert detect("!!! ... 2024", "pt-BR") == ("pt", 0.0, "declared")


def test_no_features_does_not_raise():
    assert detect("1234567890 " * 20, None)[0] == "und"


@pytest.mark.parametrize("code,expected", [("zh-CN", "zh"), ("zh_TW", "zh"), ("nb-NO", "no"), ("nn", "no"),
                                           ("EN-gb", "en"), ("", None), (None, None), ("english", None)])
def test_normalise_code(code, expected):
    assert normalise_code(code) == expected
