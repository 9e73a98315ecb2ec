"""Paragraph-level boilerplate: lines a main-text extractor keeps although they are not article text.

Rules are generic (no site names): captions repeated from the page's images and figures, the
headline repeated as first paragraph, and short lines that are prompts, credits, bylines or
consent placeholders in the usual newspaper languages.
"""

import re

import lxml.etree

from .text import normalize_for_compare, tokens

# Short lines starting like this are links to other articles, prompts or widgets.
_PROMPT = re.compile(
    r"^(?:read more|read also|more|more on this|see also|related|related articles?|related stories|also read|"
    r"watch|listen|advertisement|sponsored|share|share this( article| story)?|follow us|"
    r"lesen sie (?:auch|mehr|hier)|auch interessant|mehr zum thema|mehr dazu|weiterlesen|zum thema|"
    r"anzeige|werbung|teilen|das könnte sie auch interessieren|"
    r"czytaj (?:też|także|więcej|również)|zobacz (?:też|także)|"
    r"lire aussi|à lire aussi|a lire aussi|voir aussi|leggi anche|lee también|lea también|ver también|"
    r"leia (?:também|mais)|les også|läs (?:också|mer)|læs også|lees ook|lees meer|"
    r"ilgili haber|devamı|читайте также|hauptinhalt|zum inhalt|skip to (?:main )?content|article content)\b\s*[:.»>|\-–—]*", re.I)
# Reading-time lines: "3 Minuten Lesezeit", "5 min read".
_READING_TIME = re.compile(r"^\d+\s*(?:min(?:uten|utes|\.)?|minutes?)\s*(?:lesezeit|read|reading time|de lecture|di lettura)\b", re.I)
# Lines that only credit a photo or an agency.
_CREDIT = re.compile(
    r"^(?:(?:foto|fotos|photo|photos|bild|bilder|image|images|picture|credit|credits|quelle|source|"
    r"grafik|video|illustration|фото)\s*:|©|\(c\)|copyright\b)", re.I)
_AGENCY_CREDIT = re.compile(r"(?:getty images|afp via|/ ?dpa\b|/ ?afp\b|/ ?reuters\b|/ ?ap\b|shutterstock|"
                            r"imago images|picture alliance|picture-alliance|keystone|epa-efe|/ ?ipa\b)", re.I)
# A caption's trailing credit: "... | Jörg Carstensen/dpa", "... (Foto: AFP)".
_TRAILING_CREDIT = re.compile(
    r"(?:\|\s*[^|]{0,60}|\(\s*(?:foto|photo|bild|image|credit)s?\s*:[^)]{0,60}\)|(?:foto|photo|bild)\s*:\s*[^.]{0,60})$", re.I)
# Placeholders for blocked embeds and consent walls.
_CONSENT = re.compile(
    r"(?:externe[rn]? inhalte?|privatsphäre-einstellungen|datenschutz-?einstellungen|cookie|consent|"
    r"enable javascript|javascript (?:is )?(?:disabled|required)|"
    r"zur anzeige aktiviere|to view this content|this content is not available|"
    r"inhalt nicht verfügbar|content not available|embedded content|"
    # the fallback text of social-media embeds: "Link zum YouTube-Inhalt", Instagram's blockquote
    r"link zum [\w.-]+-inhalt|view this post on instagram|^a post shared by [^(]{1,80}\(@)", re.I)
_DATELINE = re.compile(
    r"\b(?:updated|published|posted|last modified|aktualisiert|veröffentlicht|erschienen|stand|uppdaterad|publicerad|"
    r"oppdatert|publisert|opdateret|udgivet|mis à jour|publié|actualizado|publicado|aggiornato|pubblicato|"
    r"bijgewerkt|gepubliceerd|zaktualizowano|opublikowano|güncelleme|yayınlanma)\b", re.I)
_DATE_LIKE = re.compile(r"\d{1,4}[./-]\d{1,2}[./-]\d{2,4}|\d{4}年|\d{1,2}月\d{1,2}日|\b\d{1,2}:\d{2}\s*(?:uhr|h|am|pm|utc|cet|cest)\b", re.I)
_EMAIL = re.compile(r"[\w.+-]+@[\w-]+\.[\w.]+")
_BYLINE = re.compile(r"^(?:by|von|par|por|di|av|af|door|od|de)(?:\s*:\s*|\s+)\S", re.I)
_NEWSLETTER = re.compile(r"(?:newsletter|follow .{1,40} on (?:twitter|x|facebook)|"
                         r"push alerts|whatsapp-kanal|whatsapp channel)", re.I)
# Prompts at a line's start, in a short line, in one that is no sentence or in one giving an e-mail
# address; in a sentence they are ordinary words ("Not everyone subscribes to a resolution, ...").
_SIGN_UP = re.compile(r"\b(?:sign up|subscribe|abonnieren|get in touch)\b", re.I)
# Member and log-in prompts of CJK pages ("ご利用には会員登録が必要です", "＞ ログイン").
_MEMBER_PROMPT = re.compile(r"会員登録|有料会員|会員限定|ログイン|로그인|회원가입|登录|註冊|注册")
_SENTENCE_END = (".", "!", "?", '"', "”", "»", "'", ")")


# Page furniture printed as a line of its own above or inside an article: labels of sponsor,
# highlights and audio boxes, ad slots, update stamps without a date, gift / share / save buttons.
_FURNITURE = re.compile(
    r"^(?:supported by|sponsored by|presented by|in partnership with|highlights|key points|key takeaways|"
    r"at a glance|in brief|in short|the big picture|updated|live|breaking|exclusive|analysis|opinion|"
    r"listen to (?:this )?(?:article|story)(?: \d+ min)?|listen|audio|play|advertisement|advert|ad|"
    r"skip advertisement|story continues below(?: advertisement)?|continue reading(?: below)?|"
    r"scroll to continue(?: with content)?|share full article|gift this article|save(?: article)?|print|"
    r"zusammenfassung|das wichtigste in kürze|auf einen blick|anhören|artikel anhören|vorlesen|"
    r"l'essentiel|en bref|écouter(?: cet article)?|in sintesi|ascolta|en resumen|escuchar|"
    r"sammendrag|lyssna|lyt|luister)\s*[:.|\-–—]*$", re.I)


# re's case-insensitive searches cost 3 to 5 times the plain ones. The rules searched over whole
# lines also run as plain copies (patterns in lower case; an "ı", which IGNORECASE matches with "i",
# as "i") on the lower-cased line: the same matches wherever lower() keeps the line's length and
# the line holds no character IGNORECASE matches with one of the rules' beyond lower() ("ı" and
# "ſ" for "i" and "s"), which `_folds_beyond_lower` finds; such a line takes the original rules.
def _plain(rule: re.Pattern) -> re.Pattern:
    return re.compile(rule.pattern.replace("ı", "i").replace("ſ", "s"), rule.flags & ~re.IGNORECASE)


_AGENCY_CREDIT_PLAIN, _CONSENT_PLAIN, _DATELINE_PLAIN, _NEWSLETTER_PLAIN = _PLAIN_RULES = (
    _plain(_AGENCY_CREDIT), _plain(_CONSENT), _plain(_DATELINE), _plain(_NEWSLETTER))
try:
    from re import _casefix     # (CPython's table of those extra matches; without it, no shortcut)
    _EXTRA = {chr(k): "".join(map(chr, v)) for k, v in _casefix._EXTRA_CASES.items()}
    _folds_beyond_lower = re.compile("[%s]" % re.escape("".join(sorted(
        {c for rule in _PLAIN_RULES for ch in set(rule.pattern) for c in _EXTRA.get(ch, "")})))).search
except (ImportError, AttributeError):
    _folds_beyond_lower = None


def _lowered(text: str) -> str | None:
    """``text`` lower-cased when the plain copies of the rules match it as the rules match ``text``."""
    if _folds_beyond_lower is None:
        return None
    low = text.lower()
    return low if len(low) == len(text) and not _folds_beyond_lower(low) else None


def is_boilerplate_line(text: str) -> bool:
    """A short line that is a prompt, credit, byline, consent placeholder, newsletter box or page
    furniture ("Supported by", "Highlights", "Listen to this article")."""
    n = len(tokens(text))
    if n == 0:
        return True
    # A caption's trailing agency credit, at any length (its match is at most ~80 characters, so
    # only the end of the text is searched).
    end = _lowered(text[-70:])
    if (_AGENCY_CREDIT_PLAIN.search(end) if end is not None else _AGENCY_CREDIT.search(text[-70:])) and \
            _TRAILING_CREDIT.search(text[-120:]):
        return True
    if n > 40:
        return False    # every other rule is for short lines
    low = _lowered(text)
    if n <= 6 and _FURNITURE.match(text.strip()):
        return True
    prompt = _PROMPT.match(text)
    if prompt and (n <= 10 or (n <= 30 and ":" in prompt.group(0))):
        return True
    if n <= 12 and _DATE_LIKE.search(text) and sum(any(ch.isdigit() for ch in t) for t in tokens(text)) >= max(2, n / 2):
        return True  # a date / time line
    if n <= 12 and "|" in text and _DATE_LIKE.search(text) and not text.rstrip().endswith((".", "!", "?")):
        return True  # a meta strip: "Name | Place | 08/01/2014"
    if n <= 8 and _READING_TIME.match(text):
        return True
    if n <= 12 and (_CREDIT.match(text) or (_AGENCY_CREDIT_PLAIN.search(low) if low is not None
                                             else _AGENCY_CREDIT.search(text))):
        return True
    if n <= 10 and _EMAIL.search(text):
        return True
    if _CONSENT_PLAIN.search(low) if low is not None else _CONSENT.search(text):
        return True
    if n <= 6 and _BYLINE.match(text) and not text.rstrip().endswith((".", "!", "?", ":")):
        return True
    if n <= 12 and (_DATELINE_PLAIN.search(low) if low is not None else _DATELINE.search(text)) and \
            any(ch.isdigit() for ch in text):
        return True
    if n <= 30 and (_NEWSLETTER_PLAIN.search(low) if low is not None else _NEWSLETTER.search(text)):
        return True
    if n <= 30 and (sign_up := _SIGN_UP.search(text)) and (
            n <= 10 or len(tokens(text[:sign_up.start()])) <= 1 or not text.rstrip().endswith(_SENTENCE_END) or
            _EMAIL.search(text)):
        return True
    return False


def is_member_prompt(text: str) -> bool:
    """A short member or log-in prompt of a CJK page ("ご利用には会員登録が必要です", "＞ ログイン")."""
    return len(text) <= 80 and bool(_MEMBER_PROMPT.search(text))


def is_byline_like(text: str) -> bool:
    """An author or publication line: "By ...", or one with "published" / "updated"."""
    return bool(_BYLINE.match(text) or _DATELINE.search(text))


_MAX_LINKS = 5_000
_LINK_CACHE: list = [None, frozenset(), []]  # the last tree, its link texts and its long ones


def page_links(tree) -> tuple[frozenset[str], list[str]]:
    """The page's link texts, normalised, read in one pass (at most _MAX_LINKS links) and kept
    for the last tree (the body's rules ask several times): every text of 2 to 300 characters, and
    :func:`link_texts`."""
    if _LINK_CACHE[0] is not tree:
        every, long_ = set(), set()
        normalised: dict[str, str] = {}     # (menus repeat their labels: each normalised once)
        for i, a in enumerate(tree.iter("a")):
            if i >= _MAX_LINKS:
                break
            raw = a.text_content()
            if len(raw) < 2 or raw.isspace():
                continue    # (an image link: no text to normalise)
            text = normalised.get(raw)
            if text is None:
                text = normalised[raw] = normalize_for_compare(raw)
            if 2 <= len(text) <= 300:
                every.add(text)
            # (a table of contents points at the article's own intertitles: not a teaser)
            if len(text) >= 15 and not (a.get("href") or "").startswith("#"):
                long_.add(text)
        _LINK_CACHE[:] = [tree, frozenset(every), sorted(long_, key=len, reverse=True)]
    return _LINK_CACHE[1], _LINK_CACHE[2]


def link_texts(tree, min_chars: int = 15) -> list[str]:
    """Normalised texts of the page's links long enough to be article titles (links to an anchor
    of the page left out), longest first."""
    long_ = page_links(tree)[1]
    return long_ if min_chars == 15 else [t for t in long_ if len(t) >= min_chars]


def is_link_line(text: str, links: list[str]) -> bool:
    """A short line made (almost) only of one link's text: a teaser for another article."""
    norm = normalize_for_compare(text)
    if not links or len(norm) < 15 or len(tokens(text)) > 30:
        return False
    for link in links:
        if len(link) < 0.7 * len(norm):
            break
        if link in norm:
            return True
    return False


# "Comments" in the other usual languages (a tail's start, a comments section's heading).
_COMMENT_WORDS = (r"comentar(?:ios)?|comentários?|commentaires?|commenti|komentarze?|kommentarer|kommentit|reacties|"
                  r"yorumlar?|комментарии|댓글|评论|評論|コメント")
# Headings after which an article's page carries no more article text: sources, tags, related
# stories, comments, paywall notes.
_TAIL_START = re.compile(
    r"^(?:quellen?|sources?|fuentes|fonti|kilder?|källor|bronnen|źródła|eigene recherchen|tags?|etiketler|schlagw[öo]rter|"
    r"themen|mots-clés|ähnliche(?: artikel| themen)?|related(?: articles| stories| topics)?|most read|meistgelesen|"
    r"more (?:stories|from|on)|mehr zum thema|kommentar(?:e|\s+abgeben)?|comments?|would you like to comment|"
    + _COMMENT_WORDS + "|"
    r"leave a (?:comment|reply)|fehler gefunden|log in or create an account|おすすめ情報|関連キーワード|関連記事|この記事は会員限定です)\b"
    r"\s*[:?.!-]?", re.I)
# Short closing lines: agency credits and notes about the article's origin, prompts to comment,
# log in, donate or follow.
_TAIL_LINE = re.compile(
    r"^(?:\(?(?:mit |with |mit material (?:von |der )?|material: )?(?:agenturmaterial|agenturen|dpa|afp|ap|reuters|sda|apa|"
    r"kna|epd|ddp|ansa|efe|anp|ntb|tt|rtr|mdr|ndr|wdr|br|swr|ard)\b[^.!?]{0,30}\.?$|[\w ]{1,25}-redaktion\.?$|"
    r"[a-z]{2,4}/[a-z]{2,4}$|.{0,40}\(\w{2,5}\)$)|"
    r"dieser artikel (?:ist|wurde) zuerst|this (?:article|story) (?:was |first )?(?:originally )?(?:published|appeared)|"
    r"il vous reste|la suite est réservée|hat ihnen dieser artikel gefallen|do you have a story|enjoying our (?:latest )?content|"
    r"log in or create an account|please read our comment|du musst dich|for more stories like this|"
    r"follow [\w.]+ on (?:twitter|facebook|x|instagram)|dieses thema im programm|カテゴリーをフォローする|"
    r"^(?:true|false|null|undefined|\w{2,30}:)$", re.I)


# A comments section's own heading, the whole line: "Comments", "12 Kommentare", "Comentarios (5)".
_COMMENTS_HEADING = re.compile(
    r"^(?:\d+\s+)?(?:comments?|leave a (?:comment|reply)|kommentare?|" + _COMMENT_WORDS + r")(?:\s*\(\d+\))?\s*:?$", re.I)


def trim_tail(blocks: list, window: int = 12) -> list:
    """Drop the page's closing lines after the article: a comments section (its heading after 100
    words of text, however long the comments), a sources / tags / related / comments section of
    short lines, and short credit or prompt lines at the end."""
    end = len(blocks)
    words = 0
    for i, block in enumerate(blocks):
        if words >= 100 and len(block) <= 40 and _COMMENTS_HEADING.match(block.strip()):
            end = i
            break
        words += len(tokens(block))
    start = max(0, end - window)
    for i in range(start, end):
        if _TAIL_START.match(blocks[i]) and len(tokens(blocks[i])) <= 12 and i > 0 and \
                all(len(b) <= 150 for b in blocks[i + 1:end]):
            end = i
            break
    while end > 1 and len(tokens(blocks[end - 1])) <= 40 and _TAIL_LINE.search(blocks[end - 1]):
        end -= 1
    return blocks[:end]


_CAPTION_CACHE: list = [None, frozenset()]  # the last tree and its captions (pages ask several times)


def _caption_class(cls: str) -> bool:
    # (substring tests: a third of a regex search's cost, on every class attribute of the page)
    return "aption" in cls and ("caption" in cls or "Caption" in cls) or \
        "redit" in cls and ("credit" in cls or "Credit" in cls)


def caption_texts(tree) -> frozenset[str]:
    """Normalised texts of image alternatives, titles and figure captions on the page."""
    if _CAPTION_CACHE[0] is not tree:
        _CAPTION_CACHE[:] = [tree, frozenset(_caption_texts(tree))]
    return _CAPTION_CACHE[1]


def remember_captions(tree, captions: set[str]) -> None:
    """Keep ``captions``, read by :func:`add_captions` from an exact copy of ``tree`` (one walk of
    the page doing other work too), as the page's :func:`caption_texts`."""
    captions.discard("")
    _CAPTION_CACHE[:] = [tree, frozenset(captions)]


CAPTION_TAGS = frozenset(("figcaption", "img", "picture"))


def add_captions(found: set, el, tag: str, cls: str | None) -> None:
    """The caption texts of one element (see :func:`caption_texts`), added to ``found``."""
    if cls and tag != "body" and _caption_class(cls) and len(el) < 20:
        # (a caption element, not a container that happens to mention one)
        found.add(normalize_for_compare(el.text_content()))
    if tag == "figcaption":
        found.add(normalize_for_compare(el.text_content()))
    elif tag in ("img", "picture"):
        for attr in ("alt", "title"):
            value = el.get(attr)
            if value:
                found.add(normalize_for_compare(value))


def _caption_texts(tree) -> set[str]:
    # One pass in Python: an XPath of contains(@class, ...) costs twice as much on lxml.
    found: set[str] = set()
    for el in tree.iter(lxml.etree.Element):    # (comments skipped in C)
        tag = el.tag
        cls = el.get("class")
        if tag in CAPTION_TAGS or cls and ("aption" in cls or "redit" in cls):   # (a cheap test first)
            add_captions(found, el, tag, cls)
    found.discard("")
    return found


def is_caption(text: str, captions: set[str]) -> bool:
    if not captions:
        return False
    norm = normalize_for_compare(text)
    if len(norm) < 12:
        return False
    if norm in captions:
        return True
    # Captions often carry a credit after the text: "... | Getty Images/...".
    return any(c.startswith(norm) and len(c) - len(norm) < 80 for c in captions if len(c) > len(norm))
