"""The page's names: its headline (``title``) and its publisher (``source``, ``source_name``)."""

import re
from functools import cached_property

from newscrawl.article.fields import MAX_SOURCE_NAME_CHARS, MAX_TITLE_CHARS
from newscrawl.extract.structured import as_text_list
from newscrawl.extract.text import clean_text, normalize_for_compare, shown_text
from newscrawl.extract.titles import choose_title, names_site, title_segments
from newscrawl.extract.urls import is_bare_domain, registered_domain
from newscrawl.pages.hints import headline_field as publisher_headline_field

from .fields import field, plain_text

# <title> and <h1> text read for the headline: more than this is not a headline (the title is cut
# to MAX_TITLE_CHARS anyway), and cleaning megabytes of it would cost seconds.
MAX_HEADLINE_INPUT = 4 * MAX_TITLE_CHARS
# Source names: a URL is none (a bare domain is one only when the page gives no other).
_URL_LIKE = re.compile(r"^(?:https?:)?//|^www\.", re.I)


class Naming:
    """Mixin of :class:`~newscrawl.pages.base.ArticlePage`: headline and publisher."""

    # "og:title" when the publisher's headline is its og:title (a layout's fact; for sites without
    # layouts, the table in newscrawl/publishers/__init__.py by registered domain).
    headline_field: str | None = None

    @field("title", finish=plain_text(MAX_TITLE_CHARS))
    def title(self) -> str | None:
        doc_title = self.tree.find(".//title")
        return choose_title(
            headline=clean_text(" ".join(as_text_list(self.ld.get("headline"))[:1])),
            og_title=clean_text(self.data.first_meta("og:title", "twitter:title")),
            h1=self.h1() or "",
            doc_title=clean_text(shown_text(doc_title)[:MAX_HEADLINE_INPUT]),
            site_names=self.site_names(),
            prefer_og_title=self.headline_from() == "og:title",
        ) or None

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
        for el in self.tree.iter("h1"):
            text = clean_text(shown_text(el)[:MAX_HEADLINE_INPUT])
            if text:
                return text
        return None

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
        return [n for n in names if n]
