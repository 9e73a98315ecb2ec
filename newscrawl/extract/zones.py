"""The time zone of a publisher's country, for wall times printed without an offset.

Used only when a page gives a time of day but no zone and the source declares none (the page's
own other timestamps come first: ``newscrawl/pages/dates.py``). A zone is named only when the
country is known and its clocks are known:

* ``country_domain``: the country-code TLD of the host (``.de``, ``.co.uk``; a ccTLD sold as a
  generic name, ``.co``, ``.io``, ``.tv``, ``.me``, says no country, but ``.com.co`` does);
* ``locale_region``: the region of the page's language tag or ``og:locale`` (``de-AT``,
  ``en_GB``);
* ``language``: a language tag without region only where every country that writes the language
  keeps the same clock (German, Italian, Dutch, Polish, Japanese, Korean, Chinese (+08:00 in all
  its countries), ...). Not English, Spanish, Portuguese, French, Arabic or Russian.

A country with one zone gives it; a country with several only when one of them is by far the
dominant one (Brazil: Brasilia time, over nine in ten people; Mexico: central time; Russia:
Moscow time, over two in three; Indonesia: western time, about three in four). The United States,
Canada and Australia give none: the item then says its time is local (precision ``local``) rather
than guessing hours wrong. The guess and its rule are recorded on the item
(``published_at_source.zone_guess`` / ``zone_rule``), never passed off as the page's own zone.
"""

from urllib.parse import urlsplit

_MAX_URL = 2048
_MAX_TAG = 35

# ISO 3166 country -> its one zone, or the zone of by far most of its people (marked "dominant").
_COUNTRY_ZONES = {
    "de": "Europe/Berlin", "at": "Europe/Vienna", "ch": "Europe/Zurich", "li": "Europe/Vaduz",
    "fr": "Europe/Paris", "be": "Europe/Brussels", "lu": "Europe/Luxembourg", "nl": "Europe/Amsterdam",
    "it": "Europe/Rome", "sm": "Europe/San_Marino", "va": "Europe/Vatican", "mt": "Europe/Malta",
    "es": "Europe/Madrid",          # dominant: the Canaries are 2 of 48 million
    "pt": "Europe/Lisbon",          # dominant: the Azores are a quarter million
    "gb": "Europe/London", "ie": "Europe/Dublin", "im": "Europe/Isle_of_Man", "je": "Europe/Jersey",
    "gg": "Europe/Guernsey", "dk": "Europe/Copenhagen", "se": "Europe/Stockholm", "no": "Europe/Oslo",
    "fi": "Europe/Helsinki", "is": "Atlantic/Reykjavik", "pl": "Europe/Warsaw", "cz": "Europe/Prague",
    "sk": "Europe/Bratislava", "hu": "Europe/Budapest", "si": "Europe/Ljubljana", "hr": "Europe/Zagreb",
    "ba": "Europe/Sarajevo", "rs": "Europe/Belgrade", "me": "Europe/Podgorica", "mk": "Europe/Skopje",
    "al": "Europe/Tirane", "ro": "Europe/Bucharest", "md": "Europe/Chisinau", "bg": "Europe/Sofia",
    "gr": "Europe/Athens", "cy": "Asia/Nicosia", "tr": "Europe/Istanbul", "ua": "Europe/Kyiv",
    "by": "Europe/Minsk", "lt": "Europe/Vilnius", "lv": "Europe/Riga", "ee": "Europe/Tallinn",
    "ru": "Europe/Moscow",          # dominant: Moscow time
    "ge": "Asia/Tbilisi", "am": "Asia/Yerevan", "az": "Asia/Baku", "il": "Asia/Jerusalem",
    "ps": "Asia/Gaza", "lb": "Asia/Beirut", "jo": "Asia/Amman", "sy": "Asia/Damascus", "iq": "Asia/Baghdad",
    "ir": "Asia/Tehran", "sa": "Asia/Riyadh", "ae": "Asia/Dubai", "qa": "Asia/Qatar", "bh": "Asia/Bahrain",
    "kw": "Asia/Kuwait", "om": "Asia/Muscat", "ye": "Asia/Aden", "pk": "Asia/Karachi", "af": "Asia/Kabul",
    "in": "Asia/Kolkata", "lk": "Asia/Colombo", "np": "Asia/Kathmandu", "bd": "Asia/Dhaka",
    "mm": "Asia/Yangon", "th": "Asia/Bangkok", "vn": "Asia/Ho_Chi_Minh", "kh": "Asia/Phnom_Penh",
    "la": "Asia/Vientiane", "my": "Asia/Kuala_Lumpur", "sg": "Asia/Singapore", "ph": "Asia/Manila",
    "id": "Asia/Jakarta",           # dominant: western Indonesia time
    "cn": "Asia/Shanghai", "hk": "Asia/Hong_Kong", "mo": "Asia/Macau", "tw": "Asia/Taipei",
    "jp": "Asia/Tokyo", "kr": "Asia/Seoul", "nz": "Pacific/Auckland",
    "eg": "Africa/Cairo", "ly": "Africa/Tripoli", "tn": "Africa/Tunis", "dz": "Africa/Algiers",
    "ma": "Africa/Casablanca", "ng": "Africa/Lagos", "gh": "Africa/Accra", "sn": "Africa/Dakar",
    "ci": "Africa/Abidjan", "cm": "Africa/Douala", "et": "Africa/Addis_Ababa", "ke": "Africa/Nairobi",
    "ug": "Africa/Kampala", "tz": "Africa/Dar_es_Salaam", "rw": "Africa/Kigali", "zm": "Africa/Lusaka",
    "zw": "Africa/Harare", "mz": "Africa/Maputo", "za": "Africa/Johannesburg", "na": "Africa/Windhoek",
    "bw": "Africa/Gaborone", "ls": "Africa/Maseru",
    "br": "America/Sao_Paulo",      # dominant: Brasilia time
    "mx": "America/Mexico_City",    # dominant: central time
    "ar": "America/Argentina/Buenos_Aires", "uy": "America/Montevideo", "py": "America/Asuncion",
    "cl": "America/Santiago", "pe": "America/Lima", "co": "America/Bogota", "ve": "America/Caracas",
    "ec": "America/Guayaquil", "bo": "America/La_Paz", "cu": "America/Havana", "do": "America/Santo_Domingo",
    "pr": "America/Puerto_Rico", "gt": "America/Guatemala", "hn": "America/Tegucigalpa",
    "sv": "America/El_Salvador", "ni": "America/Managua", "cr": "America/Costa_Rica", "pa": "America/Panama",
    "jm": "America/Jamaica",
}
# TLDs that differ from the country code.
_TLD_ALIASES = {"uk": "gb"}
# ccTLDs sold as generic names: the bare TLD names no country; a second level (".com.co") does.
_GENERIC_CCTLDS = {"co", "me", "tv", "fm", "am", "ai", "io", "ly", "to", "cc", "ws", "la", "md", "gg"}
_SECOND_LEVELS = {"com", "co", "net", "org", "gov", "gob", "edu", "ac", "or", "ne", "go", "nic", "info", "news"}

# Languages written only in countries that keep one clock (today's, and since the 1990s), so the
# language alone names the offset; the zone is that of the largest such country.
_LANGUAGE_ZONES = {
    "de": "Europe/Berlin", "it": "Europe/Rome", "nl": "Europe/Amsterdam", "lb": "Europe/Luxembourg",
    "pl": "Europe/Warsaw", "cs": "Europe/Prague", "sk": "Europe/Bratislava", "hu": "Europe/Budapest",
    "sl": "Europe/Ljubljana", "hr": "Europe/Zagreb", "bs": "Europe/Sarajevo", "sr": "Europe/Belgrade",
    "mk": "Europe/Skopje", "sq": "Europe/Tirane", "da": "Europe/Copenhagen", "sv": "Europe/Stockholm",
    "no": "Europe/Oslo", "nb": "Europe/Oslo", "nn": "Europe/Oslo", "fi": "Europe/Helsinki",
    "is": "Atlantic/Reykjavik", "et": "Europe/Tallinn", "lv": "Europe/Riga", "lt": "Europe/Vilnius",
    "el": "Europe/Athens", "ro": "Europe/Bucharest", "bg": "Europe/Sofia", "tr": "Europe/Istanbul",
    "uk": "Europe/Kyiv", "ka": "Asia/Tbilisi", "hy": "Asia/Yerevan", "he": "Asia/Jerusalem",
    "ja": "Asia/Tokyo", "ko": "Asia/Seoul", "zh": "Asia/Shanghai", "th": "Asia/Bangkok",
    "vi": "Asia/Ho_Chi_Minh", "ca": "Europe/Madrid", "eu": "Europe/Madrid", "gl": "Europe/Madrid",
}


def country_zone(country: str | None) -> str | None:
    """The zone of an ISO 3166 country code ("de", "GB"); None for countries of several zones."""
    if not isinstance(country, str):
        return None
    return _COUNTRY_ZONES.get(country.strip().lower())


def zone_from_domain(url: str) -> str | None:
    """The zone of the country whose TLD the URL's host is under (rule ``country_domain``)."""
    if not isinstance(url, str):
        return None
    try:
        host = (urlsplit(url[:_MAX_URL]).hostname or "").rstrip(".").lower()
    except ValueError:
        return None
    labels = host.split(".")
    if len(labels) < 2 or not labels[-1].isalpha():
        return None
    tld = labels[-1]
    if tld in _GENERIC_CCTLDS and not (len(labels) >= 3 and labels[-2] in _SECOND_LEVELS):
        return None
    return country_zone(_TLD_ALIASES.get(tld, tld))


def language_region(tag: str | None) -> tuple[str, str]:
    """(language, region), lower-case, of a BCP 47 tag or locale: "en_GB" -> ("en", "gb")."""
    if not isinstance(tag, str) or not tag.strip() or len(tag) > _MAX_TAG:
        return "", ""
    parts = tag.strip().lower().replace("_", "-").split("-")
    region = next((p for p in parts[1:] if len(p) == 2 and p.isalpha()), "")
    return parts[0], region


def zone_from_locale(tag: str | None) -> str | None:
    """The zone of a language tag's region ("de-AT", "en_GB"; rule ``locale_region``)."""
    return country_zone(language_region(tag)[1] or None)


def zone_from_language(tag: str | None) -> str | None:
    """The zone of a language written only under one clock (rule ``language``); never English."""
    return _LANGUAGE_ZONES.get(language_region(tag)[0])


def guess_zone_rule(url: str, language_tags=()) -> tuple[str, str] | None:
    """(zone, rule) of the publisher's country: the domain, else the first tag's region, else a
    tag's language; None when no zone can be known."""
    zone = zone_from_domain(url)
    if zone:
        return zone, "country_domain"
    tags = [language_tags] if isinstance(language_tags, str) else list(language_tags or ())[:5]
    for tag in tags:
        zone = zone_from_locale(tag)
        if zone:
            return zone, "locale_region"
    for tag in tags:
        zone = zone_from_language(tag)
        if zone:
            return zone, "language"
    return None


def guess_zone(url: str, declared_language: str | None = None) -> str | None:
    """The zone of :func:`guess_zone_rule` alone."""
    found = guess_zone_rule(url, (declared_language,) if declared_language else ())
    return found[0] if found else None
