"""newscrawl.language.detect_langs must give langdetect's own result, probabilities included."""

import langdetect
import pytest
from langdetect.lang_detect_exception import LangDetectException

from newscrawl import language

TEXTS = {
    "en": "The council approved the budget on Tuesday after a long debate about schools, roads and the new "
          "library. Contact press@example.org or see https://example.org/news?id=12 for the full report.",
    "fr": "Le gouvernement a présenté mercredi un projet de loi visant à renforcer la protection des données "
          "personnelles des usagers des services publics, après plusieurs fuites massives.",
    "de": "Die Bundesregierung hat am Mittwoch einen Gesetzentwurf vorgelegt, der den Schutz persönlicher "
          "Daten der Nutzer öffentlicher Dienste verbessern soll. Die EU-Kommission und die NATO prüfen ihn.",
    "ro": "Guvernul a aprobat astăzi o ordonanță de urgență privind șomajul tehnic și ajutoarele pentru țărani.",
    "vi": "Chính phủ đã thông qua dự thảo luật mới về bảo vệ dữ liệu cá nhân của người dùng dịch vụ công.",
    "vi-combining": "Chi\u0301nh phu\u0309 đa\u0303 thông qua dư\u0323 tha\u0309o luâ\u0323t mơ\u0301i "
                    "ve\u0300 ba\u0309o vê\u0323.",
    "ru": "Правительство в среду представило законопроект об усилении защиты персональных данных "
          "пользователей государственных услуг (ФСБ, МВД) после нескольких крупных утечек в этом году.",
    "el": "Η κυβέρνηση παρουσίασε την Τετάρτη νομοσχέδιο για την προστασία των προσωπικών δεδομένων.",
    "ar": "قدمت الحكومة يوم الأربعاء مشروع قانون يهدف إلى تعزيز حماية البيانات الشخصية لمستخدمي الخدمات العامة",
    "fa": "دولت روز چهارشنبه لایحه‌ای برای تقویت حفاظت از داده‌های شخصی کاربران خدمات عمومی ارائه کرد",
    "hi": "सरकार ने बुधवार को सार्वजनिक सेवाओं के उपयोगकर्ताओं के व्यक्तिगत डेटा की सुरक्षा के लिए विधेयक पेश किया।",
    "zh": "政府周三提出一项法案，旨在加强对公共服务用户个人数据的保护。此前今年发生了多起大规模数据泄露事件。",
    "ja": "政府は水曜日、公共サービス利用者の個人データ保護を強化する法案を提出した。ニュースによると、",
    "ko": "정부는 수요일 공공 서비스 이용자의 개인 데이터 보호를 강화하는 법안을 제출했다.",
    "th": "รัฐบาลเสนอร่างกฎหมายเพื่อเสริมสร้างการคุ้มครองข้อมูลส่วนบุคคลของผู้ใช้บริการสาธารณะ",
    "mixed": "Москва — The Kremlin said on Monday (в понедельник) that talks would continue. ТАСС, Reuters.",
    "latin-in-cyrillic": "Президент Trump встретился с канцлером в Берлине, сообщает агентство AP News.",
    "latin-with-kanji": "The Tokyo (東京) office said on Monday that the new model would ship in June, "
                        "about 30 minutes (分) from the station.",
    "short": "Ja, das ist gut so.",
    "spaces": "  Hello   world \n\n  это  тест\t\tok  ",
}


def ranked(detect_langs, text):
    try:
        return [(c.lang, c.prob) for c in detect_langs(text)]
    except LangDetectException as e:
        return str(e)


@pytest.mark.parametrize("name", sorted(TEXTS))
def test_same_languages_and_probabilities_as_langdetect(name):
    text = TEXTS[name]
    assert ranked(language.detect_langs, text) == ranked(langdetect.detect_langs, text)


@pytest.mark.parametrize("text", ["", "1234 5678 !!!", "https://example.org/a/b?c=d user@example.org"])
def test_no_features_raises_like_langdetect(text):
    with pytest.raises(LangDetectException):
        langdetect.detect_langs(text)
    with pytest.raises(LangDetectException):
        language.detect_langs(text)


def test_same_result_when_words_are_cached():
    text = TEXTS["de"] + " " + TEXTS["en"]
    first = ranked(language.detect_langs, text)
    assert ranked(language.detect_langs, text) == first == ranked(langdetect.detect_langs, text)
