"""Date normaliser for news pages.

Turns date strings from JSON-LD, meta tags, ``<time datetime>``, visible text and URLs into
timezone-aware UTC values. Nothing is invented: ``has_time``/``has_zone`` record whether the
source stated a time of day and an explicit zone. ISO 8601 takes a regex fast path; localised
text is handled by the regexes below, with dateutil as the last resort.
"""

from __future__ import annotations

import logging
import math
import numbers
import re
import unicodedata
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta, timezone, tzinfo
from functools import lru_cache
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

from dateutil import parser as _du_parser

logger = logging.getLogger(__name__)

__all__ = ["ParsedDate", "parse_date", "date_from_url"]

UTC = timezone.utc
MIN_DATE = date(1990, 1, 1)
_MIN_VALUE = datetime(1990, 1, 1, tzinfo=UTC)
_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
_MAX_SCAN = 200            # characters of a string that are looked at
_MAX_URL = 2048
_RELATIVE_MAX_LEN = 64     # "today"/"gestern" only count in short strings, not in prose
_TIME_GAP = 25             # max. characters between a date and its time of day


@dataclass(frozen=True)
class ParsedDate:
    value: datetime    # aware, UTC; midnight UTC of the written date when has_time is False
    has_time: bool     # the source stated a time of day
    has_zone: bool     # the source stated an offset or zone
    # The local offset the wall time was read in (stated, or default_tz's); None for bare dates.
    utc_offset: timedelta | None = field(default=None, compare=False)
    # The wall time occurs twice in its zone (the autumn change): the first occurrence, in summer
    # time, is the instant; or not at all (the spring gap): read with the offset in force before
    # the change (02:30 in a 02:00 -> 03:00 gap is 03:30 after it).
    ambiguous: bool = field(default=False, compare=False)
    nonexistent: bool = field(default=False, compare=False)
    # The time said second 60 (a leap second, 23:59:60): the instant is clamped to second 59.
    leap_second: bool = field(default=False, compare=False)

    def __post_init__(self):
        if self.value.tzinfo is None or self.value.utcoffset() is None:
            raise ValueError("ParsedDate.value must be timezone-aware")
        if self.value.tzinfo is not UTC:
            object.__setattr__(self, "value", self.value.astimezone(UTC))

    def isoformat(self) -> str:
        if self.has_time:
            return self.value.strftime("%Y-%m-%dT%H:%M:%SZ")
        return self.value.date().isoformat()

    @property
    def date(self) -> date:
        return self.value.date()


# --- text normalisation -------------------------------------------------------------------------

_TRANSLATE = str.maketrans({
    "ı": "i", "\u2010": "-", "\u2011": "-", "\u2012": "-", "\u2013": "-", "\u2014": "-", "\u2212": "-",
    "\u2019": "'", "\u02bc": "'", "\u200b": None, "\u200e": None, "\u200f": None, "\ufeff": None,
    "\u00ad": None,
})
_AM, _PM = "\ue000", "\ue001"  # private-use markers for CJK/Korean am/pm words, which precede the time
_CJK_MARK_RE = re.compile(r"[年년時时点點시午上下오]")
_CJK_DATE_RE = re.compile(r"(\d{4})\s*[年년]\s*(\d{1,2})\s*[月월]\s*(\d{1,2})\s*[日일号號]?")
_CJK_TIME_RE = re.compile(r"(\d{1,2})\s*[時时点點시](?:\s*(\d{1,2})\s*[分분])?(?:\s*(\d{1,2})\s*[秒초])?")
_CJK_AM_RE = re.compile(r"午前|上午|오전")
_CJK_PM_RE = re.compile(r"午後|下午|오후")


def _fold(s: str) -> str:
    """Strip accents (NFKD, drop combining marks, NFC so Hangul recomposes) and unify punctuation."""
    if s.isascii():
        return s
    s = unicodedata.normalize("NFKD", s)
    s = "".join(ch for ch in s if not unicodedata.combining(ch))
    return unicodedata.normalize("NFC", s).translate(_TRANSLATE)


def _normalise(s: str) -> str:
    s = _fold(s)
    if not s.isascii() and _CJK_MARK_RE.search(s):
        s = _CJK_TIME_RE.sub(lambda m: f"{m[1]}:{m[2] or '00'}" + (f":{m[3]}" if m[3] else ""), s)
        s = _CJK_AM_RE.sub(_AM + " ", s)
        s = _CJK_PM_RE.sub(_PM + " ", s)
        s = _CJK_DATE_RE.sub(lambda m: f"{m[1]}-{m[2]}-{m[3]} ", s)
    return s


# --- month and weekday names --------------------------------------------------------------------

_MONTH_NAMES = (
    (1, "january jan januar jänner janvier janv enero ene gennaio gen janeiro januari styczeń stycznia sty "
        "leden ledna ocak январь января янв"),
    (2, "february feb februar feber février févr fév febrero febbraio fevereiro fev februari luty lutego lut "
        "únor února şubat февраль февраля фев"),
    (3, "march mar märz mär mrz mars marzo março maart mrt marts marzec marca březen března mart "
        "март марта мар"),
    (4, "april apr avril avr abril abr aprile kwiecień kwietnia kwi duben dubna nisan апрель апреля апр"),
    (5, "may mai mayo maggio mag maio mei maj maja květen května mayıs май мая"),
    (6, "june jun juni juin junio giugno giu junho czerwiec czerwca cze červen června haziran июнь июня июн"),
    (7, "july jul juli juillet juil julio luglio lug julho lipiec lipca lip červenec července temmuz "
        "июль июля июл"),
    (8, "august aug août agosto ago augustus augusti sierpień sierpnia sie srpen srpna ağustos "
        "август августа авг"),
    (9, "september sep sept septembre septiembre setiembre set settembre setembro wrzesień września wrz "
        "září eylül сентябрь сентября сен сент"),
    (10, "october oct oktober okt octobre octubre ottobre ott outubro out październik października paź "
         "říjen října ekim октябрь октября окт"),
    (11, "november nov novembre noviembre novembro listopad listopada listopadu lis kasım "
         "ноябрь ноября ноя нояб"),
    (12, "december dec dezember dez décembre déc diciembre dic dicembre dezembro desember grudzień grudnia gru "
         "prosinec prosince aralık декабрь декабря дек"),
)
_MONTHS = {_fold(name).lower(): num for num, names in _MONTH_NAMES for name in names.split()}
_EN_MONTHS = ("", "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")

_WEEKDAYS = (
    "monday tuesday wednesday thursday friday saturday sunday montag dienstag mittwoch donnerstag freitag "
    "samstag sonnabend sonntag lundi mardi mercredi jeudi vendredi samedi dimanche lunes martes miércoles "
    "jueves viernes sábado domingo lunedì martedì mercoledì giovedì venerdì sabato domenica segunda-feira "
    "terça-feira quarta-feira quinta-feira sexta-feira maandag dinsdag woensdag donderdag vrijdag zaterdag "
    "zondag poniedziałek wtorek środa czwartek piątek sobota niedziela pondělí úterý středa čtvrtek pátek "
    "neděle måndag tisdag onsdag torsdag fredag lördag söndag mandag tirsdag lørdag søndag pazartesi salı "
    "çarşamba perşembe cuma cumartesi pazar понедельник вторник среда четверг пятница суббота воскресенье"
)


def _alternation(words) -> str:
    return "|".join(re.escape(w) for w in sorted(set(words), key=len, reverse=True))


_NO_LETTER_BEFORE = r"(?<![^\W\d_])"
_NO_LETTER_AFTER = r"(?![^\W\d_])"
_MON = rf"{_NO_LETTER_BEFORE}(?P<mon>{_alternation(_MONTHS)}){_NO_LETTER_AFTER}\.?"
_ORD = r"(?:st|nd|rd|th|er|o|a|°)?"
_MON_RE = re.compile(_MON, re.I)
_WEEKDAY_RE = re.compile(
    rf"{_NO_LETTER_BEFORE}(?:{_alternation(_fold(w).lower() for w in _WEEKDAYS.split())}){_NO_LETTER_AFTER}\.?,?",
    re.I)

# --- date patterns (searched in the normalised string; the leftmost valid match wins) -----------

_YMD_NUM_RE = re.compile(r"(?<![\d.])(?P<y>\d{4})\s*(?P<sep>[-/.])\s*(?P<m>\d{1,2})\s*(?P=sep)\s*"
                         r"(?P<d>\d{1,2})(?!\d)\.?")
_DMY_NUM_RE = re.compile(r"(?<![\d.:/-])(?P<a>\d{1,2})(?P<sep>[-/.])\s*(?P<b>\d{1,2})(?P=sep)\s*"
                         r"(?P<y>\d{4}|\d{2})(?![\d:]|[.,]\d)")
_DMY_NAME_RE = re.compile(rf"(?<![\d:.])(?P<d>\d{{1,2}}){_ORD}\.?[\s,/-]*(?:(?:de|of|du|del)\s+)?{_MON}"
                          rf"[\s,/-]*(?:(?:de|del|of)\s+)?(?P<y>\d{{4}})(?!\d)", re.I)
_MDY_NAME_RE = re.compile(rf"{_MON}[\s,/-]*(?P<d>\d{{1,2}})(?!\d)(?:st|nd|rd|th)?\.?[\s,/-]*"
                          rf"(?P<y>\d{{4}})(?!\d)", re.I)
_YMD_NAME_RE = re.compile(rf"(?<![\d.])(?P<y>\d{{4}})[\s,./-]*{_MON}[\s,./-]*(?P<d>\d{{1,2}})(?!\d)", re.I)
_DATE_PATTERNS = (("ymd", _YMD_NUM_RE), ("dmy", _DMY_NUM_RE), ("dmy_name", _DMY_NAME_RE),
                  ("mdy_name", _MDY_NAME_RE), ("ymd_name", _YMD_NAME_RE))
_DIGIT_RE = re.compile(r"\d")

# --- zones and times ----------------------------------------------------------------------------

_FIXED_ZONES = {  # minutes east of UTC; an abbreviation names one offset, whatever the season
    "CET": 60, "CEST": 120, "MEZ": 60, "MESZ": 120, "WET": 0, "WEST": 60, "WEZ": 0, "WESZ": 60,
    "EET": 120, "EEST": 180, "OEZ": 120, "OESZ": 180, "BST": 60, "IST": 330, "EST": -300, "EDT": -240,
    "CST": -360, "CDT": -300, "MST": -420, "MDT": -360, "PST": -480, "PDT": -420, "AKST": -540,
    "AKDT": -480, "HST": -600, "JST": 540, "KST": 540, "HKT": 480, "SGT": 480, "PHT": 480, "WIB": 420,
    "ICT": 420, "AWST": 480, "ACST": 570, "ACDT": 630, "AEST": 600, "AEDT": 660, "NZST": 720,
    "NZDT": 780, "SAST": 120, "WAT": 60, "CAT": 120, "EAT": 180, "BRT": -180, "ART": -180,
}
_REGION_ZONES = {  # generic names: the offset depends on the date
    "ET": "America/New_York", "CT": "America/Chicago", "MT": "America/Denver", "PT": "America/Los_Angeles",
    "MSK": "Europe/Moscow",
}
_FIXED_TZ = {k: timezone(timedelta(minutes=v), k) for k, v in _FIXED_ZONES.items()}

# A time of day, optionally followed by its zone. Zone abbreviations are case-sensitive ("ET" vs "et").
_TIME_RE = re.compile(
    r"""
    (?:(?P<ap0>[\ue000\ue001])\s*)?
    (?<![\d.:/])(?P<h>2[0-4]|[01]?\d)
    (?:
        \s*(?::|h|\.(?=\d\d))\s*(?P<mi>[0-5]\d)(?!\d|[./]\d)
        (?::(?P<s>[0-5]\d|60)(?:[.,](?P<f>\d{1,9})\d*)?)?
      | (?=\s*(?:uhr|h|[ap]\.?\s?m\.?)(?![^\W\d_]))
    )
    (?:\s*(?P<apt>(?P<ap>[ap])\.?\s?m\.?)(?![^\W\d_]))?
    (?:\s*(?:uhr|h)(?![^\W\d_]))?
    (?:[\s(]*
        (?:
            (?P<utc>utc|gmt|z)(?![^\W\d_])
            (?:\s*(?P<os>[-+])\s*(?P<oh>\d{1,2})(?::?(?P<om>\d{2}))?(?!\d))?
          | (?P<bs>[-+])(?P<bh>\d{2})(?::?(?P<bm>\d{2}))?(?!\d)
          | (?-i:(?P<abbr>""" + _alternation([*_FIXED_ZONES, *_REGION_ZONES]) + r"""))(?![^\W\d_])
        )
        \)?
    )?
    """,
    re.I | re.X,
)

_ISO_RE = re.compile(
    r"(?P<y>\d{4})(?P<ds>-?)(?P<m>\d{2})(?P=ds)(?P<d>\d{2})"
    r"(?:[T ](?P<h>\d{2})(?P<ts>:?)(?P<mi>\d{2})(?:(?P=ts)(?P<s>\d{2})(?:[.,](?P<f>\d{1,9})\d*)?)?"
    r" ?(?P<tz>Z|UTC|GMT|[+-]\d{2}(?::?\d{2})?)?(?:\[[\w/+-]{1,64}\])?)?",
    re.I)
_EPOCH_STR_RE = re.compile(r"\d{10}(?:\.\d{1,6})?|\d{13}")

_RELATIVE_RE = re.compile(
    r"(?<![^\W\d_])(?:(?P<today>today|heute|aujourd'?hui|hoy|oggi|hoje|vandaag|dzisiaj|dzis|dnes|idag|i dag"
    r"|bugun|сегодня)|(?P<yesterday>yesterday|gestern|hier|ayer|ieri|ontem|gisteren|wczoraj|vcera|igar"
    r"|i gar|dun|вчера))(?![^\W\d_])|(?P<today_cjk>今天|今日|오늘)|(?P<yesterday_cjk>昨天|昨日|어제)",
    re.I)

# dateutil defaults differing in every field: a field equal in both results was in the string
_DU_DEFAULTS = (datetime(2000, 1, 1, 0, 0, 0), datetime(2004, 2, 2, 1, 1, 1))

_URL_PATTERNS = (
    re.compile(r"/(?P<y>(?:19|20)\d\d)/(?P<m>\d{1,2})/(?P<d>\d{1,2})(?=[/?#.]|$)"),
    re.compile(r"(?<!\d)(?P<y>(?:19|20)\d\d)(?P<sep>[-_])(?P<m>\d\d)(?P=sep)(?P<d>\d\d)(?!\d)"),
    re.compile(r"(?<=[/_-])(?P<y>(?:19|20)\d\d)(?P<m>\d\d)(?P<d>\d\d)(?=[/_.?#-]|$)"),
)


# --- helpers ------------------------------------------------------------------------------------

@lru_cache(maxsize=64)
def _zoneinfo(name: str) -> tzinfo | None:
    try:
        return ZoneInfo(name)
    except (KeyError, ValueError, OSError):  # ZoneInfoNotFoundError is a KeyError
        return None


@lru_cache(maxsize=64)
def _default_zone(name: str) -> tzinfo:
    tz = _zoneinfo(name.strip())
    if tz is None:
        logger.warning("unknown default_tz %r, using UTC", name)
        return UTC
    return tz


def _resolve_tz(default_tz) -> tzinfo:
    if default_tz is None:
        return UTC
    if isinstance(default_tz, tzinfo):
        return default_tz
    return _default_zone(default_tz)


def _lang(language) -> tuple[str, str]:
    """(primary subtag, region subtag), lower-case: "en-US" -> ("en", "us")."""
    if not isinstance(language, str) or not language.strip():
        return "", ""
    parts = language.strip().lower().replace("_", "-").split("-")
    region = next((p for p in parts[1:] if (len(p) == 2 and p.isalpha()) or (len(p) == 3 and p.isdigit())), "")
    return parts[0], region


def _offset(sign: str, hours: str, minutes: str | None) -> tzinfo | None:
    h, m = int(hours), int(minutes or 0)
    if h > 14 or m > 59:
        return None
    delta = timedelta(hours=h, minutes=m)
    return timezone(-delta if sign == "-" else delta)


def _date_only(y: int, m: int, d: int) -> ParsedDate | None:
    try:
        value = datetime(y, m, d, tzinfo=UTC)
    except ValueError:
        return None
    return ParsedDate(value, False, False) if value >= _MIN_VALUE else None


def _wall_time_kind(local: datetime, tz: tzinfo) -> tuple[bool, bool]:
    """(ambiguous, nonexistent): whether the naive ``local`` occurs twice in ``tz`` (the autumn
    change) or not at all (the spring gap). Fixed offsets have neither."""
    if isinstance(tz, timezone):
        return False, False
    first, second = local.replace(tzinfo=tz, fold=0), local.replace(tzinfo=tz, fold=1)
    if first.utcoffset() == second.utcoffset():
        return False, False
    exists = first.astimezone(UTC).astimezone(tz).replace(tzinfo=None) == local
    return exists, not exists


def _timed(ymd, hms, tz: tzinfo, has_zone: bool) -> ParsedDate | None:
    (y, mo, d), (h, mi, s, us) = ymd, hms
    try:
        local = datetime(y, mo, d, h % 24, mi, min(s, 59), us)
        if h == 24:
            local += timedelta(days=1)
        aware = local.replace(tzinfo=tz)    # fold=0: the first occurrence of a repeated wall time
        value = aware.astimezone(UTC)
        ambiguous, nonexistent = _wall_time_kind(local, tz)
    except (ValueError, OverflowError):
        return None
    if value < _MIN_VALUE:
        return None
    return ParsedDate(value, True, has_zone, aware.utcoffset(), ambiguous, nonexistent, s == 60)


def _expand_year(yy: int, now: datetime | None) -> int:
    current = (now or datetime.now(UTC)).year
    year = 2000 + yy
    return year if year <= current + 10 else year - 100


# --- non-string inputs --------------------------------------------------------------------------

def _from_datetime(value: datetime, default_tz) -> ParsedDate | None:
    ambiguous = nonexistent = False
    if value.tzinfo is None or value.utcoffset() is None:
        tz = _resolve_tz(default_tz)
        ambiguous, nonexistent = _wall_time_kind(value.replace(tzinfo=None, fold=0), tz)
        value, has_zone = value.replace(tzinfo=tz), False
    else:
        has_zone = True
    offset = value.utcoffset()
    try:
        value = value.astimezone(UTC)
    except (ValueError, OverflowError):
        return None
    return ParsedDate(value, True, has_zone, offset, ambiguous, nonexistent) if value >= _MIN_VALUE else None


def _from_epoch(value) -> ParsedDate | None:
    try:
        seconds = float(value)
        if not math.isfinite(seconds):
            return None
        if seconds > 1e11:
            seconds /= 1000
        result = _EPOCH + timedelta(seconds=seconds)
    except (ValueError, OverflowError, TypeError):
        return None
    return ParsedDate(result, True, True, timedelta(0)) if result >= _MIN_VALUE else None


def _from_iso(m: re.Match, default_tz) -> ParsedDate | None:
    ymd = int(m["y"]), int(m["m"]), int(m["d"])
    if m["h"] is None:
        return _date_only(*ymd)
    frac = m["f"]
    hms = int(m["h"]), int(m["mi"]), int(m["s"] or 0), int(frac[:6].ljust(6, "0")) if frac else 0
    if hms[0] > 24 or (hms[0] == 24 and any(hms[1:])):
        return None
    zone = m["tz"]
    if not zone:
        return _timed(ymd, hms, _resolve_tz(default_tz), False)
    if zone[0] in "+-":
        digits = zone[1:].replace(":", "")
        tz = _offset(zone[0], digits[:2], digits[2:] or None)
        return _timed(ymd, hms, tz, True) if tz else None
    return _timed(ymd, hms, UTC, True)


# --- text ---------------------------------------------------------------------------------------

def _ymd(kind: str, m: re.Match, month_first: bool, now) -> tuple[int, int, int] | None:
    if kind == "ymd":
        ymd = int(m["y"]), int(m["m"]), int(m["d"])
    elif kind == "dmy":
        a, b, year = int(m["a"]), int(m["b"]), m["y"]
        y = int(year) if len(year) == 4 else _expand_year(int(year), now)
        if a > 12 >= b:
            ymd = y, b, a
        elif b > 12 >= a:
            ymd = y, a, b
        else:
            ymd = (y, a, b) if month_first else (y, b, a)
    else:
        ymd = int(m["y"]), _MONTHS[m["mon"].lower()], int(m["d"])
    try:
        return ymd if date(*ymd) >= MIN_DATE else None
    except ValueError:
        return None


def _find_date(s: str, month_first: bool, now):
    """Leftmost valid date in s: ((y, m, d), start, end) or None."""
    found = []
    for kind, rx in _DATE_PATTERNS:
        for m in rx.finditer(s):
            found.append((m.start(), m.start() - m.end(), kind, m))
    found.sort(key=lambda t: t[:2])
    for start, _, kind, m in found:
        ymd = _ymd(kind, m, month_first, now)
        if ymd:
            return ymd, start, m.end()
    return None


def _time_near(s: str, start: int, end: int) -> re.Match | None:
    """The time of day right after s[start:end], else right before it (only non-digits in between)."""
    m = _TIME_RE.search(s, end)
    if m and m.start() - end <= _TIME_GAP and not _DIGIT_RE.search(s, end, m.start()):
        return m
    last = None
    for last in _TIME_RE.finditer(s, max(0, start - 60), start):
        pass
    if last and start - last.end() <= _TIME_GAP and not _DIGIT_RE.search(s, last.end(), start):
        return last
    return None


def _time_parts(m: re.Match, lang: str) -> tuple[int, int, int, int] | None:
    h, mi, s = int(m["h"]), int(m["mi"] or 0), int(m["s"] or 0)
    us = int(m["f"][:6].ljust(6, "0")) if m["f"] else 0
    pm = None
    if m["ap0"]:
        pm = m["ap0"] == _PM
    elif m["ap"] and not (lang == "de" and m["apt"].lower() == "am"):  # German "am" means "on"
        pm = m["ap"].lower() == "p"
    if pm is not None and 1 <= h <= 12:
        h = h % 12 + (12 if pm else 0)
    if h == 24 and (m["mi"] is None or mi or s or us):  # only "24:00" means midnight
        return None
    return h, mi, s, us


def _zone(m: re.Match) -> tzinfo | None:
    if m["utc"]:
        return _offset(m["os"], m["oh"], m["om"]) if m["os"] else UTC
    if m["bs"]:
        return _offset(m["bs"], m["bh"], m["bm"])
    abbr = m["abbr"]
    if abbr:
        return _FIXED_TZ.get(abbr) or _zoneinfo(_REGION_ZONES[abbr])
    return None


def _with_time(ymd, time_m: re.Match | None, default_tz, lang: str) -> ParsedDate | None:
    hms = _time_parts(time_m, lang) if time_m else None
    if hms is None:
        return _date_only(*ymd)
    zone = _zone(time_m)
    return _timed(ymd, hms, zone or _resolve_tz(default_tz), zone is not None)


def _relative(s: str, default_tz, now, lang: str) -> ParsedDate | None:
    if len(s) > _RELATIVE_MAX_LEN:
        return None
    for m in _RELATIVE_RE.finditer(s):
        time_m = _time_near(s, m.start(), m.end())
        # French "hier" is German/Dutch "here": trust it for fr, or with a time when no language is known
        if (m["yesterday"] or "").lower() == "hier" and not (lang == "fr" or (lang == "" and time_m)):
            continue
        days = 0 if (m["today"] or m["today_cjk"]) else 1
        rest = s[:time_m.start()] + s[time_m.end():] if time_m else s
        if _DIGIT_RE.search(rest):  # other numbers around: not a plain "heute, 17:47"
            return None
        hms = _time_parts(time_m, lang) if time_m else None
        zone = _zone(time_m) if hms else None
        tz = zone or _resolve_tz(default_tz)
        if now is None:
            now = datetime.now(UTC)
        elif now.tzinfo is None:
            now = now.replace(tzinfo=UTC)
        try:
            day = now.astimezone(tz).date() - timedelta(days=days)
        except (ValueError, OverflowError):
            return None
        ymd = day.year, day.month, day.day
        return _timed(ymd, hms, tz, zone is not None) if hms else _date_only(*ymd)
    return None


def _dateutil(s: str, month_first: bool) -> tuple[int, int, int] | None:
    """Last resort for odd layouts ("06-Nov-94"); needs a month name and a year written out."""
    if not _MON_RE.search(s):
        return None
    text = _WEEKDAY_RE.sub(" ", s)
    text = _MON_RE.sub(lambda m: f" {_EN_MONTHS[_MONTHS[m['mon'].lower()]]} ", text)
    try:  # dateutil raises assorted errors on odd input; any failure just means "no date"
        r1, r2 = (_du_parser.parse(text, default=d, dayfirst=not month_first, ignoretz=True)
                  for d in _DU_DEFAULTS)
    except Exception:
        return None
    if (r1.year, r1.month, r1.day) != (r2.year, r2.month, r2.day):
        return None
    # dateutil turns "3rd" or "24" into a year; accept only "2024" or "-24"/"'24"
    if not re.search(rf"(?<!\d){r1.year}(?!\d)|[-'/]{r1.year % 100:02d}(?![\d:])", s):
        return None
    return r1.year, r1.month, r1.day


def _parse_text(s: str, language, default_tz, now) -> ParsedDate | None:
    lang, region = _lang(language)
    month_first = lang in ("en", "eng") and region in ("", "us")
    s = _normalise(s)
    if not _DIGIT_RE.search(s):
        return _relative(s, default_tz, now, lang)

    found = _find_date(s, month_first, now)
    if found:
        ymd, start, end = found
        return _with_time(ymd, _time_near(s, start, end), default_tz, lang)

    # "Fri May  3 17:47:42 CEST 2024": blank out the time and look again
    time_m = _TIME_RE.search(s)
    blanked = s
    if time_m:
        blanked = s[:time_m.start()] + " " * (time_m.end() - time_m.start()) + s[time_m.end():]
        found = _find_date(blanked, month_first, now)
        if found:
            return _with_time(found[0], time_m, default_tz, lang)

    rel = _relative(s, default_tz, now, lang)
    if rel:
        return rel

    ymd = _dateutil(blanked, month_first)
    return _with_time(ymd, time_m, default_tz, lang) if ymd else None


# --- public API ---------------------------------------------------------------------------------

def parse_date(value, *, language: str | None = None, default_tz: str | tzinfo | None = None,
               now: datetime | None = None) -> ParsedDate | None:
    """Parse a page date into a UTC ``ParsedDate``; None when there is no usable date.

    ``value``: str, epoch seconds/milliseconds (int/float), datetime or date. ``language`` (e.g.
    "en-US", "de") decides ambiguous numeric day/month order: month first only for US/region-less
    English. ``default_tz`` is the zone of wall times that carry none (else UTC; has_zone stays
    False). ``now`` anchors "today"/"yesterday". Never raises for str input.
    """
    if default_tz is not None and not isinstance(default_tz, (str, tzinfo)):
        raise TypeError(f"default_tz must be a zone name or tzinfo, not {type(default_tz).__name__}")
    if value is None or isinstance(value, bool):
        return None
    if isinstance(value, datetime):
        return _from_datetime(value, default_tz)
    if isinstance(value, date):
        return _date_only(value.year, value.month, value.day)
    if isinstance(value, numbers.Real):
        return _from_epoch(value)
    if not isinstance(value, str):
        return None

    s = value.lstrip()[:_MAX_SCAN].rstrip()
    if not s:
        return None
    m = _ISO_RE.fullmatch(s)
    if m:
        return _from_iso(m, default_tz)
    if _EPOCH_STR_RE.fullmatch(s):
        return _from_epoch(s)
    result = _parse_text(s, language, default_tz, now)
    if result is None:
        logger.debug("no date in %r", s[:80])
    return result


def date_from_url(url: str) -> ParsedDate | None:
    """Date-only ParsedDate from /2024/05/03/, /2024-05-03/ or /20240503/ in a URL's path or query."""
    if not isinstance(url, str):
        return None
    url = url[:_MAX_URL]
    try:
        parts = urlsplit(url)
        target = parts.path + ("?" + parts.query if parts.query else "")
    except ValueError:
        target = url
    found = sorted((m.start(), i, m) for i, rx in enumerate(_URL_PATTERNS) for m in rx.finditer(target))
    for _, _, m in found:
        result = _date_only(int(m["y"]), int(m["m"]), int(m["d"]))
        if result:
            return result
    return None
