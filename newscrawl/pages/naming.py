"""The page's names: its headline (``title``) and its publisher (``source``, ``source_name``)."""

import re
from functools import cached_property
from itertools import islice

from newscrawl.article.fields import MAX_SOURCE_NAME_CHARS, MAX_TITLE_CHARS
from newscrawl.extract.structured import as_text_list
from newscrawl.extract.text import clean_text, normalize_for_compare, shown_text
from newscrawl.extract.titles import choose_title, names_site, site_name_keys, title_segments
from newscrawl.extract.urls import is_bare_domain, registered_domain
from newscrawl.pages.hints import headline_field as publisher_headline_field

from .fields import field, plain_text

# <title> and <h1> text read for the headline: more than this is not a headline (the title is cut
# to MAX_TITLE_CHARS anyway), and cleaning megabytes of it would cost seconds.
MAX_HEADLINE_INPUT = 4 * MAX_TITLE_CHARS
# <h1> elements looked at (a page of ten thousand is junk), links read for section labels, and
# ancestors climbed to find a hidden or widget container.
MAX_H1_ELEMENTS = 32
MAX_LABEL_LINKS = 400
MAX_ANCESTORS = 40
# Hidden from readers: inline styles, and the class names of screen-reader-only text.
_HIDDEN_STYLE = re.compile(r"display\s*:\s*none|visibility\s*:\s*hidden", re.I)
_HIDDEN_CLASSES = frozenset({"sr-only", "visually-hidden", "visuallyhidden", "screen-reader-text",
                             "screen-reader-only", "screenreader-only", "sr-text", "a11y-hidden",
                             "element-invisible", "hidden-visually", "u-visually-hidden"})
# Widgets laid over or beside the article (a translation tool's "Original text", a cookie banner,
# a newsletter box, a modal dialog): their <h1> is not the article's. A class or id names one when
# it is the word, or the word with a part or two around it ("cookie-banner", "js-modal"), not when
# the word is buried in a longer name ("dialog-off-canvas-main-canvas" wraps whole Drupal pages) or
# tags the article ("category-newsletter").
_WIDGET_WORDS = frozenset({"translate", "translation", "translator", "skiptranslate", "cookie", "cookies",
                           "consent", "gdpr", "newsletter", "modal", "popup", "dialog"})
_ARTICLE_TAG_PREFIXES = ("category-", "tag-", "post-", "format-", "has-", "section-", "topic-")
_TOKEN_PARTS = re.compile(r"[-_]+")
# Class names of a site's logo or title block ("site-title" in WordPress themes, "masthead").
_LOGO_CLASSES = frozenset({"logo", "site-logo", "site-title", "site-name", "site-branding", "masthead",
                           "navbar-brand", "brand", "header-logo"})
# Ancestors looked at for a logo block or the page banner; a logo is a few words.
LOGO_ANCESTORS = 4
MAX_LOGO_WORDS = 5
_NOT_SHOWN_CONTAINERS = frozenset({"noscript", "template", "dialog"})
# Where section labels are listed: navigation bars and breadcrumbs.
_LABEL_CONTAINER = re.compile(r"breadcrumb|(?:^|[\s_-])nav(?:$|[\s_-])|menu", re.I)
# An <h1> this much shorter than every other headline source, and a navigation label, is a section name.
_SECTION_H1_RATIO = 0.5
# Source names: a URL is none (a bare domain is one only when the page gives no other).
_URL_LIKE = re.compile(r"^(?:https?:)?//|^www\.", re.I)


class Naming:
    """Mixin of :class:`~newscrawl.pages.base.ArticlePage`: headline and publisher."""

    # "og:title" when the publisher's headline is its og:title (a layout's fact; for sites without
    # layouts, the table in newscrawl/publishers/__init__.py by registered domain).
    headline_field: str | None = None

    @field("title", finish=plain_text(MAX_TITLE_CHARS))
    def title(self) -> str | None:
        return choose_title(
            headline=self._ld_headline,
            og_title=self._meta_headline("og:title") or self._meta_headline("twitter:title"),
            h1=self.h1() or "",
            doc_title=self._doc_title,
            site_names=self.site_names(),
            prefer_og_title=self.headline_from() == "og:title",
            twitter_title=self._meta_headline("twitter:title") if self._meta_headline("og:title") else "",
            labels=lambda: [*self._own_labels, *self._nav_labels, *self._read_h1s[2]],
            own_labels=lambda: self._own_labels,
        ) or None

    @cached_property
    def _ld_headline(self) -> str:
        return clean_text(" ".join(as_text_list(self.ld.get("headline"))[:1])[:MAX_HEADLINE_INPUT])

    @cached_property
    def _doc_title(self) -> str:
        return clean_text(shown_text(self.tree.find(".//title"))[:MAX_HEADLINE_INPUT])

    def _meta_headline(self, *names) -> str:
        return clean_text((self.data.first_meta(*names) or "")[:MAX_HEADLINE_INPUT])

    def _author_names(self) -> list[str]:
        """Author names as the page's metadata gives them: a title part naming one is a byline."""
        names = self.data.all_meta("author", "article:author", "parsely-author", "sailthru.author")
        names += as_text_list(self.data.resolve(self.ld.get("author")))
        return [n[:MAX_HEADLINE_INPUT] for n in names[:20] if isinstance(n, str)]

    @property
    def _section_labels(self) -> list[str]:
        """The page's section names: its own (`_own_labels`) and the navigation's."""
        return [*self._own_labels, *self._nav_labels]

    @cached_property
    def _own_labels(self) -> list[str]:
        """The article's own section (article:section, JSON-LD articleSection and breadcrumb) and
        author names."""
        labels = self.data.all_meta("article:section", "section", "parsely-section")
        labels += as_text_list(self.ld.get("articleSection"))[:10]
        for crumbs in self.data.jsonld_of_type("BreadcrumbList")[:3]:
            items = crumbs.get("itemListElement")
            # The last crumb is often the article itself.
            for item in (items[:-1] if isinstance(items, list) else [])[:20]:
                if isinstance(item, dict):
                    target = item.get("item")
                    labels += as_text_list(item.get("name") or (target.get("name") if isinstance(target, dict) else None))
        labels += self._author_names()
        return [label for label in labels if isinstance(label, str) and label.strip()]

    @cached_property
    def _nav_labels(self) -> list[str]:
        """Link texts of navigation bars, menus and breadcrumbs (a bounded number)."""
        labels, seen, read = [], 0, set()
        for container in self.tree.iter("nav", "ol", "ul", "div"):
            if seen >= MAX_LABEL_LINKS:
                break
            if container.tag != "nav" and not _LABEL_CONTAINER.search(
                    f"{container.get('class', '')} {container.get('id', '')} {container.get('role', '')}"[:300]):
                continue
            for link in container.iter("a"):
                seen += 1
                if seen >= MAX_LABEL_LINKS:
                    break
                if link in read:      # nested menus list the same links again
                    continue
                read.add(link)
                text = clean_text("".join(islice(link.itertext(), 8))[:200])
                if text and len(text.split()) <= 4:
                    labels.append(text)
        return [label for label in labels if isinstance(label, str) and label.strip()]

    def headline_from(self) -> str | None:
        """The metadata field holding the publisher's headline, when it is not JSON-LD's."""
        if not self.hints:
            return None
        return self.headline_field or publisher_headline_field(registered_domain(self.fetched_url))

    @cached_property
    def chosen_title(self) -> str | None:
        """:meth:`title`, worked out once per page."""
        return self.title()

    @cached_property
    def headline_variants(self) -> tuple:
        """The headline as the page shows it (<h1>, title, JSON-LD headline, og:title): blocks
        repeating one are not body text."""
        return (self.h1(), self.chosen_title, *as_text_list(self.ld.get("headline"))[:1],
                self.data.first_meta("og:title", "twitter:title"))

    def h1(self) -> str | None:
        return self._h1

    @cached_property
    def _h1(self) -> str | None:
        """The first <h1> a reader sees as the article's headline: not hidden, not a logo, not in a
        widget (translation, cookie, newsletter, dialog), not a section label."""
        return self._read_h1s[0]

    @cached_property
    def _logo_names(self) -> list[str]:
        """The text of <h1> logos ("Engadget" as an image's alt text): the site's name as it shows it."""
        return self._read_h1s[1]

    @cached_property
    def _read_h1s(self) -> tuple[str | None, list[str], list[str]]:
        site_keys = site_name_keys(self._own_names())
        logos, sections = [], []
        for i, el in enumerate(self.tree.iter("h1")):
            if i >= MAX_H1_ELEMENTS:
                break
            text = clean_text(shown_text(el)[:MAX_HEADLINE_INPUT])
            if _hidden_or_widget(el):
                continue
            if not text:    # an image alone: its alt text may name the site
                alt = clean_text(" ".join(img.get("alt") or "" for _, img in zip(range(3), el.iter("img")))[:200])
                if alt and len(logos) < 3 and len(alt.split()) <= 5:
                    logos.append(alt)
                continue
            if self._is_logo(el, text, site_keys):
                if len(logos) < 3 and len(text.split()) <= 5:
                    logos.append(text)
                continue
            if self._is_section_h1(text):
                sections.append(text)
                continue
            return text, logos, sections
        return None, logos, sections

    def _own_names(self) -> list[str]:
        """The site's names without reading the headline (`site_names` reads it)."""
        domain = registered_domain(self.fetched_url)
        return [self.source.name if self.source else None, domain, domain.split(".")[0],
                *self.data.all_meta("og:site_name", "application-name")[:4]]

    def _is_logo(self, el, text: str, site_keys: set[str]) -> bool:
        """A site's logo set as <h1>: its text is the site's name, or it links to the home page, or
        it is an image with the site's name (an image alone, without text, is skipped before)."""
        squashed = site_name_keys([text])
        # The name, or a few words holding it ("The Valley Post" on valleypost.co.uk).
        if squashed & site_keys or (len(text.split()) <= 3 and any(
                k in s for s in squashed for k in site_keys if len(k) >= 5)):
            return True
        if len(text.split()) <= MAX_LOGO_WORDS:
            # In the site's banner (role="banner") or a logo block.
            for depth, node in enumerate(_self_and_ancestors(el)):
                if depth > LOGO_ANCESTORS or node.tag in ("body", "html", "article", "main"):
                    break
                if (node.get("role") or "").strip().lower() == "banner" or \
                        _LOGO_CLASSES.intersection((node.get("class") or "")[:300].lower().split()):
                    return True
        for link in el.iter("a"):
            href = (link.get("href") or "").strip()[:300]
            if href in ("/", "./") or ("//" in href and is_bare_domain(href.split("//", 1)[1].rstrip("/"))):
                return True
            break
        if next(el.iter("img", "svg", "picture"), None) is None:
            return False
        # An image with the site's name beside it or in its title ("POLITICO Politico Logo"); an
        # image in a headline of a few words is no logo by itself.
        return len(text.split()) <= 5 and any(k in s for s in squashed for k in site_keys if len(k) >= 4)

    def _is_section_h1(self, text: str) -> bool:
        """A section's name as <h1> (a topic page's heading kept on its articles): a navigation or
        breadcrumb label, far shorter than every other headline source."""
        others = [t for t in (self._ld_headline, self._meta_headline("og:title", "twitter:title"), self._doc_title) if t]
        if not others or len(text) >= _SECTION_H1_RATIO * min(len(t) for t in others):
            return False
        key = normalize_for_compare(text)
        if any(normalize_for_compare(label) == key for label in self._section_labels):
            return True
        # A label of the <title> beside a longer part that is not the site's name ("Headline | News |
        # Site"): the section's name ("Flood - The Valley Post Online" keeps "Flood").
        segments = title_segments(self._doc_title)
        if len(segments) < 2 or not any(normalize_for_compare(seg) == key for seg in segments):
            return False
        domain = registered_domain(self.fetched_url)
        return any(len(seg) > 2 * len(text) and not names_site(seg, domain) for seg in segments)

    # ---- the publisher ----------------------------------------------------------------------
    @field("source")
    def source_slug(self) -> str:
        """The declared source's slug, else the page's registered domain."""
        return self.source.slug if self.source else registered_domain(self.fetched_url)

    @field("source_name", finish=plain_text(MAX_SOURCE_NAME_CHARS))
    def source_name(self) -> str:
        """The declared source's name; on the generic path the publisher's name as the page gives
        it: og:site_name, the app name, the JSON-LD publisher (a reference resolved), the site's
        own Organization / WebSite objects, or the <title> segment that names the site ("... |
        Público" on publico.es). The first that is a name and not a bare domain ("n-tv NACHRICHTEN"
        over "n-tv.de"), else the first domain given, else the registered domain. URLs are not names."""
        return self.source.name if self.source else self._page_source_name

    @cached_property
    def _page_source_name(self) -> str:
        domain = registered_domain(self.fetched_url)
        names = self.data.all_meta("og:site_name", "application-name", "al:android:app_name")
        names += as_text_list(self.data.resolve(self.ld.get("publisher")))
        for obj in self.data.jsonld_of_type("NewsMediaOrganization", "Organization", "WebSite"):
            if registered_domain(str(obj.get("url") or obj.get("@id") or "")) == domain:
                names += as_text_list(obj)
        names.append(self._title_site_segment(domain))
        names = [n for n in (clean_text(n) for n in names if isinstance(n, str)) if n and not _URL_LIKE.match(n)]
        return next((n for n in names if not is_bare_domain(n)), names[0] if names else domain)

    def _title_site_segment(self, domain: str) -> str | None:
        """The last segment of <title> that names the site (`titles.names_site`) and is not part of
        the headline (the <h1> or JSON-LD headline; without those, the longest segment is):
        "... | hessenschau.de | Wirtschaft", "Público | ...", "„Einsatz“ – Die Neue Südtiroler Tageszeitung"."""
        segments = title_segments(clean_text((self.tree.findtext(".//title") or "")[:MAX_HEADLINE_INPUT]))
        if len(segments) < 2:
            return None
        heads = [normalize_for_compare(h) for h in (self.h1(), *as_text_list(self.ld.get("headline"))[:1]) if h]
        longest = max(range(len(segments)), key=lambda i: len(segments[i]))

        def in_headline(i: int) -> bool:
            return any(normalize_for_compare(segments[i]) in h for h in heads) if heads else i == longest
        return next((segments[i] for i in reversed(range(len(segments)))
                     if not in_headline(i) and names_site(segments[i], domain)), None)

    def site_names(self) -> list[str]:
        """Names of the publisher (its name, domain, site-name meta, JSON-LD publisher): text equal
        to one of them is not a headline or an author."""
        names = [self.source_name(), registered_domain(self.fetched_url),
                 registered_domain(self.fetched_url).split(".")[0], self.data.first_meta("og:site_name"),
                 self.data.first_meta("application-name")]
        names += as_text_list(self.ld.get("publisher"))
        names += self._logo_names
        return [n for n in names if n]


def _hidden_or_widget(el) -> bool:
    """Whether a reader does not see ``el`` as part of the article: hidden (hidden attribute,
    aria-hidden, display:none, screen-reader-only classes, inside <noscript> or <template>) or in a
    widget (`_names_widget`). <body> and <html> classes ("modal-open") do not count."""
    for depth, node in enumerate(_self_and_ancestors(el)):
        if depth >= MAX_ANCESTORS or node.tag in ("body", "html"):
            break
        if node.tag in _NOT_SHOWN_CONTAINERS:
            return True
        attrib = node.attrib
        if "hidden" in attrib or (attrib.get("aria-hidden") or "").strip().lower() == "true" \
                or (attrib.get("aria-modal") or "").strip().lower() == "true" \
                or (attrib.get("role") or "").strip().lower() in ("dialog", "alertdialog"):
            return True
        if _HIDDEN_STYLE.search((attrib.get("style") or "")[:500]):
            return True
        tokens = (attrib.get("class") or "")[:500].lower().split()
        # Responsive variants ("sr-only sm:not-sr-only", "hidden md:block") show it on some screens.
        if not any(":" in t for t in tokens) and (_HIDDEN_CLASSES.intersection(tokens) or "hidden" in tokens):
            return True
        if any(_names_widget(t) for t in (*tokens, (attrib.get("id") or "")[:200].lower())):
            return True
    return False


def _names_widget(token: str) -> bool:
    if token.startswith(("goog-te", "goog-gt")):      # Google's translation tool
        return True
    if not token or token.startswith(_ARTICLE_TAG_PREFIXES):
        return False
    parts = _TOKEN_PARTS.split(token)
    return len(parts) <= 3 and (parts[0] in _WIDGET_WORDS or parts[-1] in _WIDGET_WORDS)


def _self_and_ancestors(el):
    yield el
    yield from el.iterancestors()
