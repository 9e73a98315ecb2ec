"""A read-only web front over the articles collection: the days with articles, "All news articles on
<day>" per language and source, each article with its story's other reports, and a crawl-health
page with charts. `python -m newscrawl.web` (docs/web.md); `create_app` builds the Flask app.

Flask and matplotlib come with the `web` extra (requirements.txt pins them)."""

from .app import create_app

__all__ = ["create_app"]
