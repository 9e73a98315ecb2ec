"""Command line of newscrawl.ops (see newscrawl/ops/__init__.py and docs/operations.md)."""

from __future__ import annotations

import argparse
import sys

from newscrawl.datadir import data_path

from . import __doc__ as DOC


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m newscrawl.ops", description=DOC.split("\n\n")[0],
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = parser.add_subparsers(dest="command", required=True)

    p = sub.add_parser("scrapyd", help="write <home>/scrapyd.conf and run scrapyd in the foreground")
    p.add_argument("--home", help="scrapyd's folder (default: <data dir>/scrapyd, newscrawl/datadir.py)")
    p.add_argument("--port", type=int, help="http_port (default: scrapyd.conf's)")
    p.add_argument("--bind", help="bind_address (default: scrapyd.conf's, 127.0.0.1)")
    p.add_argument("--poll-interval", type=float, help="seconds between queue polls (default: scrapyd.conf's)")
    p.add_argument("--max-proc", type=int, help="concurrent jobs (default: scrapyd.conf's)")
    p.add_argument("--no-auth", action="store_true", help="allow starting without SCRAPYD_USERNAME/PASSWORD")

    p = sub.add_parser("deploy", help="build the egg and upload it to scrapyd")
    p.add_argument("--target", default="default", help="scrapy.cfg [deploy:<target>] (default: [deploy])")
    p.add_argument("--url", help="scrapyd URL (default: $SCRAPYD_URL, else the target's url)")
    p.add_argument("--project", help="project (default: the target's, newscrawl)")
    p.add_argument("--version", help="version (default: UNIX time)")
    p.add_argument("--egg-only", metavar="FILE", help="only build the egg into FILE")

    p = sub.add_parser("schedule", help="schedule the due entries of the schedule file")
    p.add_argument("--file", default="schedules.toml", help="schedule file (default: %(default)s)")
    p.add_argument("--state", help="state file (default: <data dir>/scheduler-state.json)")
    p.add_argument("--target", default="default", help="scrapy.cfg deploy target for url/project")
    p.add_argument("--url", help="scrapyd URL (default: $SCRAPYD_URL, else the target's url)")
    p.add_argument("--project", help="project (default: the target's, newscrawl)")
    p.add_argument("--dry-run", action="store_true", help="say what would be scheduled, schedule nothing")
    p.add_argument("--force", action="store_true", help="treat every entry as due (running ones are still skipped)")
    p.add_argument("--slack", type=float, default=60, help="seconds of tolerance on `every` (default: %(default)s)")
    p.add_argument("--timeout", type=float, default=30, help="HTTP timeout in seconds (default: %(default)s)")

    p = sub.add_parser("runs", help="recent crawl runs per spider (crawl_runs)")
    p.add_argument("--spider", help="only this spider")
    p.add_argument("--limit", type=int, default=5, help="runs per spider (default: %(default)s)")
    p.add_argument("--failed", action="store_true", help="only failed runs")
    p.add_argument("--uri", help="MongoDB URI (default: $MONGODB_URI or settings)")
    p.add_argument("--database", help="database (default: MONGODB_DATABASE of settings.py)")
    p.add_argument("--timeout-ms", type=int, help="server selection timeout (default: MONGODB_SERVER_TIMEOUT_MS)")

    args = parser.parse_args(argv)
    # Runtime files go to the data directory, wherever the command was started.
    if getattr(args, "home", "") is None:
        args.home = str(data_path(None, "scrapyd"))
    if getattr(args, "state", "") is None:
        args.state = str(data_path(None, "scheduler-state.json"))
    if args.command == "scrapyd":
        from .server import main as run
    elif args.command == "deploy":
        from .deploy import main as run
    elif args.command == "schedule":
        from .schedule import main as run
    else:
        from newscrawl.runs.cli import main as run
    return run(args)


if __name__ == "__main__":
    sys.exit(main())
