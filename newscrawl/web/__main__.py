"""``python -m newscrawl.web [--host 127.0.0.1] [--port 8080] [--uri URI] [--database newscrawl]
[--collection articles] [--public]``: serve the read-only web front (docs/web.md).

Served by Werkzeug's threaded server: fine for one reader on this machine, not for the internet
(no TLS, no authentication); a host that is not loopback needs --public."""

from __future__ import annotations

import argparse
import ipaddress
import logging
import os
import sys

from newscrawl import settings

DESCRIPTION = """Serve the articles collection as a reader sees it: the days with articles, "All news
articles on <day>", each article with its story's other reports, and a crawl-health page (/health).
Read-only. Served by Werkzeug's threaded server: fine for local use by one person, not a production
server for the internet (no TLS, no authentication), hence loopback only unless --public."""


def is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def parse_args(argv):
    parser = argparse.ArgumentParser(prog="python -m newscrawl.web", description=DESCRIPTION)
    parser.add_argument("--host", default="127.0.0.1", help="address to listen on (default 127.0.0.1)")
    parser.add_argument("--port", type=int, default=8080, help="port (default 8080)")
    parser.add_argument("--uri", default=os.environ.get("MONGODB_URI") or settings.MONGODB_URI,
                        help="MongoDB URI (default: env MONGODB_URI, else mongodb://127.0.0.1:27017)")
    parser.add_argument("--database", default=settings.MONGODB_DATABASE, help="database (default newscrawl)")
    parser.add_argument("--collection", default=settings.MONGODB_COLLECTION, help="collection (default articles)")
    parser.add_argument("--public", action="store_true",
                        help="allow a --host that is not loopback (anyone who reaches it reads the store)")
    return parser.parse_args(argv)


def main(argv=None) -> int:
    args = parse_args(argv)
    if not is_loopback(args.host) and not args.public:
        print(f"error: --host {args.host} is not a loopback address: the web front has no authentication; "
              f"add --public to serve it there anyway", file=sys.stderr)
        return 2
    if not 0 < args.port < 65536:
        print(f"error: --port {args.port} is not a port number", file=sys.stderr)
        return 2
    from pymongo.errors import PyMongoError
    from werkzeug.serving import make_server

    from newscrawl.storage.client import mask_uri, ping

    from .app import create_app

    try:
        # Loopback: answer only to loopback names (a page elsewhere cannot rebind a name to 127.0.0.1).
        hosts = None if args.public else ["127.0.0.1", "localhost", "::1", args.host]
        app = create_app(args.uri, args.database, args.collection, trusted_hosts=hosts)
    except Exception as exc:  # noqa: BLE001 - a bad URI: one line
        print(f"error: cannot use MongoDB URI {mask_uri(args.uri)}: {exc}", file=sys.stderr)
        return 2
    client = app.extensions["newscrawl"]["client"]
    try:
        ping(client, 3000)
    except PyMongoError as exc:
        print(f"error: MongoDB at {mask_uri(args.uri)} is not reachable ({type(exc).__name__}); start the local "
              f"one with `make db` or pass --uri", file=sys.stderr)
        return 1
    try:
        server = make_server(args.host, args.port, app, threaded=True)
    except OSError as exc:
        print(f"error: cannot listen on {args.host}:{args.port}: {exc.strerror or exc}", file=sys.stderr)
        return 1
    logging.basicConfig(level=logging.INFO, format="%(message)s")
    host = f"[{args.host}]" if ":" in args.host else args.host
    print(f"newscrawl web front on http://{host}:{server.port}/ (read-only, {args.database}.{args.collection} "
          f"at {mask_uri(args.uri)})\nWerkzeug's server: for local use, not for the internet. Ctrl-C stops it.",
          flush=True)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()
        client.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
