"""What is not an article: the checks a page passes before its fields are read (the input is an
HTML document, not a link index) and after its title and body are read (both present, the body
long enough). Each refusal is a :class:`NotAnArticle` whose reason becomes a stats key."""

from newscrawl.extract.text import tokens

HTML_TYPES = ("text/html", "application/xhtml+xml", "application/xml", "text/xml", "text/plain")
# og:type values of pages that are not articles unless they also declare one in JSON-LD.
_NOT_ARTICLE_TYPES = ("website", "profile", "video.other", "video.movie", "music.song", "book")


class NotAnArticle(Exception):
    """The page is not an article worth storing; ``reason`` becomes a stats key."""

    def __init__(self, reason: str, detail: str = ""):
        super().__init__(f"{reason}: {detail}" if detail else reason)
        self.reason = reason
        self.detail = detail


class Validation:
    """Mixin of :class:`~newscrawl.pages.base.ArticlePage`: the article checks."""

    def validate_input(self) -> None:
        """Raise NotAnArticle for pages that are not articles before extracting fields."""
        if not self.raw or not self.raw.strip():
            raise NotAnArticle("empty")
        ctype = (self.content_type or "").split(";")[0].strip().lower()
        if ctype and not ctype.startswith(HTML_TYPES):
            raise NotAnArticle("not_html")   # the type is the server's words: not logged
        head = self.raw[:2048].lstrip().lower()
        if ctype in ("", "text/plain") and b"<" not in head:
            raise NotAnArticle("not_html")
        self.tree  # noqa: B018 (raises NotAnArticle("unparsable"))
        og_type = (self.data.first_meta("og:type") or "").lower()
        if og_type in _NOT_ARTICLE_TYPES and not self.data.article:
            if self.link_density() > 0.5:
                raise NotAnArticle("index_page", f"og:type={og_type}")

    def validate_content(self, title: str | None, body: str, min_body_words: int) -> None:
        """Raise NotAnArticle for a page without a title or with no or too short a body (`tokens`:
        words, CJK characters): a short body on a paywalled page is its teaser."""
        if not title:
            raise NotAnArticle("no_title")
        n = len(tokens(body))
        if n == 0:
            raise NotAnArticle("no_body")
        if n < min_body_words:
            raise NotAnArticle("paywall_teaser" if self.is_paywalled() else "too_short", f"{n} words")

    def link_density(self) -> float:
        """Share of the <body>'s words that are link text (index pages are mostly links)."""
        body = self.tree.find("body")
        if body is None:
            return 0.0
        total = len(" ".join(body.itertext()).split()) or 1
        linked = sum(len(" ".join(a.itertext()).split()) for a in body.iter("a"))
        return linked / total
