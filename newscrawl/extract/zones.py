"""Guess a publisher's time zone for wall times printed without an offset.

Used only when a page gives a time of day but no zone: the source's declared zone wins, then the
country-code TLD, then the region or language the page declares. The guess is recorded on the
item (`published_at_source.zone_guess`), never passed off as the page's own zone.
"""

from urllib.parse import urlsplit

# Countries with one zone (or one dominant newsroom zone).
_TLD_ZONES = {
    "de": "Europe/Berlin", "at": "Europe/Vienna", "ch": "Europe/Zurich", "li": "Europe/Vaduz",
    "fr": "Europe/Paris", "be": "Europe/Brussels", "lu": "Europe/Luxembourg", "nl": "Europe/Amsterdam",
    "it": "Europe/Rome", "es": "Europe/Madrid", "pt": "Europe/Lisbon", "uk": "Europe/London",
    "ie": "Europe/Dublin", "dk": "Europe/Copenhagen", "se": "Europe/Stockholm", "no": "Europe/Oslo",
    "fi": "Europe/Helsinki", "is": "Atlantic/Reykjavik", "pl": "Europe/Warsaw", "cz": "Europe/Prague",
    "sk": "Europe/Bratislava", "hu": "Europe/Budapest", "si": "Europe/Ljubljana", "hr": "Europe/Zagreb",
    "rs": "Europe/Belgrade", "ro": "Europe/Bucharest", "bg": "Europe/Sofia", "gr": "Europe/Athens",
    "tr": "Europe/Istanbul", "ua": "Europe/Kyiv", "ru": "Europe/Moscow", "lt": "Europe/Vilnius",
    "lv": "Europe/Riga", "ee": "Europe/Tallinn", "il": "Asia/Jerusalem", "jp": "Asia/Tokyo",
    "kr": "Asia/Seoul", "cn": "Asia/Shanghai", "tw": "Asia/Taipei", "hk": "Asia/Hong_Kong",
    "in": "Asia/Kolkata", "sg": "Asia/Singapore", "my": "Asia/Kuala_Lumpur", "za": "Africa/Johannesburg",
    "na": "Africa/Windhoek", "ls": "Africa/Maseru", "tz": "Africa/Dar_es_Salaam", "ke": "Africa/Nairobi",
    "ng": "Africa/Lagos", "eg": "Africa/Cairo", "nz": "Pacific/Auckland", "ar": "America/Argentina/Buenos_Aires",
    "cl": "America/Santiago", "co": "America/Bogota", "pe": "America/Lima",
}
# Language or language-region as declared by the page.
_LANGUAGE_ZONES = {
    "de": "Europe/Berlin", "de-at": "Europe/Vienna", "de-ch": "Europe/Zurich", "fr": "Europe/Paris",
    "fr-ch": "Europe/Zurich", "fr-be": "Europe/Brussels", "fr-ca": "America/Toronto", "it": "Europe/Rome",
    "es": "Europe/Madrid", "es-mx": "America/Mexico_City", "es-ar": "America/Argentina/Buenos_Aires",
    "pt": "Europe/Lisbon", "pt-br": "America/Sao_Paulo", "nl": "Europe/Amsterdam", "pl": "Europe/Warsaw",
    "cs": "Europe/Prague", "sk": "Europe/Bratislava", "sv": "Europe/Stockholm", "no": "Europe/Oslo",
    "nb": "Europe/Oslo", "nn": "Europe/Oslo", "da": "Europe/Copenhagen", "fi": "Europe/Helsinki",
    "is": "Atlantic/Reykjavik", "tr": "Europe/Istanbul", "ru": "Europe/Moscow", "uk": "Europe/Kyiv",
    "ja": "Asia/Tokyo", "ko": "Asia/Seoul", "zh": "Asia/Shanghai", "zh-tw": "Asia/Taipei", "he": "Asia/Jerusalem",
    "lt": "Europe/Vilnius", "lv": "Europe/Riga", "et": "Europe/Tallinn", "el": "Europe/Athens", "hu": "Europe/Budapest",
    "ro": "Europe/Bucharest", "bg": "Europe/Sofia", "hr": "Europe/Zagreb", "sl": "Europe/Ljubljana",
    "en-gb": "Europe/London", "en-ie": "Europe/Dublin", "en-in": "Asia/Kolkata", "en-za": "Africa/Johannesburg",
    "en-au": "Australia/Sydney", "en-nz": "Pacific/Auckland", "en-us": "America/New_York", "en-ca": "America/Toronto",
}


def guess_zone(url: str, declared_language: str | None = None) -> str | None:
    host = urlsplit(url).hostname or ""
    tld = host.rsplit(".", 1)[-1].lower()
    if tld in _TLD_ZONES:
        return _TLD_ZONES[tld]
    lang = (declared_language or "").lower()
    if lang in _LANGUAGE_ZONES:
        return _LANGUAGE_ZONES[lang]
    base = lang.split("-")[0]
    if base and base != "en" and base in _LANGUAGE_ZONES:
        return _LANGUAGE_ZONES[base]
    return None
