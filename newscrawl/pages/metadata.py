"""The page's metadata fields: addresses (``url``, ``fetched_url``), ``summary``, ``authors``,
``image``, ``section``, ``tags``, ``declared_language``, ``is_paywalled`` and ``crawled_at``, read
from the structured data (JSON-LD, meta tags) first and the markup second."""

import re
from datetime import timezone

from newscrawl.article.fields import (MAX_AUTHOR_CHARS, MAX_AUTHORS, MAX_LANGUAGE_CHARS, MAX_SECTION_CHARS,
                                      MAX_SECTIONS, MAX_SUMMARY_CHARS, MAX_TAG_CHARS, MAX_TAGS)
from newscrawl.extract.authors import (byline_names, clean_names, distinct_orgs, split_jsonld_authors,
                                      trafilatura_authors)
from newscrawl.extract.structured import as_text_list, split_keywords
from newscrawl.extract.text import clean_text
from newscrawl.extract.urls import absolute_url, canonicalize_url, same_site, web_url

from .fields import dedupe, field, plain_list, plain_text

_AUTHOR_META = ("author", "article:author", "parsely-author", "dc.creator", "sailthru.author", "byl",
                "twitter:misc:written by")
_LANGUAGE_TAG = re.compile(r"[A-Za-z]{2,3}([-_][A-Za-z0-9]{2,8})*")


class Metadata:
    """Mixin of :class:`~newscrawl.pages.base.ArticlePage`: the metadata fields."""

    @field("url")
    def url(self) -> str:
        """rel=canonical or og:url when it is a page of the same site, else the fetched URL."""
        fetched = canonicalize_url(self.fetched_url)
        for candidate in (self.data.canonical, self.data.first_meta("og:url")):
            if not candidate:
                continue
            try:
                canon = canonicalize_url(candidate, base=self.fetched_url)
            except ValueError:  # malformed: port out of range, broken IPv6 host
                continue
            if not web_url(canon) or not same_site(canon, fetched):
                continue
            # A canonical pointing at the home page or a section front is a misconfiguration.
            if canon.rstrip("/").count("/") <= 2 and fetched.rstrip("/").count("/") > 2:
                continue
            return canon
        return fetched

    @field("fetched_url")
    def fetched(self) -> str:
        return self.fetched_url

    @field("crawled_at")
    def crawled(self) -> str:
        return self.crawled_at.astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")

    @field("summary", finish=plain_text(MAX_SUMMARY_CHARS))
    def summary(self) -> str | None:
        for value in (self.ld.get("description"),
                      self.data.first_meta("og:description", "description", "twitter:description")):
            text = clean_text(value if isinstance(value, str) else None)
            if text:
                return text
        return None

    @field("authors", finish=plain_list(MAX_AUTHORS, MAX_AUTHOR_CHARS))
    def authors(self) -> list[str]:
        """Persons from JSON-LD, else meta tags, else byline markup; the publishing organisation
        only when no person is named anywhere."""
        sites = self.site_names()
        ld_persons, ld_orgs = split_jsonld_authors(self.ld.get("author") or self.ld.get("creator"))
        persons, orgs = clean_names(ld_persons, sites)
        orgs = clean_names(ld_orgs)[0] + orgs
        if persons:
            return persons
        meta = list(self.data.all_meta(*_AUTHOR_META))
        meta += self.data.labelled_meta("written by")
        persons, meta_orgs = clean_names(meta, sites)
        if persons:
            return persons
        persons, byline_orgs = clean_names(byline_names(self.tree), sites)
        if persons:
            return persons
        if not (orgs or meta_orgs or byline_orgs):
            # Nothing named anywhere yet: trafilatura's wider byline rules (a page without metadata).
            persons, byline_orgs = clean_names(trafilatura_authors(self.tree), sites)
            if persons:
                return persons
        return distinct_orgs(orgs + meta_orgs + byline_orgs)

    @field("image", finish=web_url)
    def image(self) -> str | None:
        """The JSON-LD image, else og:image / twitter:image: an absolute http(s) URL (`web_url`), never
        a javascript:, data: or file: one."""
        img = self.ld.get("image")
        if isinstance(img, list):
            img = img[0] if img else None
        if isinstance(img, dict):
            img = img.get("url") or img.get("contentUrl")
        return web_url(absolute_url(img if isinstance(img, str) else None, self.fetched_url)) or web_url(
            absolute_url(self.data.first_meta("og:image", "og:image:url", "twitter:image"), self.fetched_url))

    @field("section", finish=plain_list(MAX_SECTIONS, MAX_SECTION_CHARS))
    def section(self) -> list[str]:
        values = as_text_list(self.ld.get("articleSection")) or self.data.all_meta("article:section")
        return dedupe(clean_text(v) for v in values)

    @field("tags", finish=plain_list(MAX_TAGS, MAX_TAG_CHARS))
    def tags(self) -> list[str]:
        kw = self.ld.get("keywords")
        values = split_keywords(as_text_list(kw)) if kw else []
        if not values:
            values = self.data.all_meta("article:tag") or split_keywords(
                self.data.all_meta("news_keywords", "keywords", "parsely-tags"))
        # A page with thousands of keywords gets its first ones read (repeats aside), not all cleaned.
        return dedupe(clean_text(v) for v in values[:MAX_TAGS * 4])[:MAX_TAGS]

    @field("declared_language")
    def declared_language(self) -> str | None:
        """html lang, JSON-LD inLanguage or og:locale / language meta, as a lower-case BCP 47 tag."""
        for value in (self.data.html_lang, self.ld.get("inLanguage"), self.data.first_meta("og:locale", "language",
                                                                                           "content-language")):
            if isinstance(value, dict):
                value = value.get("alternateName") or value.get("name")
            if (isinstance(value, str) and len(value.strip()) <= MAX_LANGUAGE_CHARS
                    and _LANGUAGE_TAG.fullmatch(value.strip())):
                return value.strip().replace("_", "-").lower()
        return None

    @field("is_paywalled")
    def is_paywalled(self) -> bool:
        """JSON-LD isAccessibleForFree false, on the article or one of its parts."""
        def free(v):
            return not (v is False or (isinstance(v, str) and v.strip().lower() == "false"))
        if not free(self.ld.get("isAccessibleForFree")):
            return True
        parts = self.ld.get("hasPart")
        parts = parts if isinstance(parts, list) else [parts]
        return any(isinstance(p, dict) and not free(p.get("isAccessibleForFree")) for p in parts)
