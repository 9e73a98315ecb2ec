"""The Flask app: pages over `queries.StoreReader`, charts from `charts`, strict headers.

Security stance: read-only (no form, no write), Jinja2 autoescaping on every template and no stored
string ever marked safe, links only to http(s) URLs (`queries.safe_link`), no inline script or style
(one static script converts times to the reader's zone), a Content-Security-Policy that allows only
this origin's static files and images, no external resource at all. Errors are pages with one line
(400 malformed input, 404 unknown day or id, 503 MongoDB unreachable), never a traceback."""

from __future__ import annotations

import logging
import re
import threading
import time
from datetime import datetime, timezone

from flask import Flask, Response, abort, jsonify, redirect, render_template, request, url_for
from pymongo.errors import PyMongoError
from werkzeug.exceptions import HTTPException

from newscrawl.storage.client import connect, mask_uri

from . import charts
from .queries import (BadRequest, StoreReader, group_day, language_name, neighbours, paragraphs, parse_day, parse_id,
                      parse_zone, safe_link)

logger = logging.getLogger(__name__)

UTC = timezone.utc
CACHE_SECONDS = 30      # the days list and the health reads are this old at most
CSP = ("default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; base-uri 'none'; "
       "form-action 'none'; frame-ancestors 'none'")
# An SVG chart opened on its own is a document: matplotlib styles with attributes, never scripts.
SVG_CSP = "default-src 'none'; style-src 'unsafe-inline'; frame-ancestors 'self'"
_LOCAL_TIME = re.compile(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d")   # published_at_source.local_time


def _when(value, zone=None) -> dict | None:
    """A stored instant for a template: ISO UTC (`datetime` of <time>), the fallback text (UTC, or
    `zone`), and the UTC date (shown for a bare publication date)."""
    if not isinstance(value, datetime):
        return None
    value = value.astimezone(UTC) if value.tzinfo else value.replace(tzinfo=UTC)
    shown = value.astimezone(zone) if zone else value
    return {"iso": value.strftime("%Y-%m-%dT%H:%M:%SZ"), "text": shown.strftime("%Y-%m-%d %H:%M ") + (
        shown.tzname() or "UTC"), "date": value.strftime("%Y-%m-%d")}


def _local_time(doc: dict) -> str | None:
    """The clock time ("16:19") of a publication time printed without a zone anybody knows
    (precision "local"), shown beside its date; None otherwise."""
    source = doc.get("published_at_source")
    if not isinstance(source, dict) or source.get("precision") != "local":
        return None
    value = source.get("local_time")
    return value[11:16] if isinstance(value, str) and _LOCAL_TIME.fullmatch(value) else None


def _has_time(doc: dict) -> bool:
    source = doc.get("published_at_source")
    return not (isinstance(source, dict) and source.get("has_time") is False)


class Cached:
    """`compute()`'s value, kept for CACHE_SECONDS. On FerretDB every query scans the collection: the
    days list (the index page, each day page's neighbours, the health window) and the health reads
    (a health page load asks three times at once: the lock makes it one computation) are read once
    per period, not per request."""

    def __init__(self, compute):
        self.compute = compute
        self.lock = threading.Lock()
        self.value = None
        self.at = 0.0

    def get(self):
        with self.lock:
            if self.value is None or time.monotonic() - self.at > CACHE_SECONDS:
                self.value = self.compute()
                self.at = time.monotonic()
            return self.value


def create_app(uri: str, database: str = "newscrawl", collection: str = "articles", *,
               server_timeout_ms: int = 5000, trusted_hosts: list[str] | None = None) -> Flask:
    """The WSGI app over `database.collection` at `uri`. `trusted_hosts`: the Host header names
    answered (others get 400), so a web page elsewhere cannot reach a loopback server through a
    name it points at 127.0.0.1 (DNS rebinding); None answers any."""
    app = Flask(__name__)
    app.config.update(TEMPLATES_AUTO_RELOAD=False, MAX_CONTENT_LENGTH=1024)
    allowed = {h.lower().strip("[]") for h in trusted_hosts} if trusted_hosts is not None else None
    app.json.sort_keys = False
    client = connect(uri, server_timeout_ms=server_timeout_ms)
    reader = StoreReader(client, database, collection)
    days_cache = Cached(reader.days)
    health_cache = Cached(lambda: reader.health(days_cache.get()))
    app.extensions["newscrawl"] = {"client": client, "reader": reader, "uri": mask_uri(uri),
                                   "database": database, "collection": collection}
    app.jinja_env.globals.update(safe_link=safe_link, language_name=language_name, has_time=_has_time,
                                 local_time=_local_time, store=f"{database}.{collection}")
    app.jinja_env.filters["when"] = _when

    @app.before_request
    def check_host():
        # Own check, not Flask's TRUSTED_HOSTS: Werkzeug 3.1 cannot match an IPv6 literal ([::1]).
        if allowed is None:
            return None
        host = request.host.lower()
        name = host[1:host.find("]")] if host.startswith("[") else host.rpartition(":")[0] if ":" in host else host
        if name not in allowed:
            abort(400, description="This server answers only to its own loopback names.")
        return None

    @app.after_request
    def headers(response: Response) -> Response:
        if response.mimetype == "image/svg+xml":
            response.headers["Content-Security-Policy"] = SVG_CSP
        else:
            response.headers["Content-Security-Policy"] = CSP
        response.headers["X-Content-Type-Options"] = "nosniff"
        response.headers["Referrer-Policy"] = "no-referrer"
        response.headers["X-Frame-Options"] = "DENY"
        response.headers["Cross-Origin-Opener-Policy"] = "same-origin"
        return response

    @app.get("/")
    def index():
        days = days_cache.get()
        today = datetime.now(UTC).date().isoformat()
        return render_template("index.html", days=days, today=today, has_today=any(d == today for d, _ in days))

    @app.get("/today")
    def today():
        return redirect(url_for("day", day=datetime.now(UTC).date().isoformat()))

    @app.get("/day/<day>")
    def day(day: str):
        when = parse_day(day)
        tz_name = request.args.get("tz") or None
        zone = parse_zone(tz_name)
        docs, more = reader.day(when, zone)
        if not docs:
            abort(404, description=f"No articles published on {when.isoformat()}"
                                   f" ({tz_name if zone else 'UTC'}).")
        older, newer = neighbours(days_cache.get(), when)
        return render_template("day.html", day=when.isoformat(), groups=group_day(docs), total=len(docs), more=more,
                               tz=tz_name if zone else None, zone=zone, older=older, newer=newer)

    @app.get("/article/<article_id>")
    def article(article_id: str):
        oid = parse_id(article_id)
        zone = parse_zone(request.args.get("tz") or None)
        doc = reader.article(oid)
        if doc is None:
            abort(404, description="No article with this id.")
        body = paragraphs(doc.get("body"))
        summary = doc.get("summary")
        if body and isinstance(summary, str) and " ".join(body[0].split()) == " ".join(summary.split()):
            body = body[1:]   # the page's lede is often the body's first paragraph: shown once
        return render_template("article.html", a=doc, body=body, story=reader.story(doc),
                               zone=zone, tz=request.args.get("tz") if zone else None,
                               aliases=[u for u in doc.get("aliases") or [] if isinstance(u, str)][:50])

    @app.get("/health")
    def health():
        return render_template("health.html", h=health_cache.get(), charts=charts.CHARTS,
                               now=datetime.now(UTC))

    @app.get("/health.json")
    def health_json():
        return jsonify(health_cache.get().as_json())

    @app.get("/health/<name>.svg")
    def chart(name: str):
        draw = charts.CHARTS.get(name)
        if draw is None:
            abort(404, description="No such chart.")
        data = health_cache.get()
        if data.empty:
            abort(404, description="No data for charts yet.")
        return Response(draw(data), mimetype="image/svg+xml", headers={"Cache-Control": "no-store"})

    @app.get("/favicon.ico")
    def favicon():
        return app.send_static_file("favicon.svg")

    @app.errorhandler(BadRequest)
    def bad_request(exc: BadRequest):
        return _error(400, "Bad request", str(exc))

    @app.errorhandler(HTTPException)
    def http_error(exc: HTTPException):
        description = exc.description if exc.code in (400, 404) and isinstance(exc.description, str) \
            and not exc.description.startswith("The requested URL") else None
        return _error(exc.code or 500, exc.name, description or {
            404: "Nothing here: see the list of days.", 405: "This site only reads.",
        }.get(exc.code, "The request could not be served."))

    @app.errorhandler(PyMongoError)
    def mongo_error(exc: PyMongoError):
        logger.error("MongoDB at %s failed: %s: %s", mask_uri(uri), type(exc).__name__, str(exc)[:300])
        return _error(503, "MongoDB unavailable", f"MongoDB at {mask_uri(uri)} did not answer ({type(exc).__name__}).")

    @app.errorhandler(Exception)
    def internal_error(exc: Exception):
        logger.exception("error serving %s", request.path)
        return _error(500, "Internal error", "The page could not be built; the server log says why.")

    return app


def _error(code: int, title: str, message: str):
    try:
        return render_template("error.html", code=code, title=title, message=message), code
    except Exception:  # noqa: BLE001 - the error page itself failed: plain text, still no traceback
        logger.exception("error page %d failed", code)
        return Response(f"{code} {title}\n", status=code, mimetype="text/plain")

