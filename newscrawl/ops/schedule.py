"""`python -m newscrawl.ops schedule [--file schedules.toml] [--url URL] [--dry-run] [--force]`.

Run from cron or a systemd timer every few minutes. For each entry of the schedule file it decides:

  scheduled        due, and no job of its spider pending or running: schedule.json was called
  would schedule   the same with --dry-run: schedule.json was not called, the state file not written
  skipped-running  a job of the same spider is pending or running on scrapyd: nothing started
  not-due          scheduled less than `every` ago (state file)
  error            scrapyd refused the schedule.json call (the message is printed)

and prints one line per entry plus a summary ("... scheduled 3, not-due 29"; with --dry-run
"... would schedule 3, not-due 29", never "scheduled"). Due: the entry's last scheduling (recorded in the
state file, default <data dir>/scheduler-state.json (newscrawl/datadir.py), written atomically under a lock so overlapping
runs do not both schedule) is at least `every` minus --slack ago, or never. Exit codes: 0 ok,
1 some entry got an error, 2 scrapyd unreachable / 401 / bad schedule file (nothing scheduled).
An entry's `args` and `settings` are checked as `scrapy crawl` checks them (`check_entries`: the
names a spider of this project takes, settings of the right type and known names), so a typo
fails here, not in every job scrapyd starts.

Schedule file (TOML), one `[[job]]` table per entry:

    [[job]]
    spider = "lemonde"                 # required: a spider of the deployed project
    every = "30m"                      # required: <n>s, <n>m, <n>h or <n>d
    name = "lemonde"                   # optional: the entry's key in the state file (default: spider)
    args = { max_articles = 200 }      # optional: spider arguments (-a)
    settings = { DOWNLOAD_DELAY = 2 }  # optional: Scrapy settings (-s)
    priority = 0                       # optional: scrapyd queue priority
    enabled = true                     # optional
"""

from __future__ import annotations

import fcntl
import json
import os
import re
import sys
import tomllib
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from pathlib import Path

from .client import Scrapyd, ScrapydError, ScrapydUnavailable, deploy_target

_EVERY = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*([smhd])\s*$")
_UNITS = {"s": 1, "m": 60, "h": 3600, "d": 86400}


class ScheduleFileError(ValueError):
    pass


@dataclass
class Entry:
    name: str
    spider: str
    every: timedelta
    args: dict = field(default_factory=dict)
    settings: dict = field(default_factory=dict)
    priority: float | None = None
    enabled: bool = True


def parse_every(value) -> timedelta:
    match = _EVERY.match(str(value))
    if not match or float(match[1]) <= 0:
        raise ScheduleFileError(f"every must look like 30s, 15m, 2h or 1d, got {value!r}")
    return timedelta(seconds=float(match[1]) * _UNITS[match[2]])


def _text(value) -> str:
    return ("true" if value else "false") if isinstance(value, bool) else str(value)


def load_schedule(path: Path) -> list[Entry]:
    try:
        data = tomllib.loads(Path(path).read_text(encoding="utf-8"))
    except (OSError, tomllib.TOMLDecodeError) as exc:
        raise ScheduleFileError(f"{path}: {exc}") from None
    unknown = set(data) - {"job"}
    if unknown:
        raise ScheduleFileError(f"{path}: unknown top-level keys {sorted(unknown)} (entries are [[job]] tables)")
    entries, names = [], set()
    for n, raw in enumerate(data.get("job", []), 1):
        where = f"{path}: job #{n}"
        extra = set(raw) - {"spider", "every", "name", "args", "settings", "priority", "enabled"}
        if extra:
            raise ScheduleFileError(f"{where}: unknown keys {sorted(extra)}")
        if not raw.get("spider") or "every" not in raw:
            raise ScheduleFileError(f"{where}: spider and every are required")
        for key in ("args", "settings"):
            if not isinstance(raw.get(key, {}), dict):
                raise ScheduleFileError(f"{where}: {key} must be a table")
        try:
            every = parse_every(raw["every"])
        except ScheduleFileError as exc:
            raise ScheduleFileError(f"{where}: {exc}") from None
        entry = Entry(name=str(raw.get("name") or raw["spider"]), spider=str(raw["spider"]), every=every,
                      args={k: _text(v) for k, v in raw.get("args", {}).items()},
                      settings={k: _text(v) for k, v in raw.get("settings", {}).items()},
                      priority=raw.get("priority"), enabled=bool(raw.get("enabled", True)))
        if entry.name in names:
            raise ScheduleFileError(f"{where}: duplicate entry name {entry.name!r} (set name = ...)")
        names.add(entry.name)
        entries.append(entry)
    return entries


def _fmt(delta: timedelta) -> str:
    s = max(int(delta.total_seconds()), 0)
    return f"{s // 3600}h{s % 3600 // 60:02d}m" if s >= 3600 else (f"{s // 60}m{s % 60:02d}s" if s >= 60 else f"{s}s")


class StateFile:
    """{entry name: {"last_scheduled": ISO time, "jobid": ...}} in a JSON file, held under an
    exclusive lock (a sibling .lock file) for the whole scheduling round."""

    def __init__(self, path: Path):
        self.path = Path(path)
        self.data: dict = {}
        self._lock = None

    def __enter__(self) -> "StateFile":
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self._lock = open(self.path.with_name(self.path.name + ".lock"), "w")
        fcntl.flock(self._lock, fcntl.LOCK_EX)
        try:
            self.data = json.loads(self.path.read_text(encoding="utf-8"))
        except FileNotFoundError:
            self.data = {}
        except ValueError:
            print(f"warning: {self.path} is not valid JSON; starting from an empty state", file=sys.stderr)
            self.data = {}
        return self

    def last(self, name: str) -> datetime | None:
        value = (self.data.get(name) or {}).get("last_scheduled")
        try:
            return datetime.fromisoformat(value) if value else None
        except ValueError:
            return None

    def mark(self, name: str, when: datetime, jobid: str) -> None:
        self.data[name] = {"last_scheduled": when.isoformat(timespec="seconds"), "jobid": jobid}
        tmp = self.path.with_name(self.path.name + f".{os.getpid()}.tmp")
        tmp.write_text(json.dumps(self.data, indent=1, sort_keys=True), encoding="utf-8")
        os.replace(tmp, self.path)

    def __exit__(self, *exc) -> None:
        fcntl.flock(self._lock, fcntl.LOCK_UN)
        self._lock.close()


def run_schedule(entries: list[Entry], scrapyd: Scrapyd, project: str, state: StateFile, *, now: datetime,
                 dry_run: bool = False, force: bool = False, slack: timedelta = timedelta(seconds=60),
                 out=sys.stdout) -> dict:
    """One scheduling round; returns the counts per outcome. Raises ScrapydUnavailable before
    scheduling anything when scrapyd cannot be asked which jobs run."""
    jobs = scrapyd.listjobs(project)
    busy = {}   # spider -> (state, job id)
    for kind in ("running", "pending"):
        for job in jobs.get(kind, []):
            busy.setdefault(job["spider"], (kind, job["id"]))
    # A dry run counts what it would do under its own name: its summary must not read "scheduled".
    done = "would schedule" if dry_run else "scheduled"
    counts = {done: 0, "skipped-running": 0, "not-due": 0, "disabled": 0, "error": 0}
    width = max([len(e.name) for e in entries] + [1])

    def say(outcome: str, entry: Entry, detail: str) -> None:
        print(f"{outcome:<16} {entry.name:<{width}}  {detail}".rstrip(), file=out, flush=True)

    for entry in entries:
        if not entry.enabled:
            counts["disabled"] += 1
            say("disabled", entry, "")
            continue
        last = state.last(entry.name)
        if not force and last is not None and now - last < entry.every - slack:
            counts["not-due"] += 1
            say("not-due", entry, f"last {last.isoformat(timespec='seconds')}, next in {_fmt(last + entry.every - now)}")
            continue
        if entry.spider in busy:
            kind, job = busy[entry.spider]
            counts["skipped-running"] += 1
            say("skipped-running", entry, f"{entry.spider}: entry {job} above would schedule it" if kind == done
                else f"{entry.spider} job {job} is {kind}")
            continue
        if dry_run:   # as the real round would: a later entry of the same spider is then skipped
            busy[entry.spider] = (done, entry.name)
            counts[done] += 1
            say(done, entry, _describe(entry))
            continue
        try:
            jobid = scrapyd.schedule(project, entry.spider, args=entry.args, settings=entry.settings,
                                     priority=entry.priority)
        except ScrapydUnavailable:
            raise
        except ScrapydError as exc:
            counts["error"] += 1
            say("error", entry, str(exc))
            continue
        busy[entry.spider] = ("pending", jobid)
        state.mark(entry.name, now, jobid)
        counts["scheduled"] += 1
        say("scheduled", entry, f"job {jobid} {_describe(entry)}")
    return counts


def _describe(entry: Entry) -> str:
    parts = [f"{k}={v}" for k, v in entry.args.items()] + [f"-s {k}={v}" for k, v in entry.settings.items()]
    return " ".join(parts)


def check_entries(entries: list[Entry]) -> None:
    """ScheduleFileError for an entry whose args a spider of this project does not take, or whose
    settings `scrapy crawl` would refuse (newscrawl/commands/crawl.py check_settings). Spiders
    unknown here (another project's egg) are left to scrapyd."""
    from scrapy.settings import Settings
    from scrapy.spiderloader import SpiderLoader
    from scrapy.utils.project import get_project_settings

    from newscrawl.commands.crawl import check_settings
    from newscrawl.errors import SettingError
    from newscrawl.spiders.base import known_arguments

    loader = SpiderLoader.from_settings(get_project_settings())
    local = set(loader.list())
    for entry in entries:
        if entry.spider in local:
            known = known_arguments(loader.load(entry.spider))
            unknown = sorted(k for k in entry.args if not k.startswith("_") and k not in known)
            if unknown:
                raise ScheduleFileError(f"job {entry.name!r}: args {unknown[0]!r} is not an argument of spider "
                                        f"{entry.spider!r}; it takes {', '.join(known)}")
        settings = Settings()
        settings.setdict(entry.settings, priority="cmdline")
        try:
            check_settings(settings)
        except SettingError as exc:
            raise ScheduleFileError(f"job {entry.name!r}: settings: {str(exc).removeprefix('-s ')}") from None


def main(args) -> int:
    try:
        entries = load_schedule(Path(args.file))
        check_entries(entries)
        target = deploy_target(args.target)
    except (ScheduleFileError, ScrapydError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    url = args.url or os.environ.get("SCRAPYD_URL") or target["url"]
    project = args.project or target["project"]
    scrapyd = Scrapyd(url, timeout=args.timeout)
    now = datetime.now(timezone.utc)
    try:
        with StateFile(Path(args.state)) as state:
            counts = run_schedule(entries, scrapyd, project, state, now=now, dry_run=args.dry_run, force=args.force,
                                  slack=timedelta(seconds=args.slack))
    except ScrapydError as exc:   # unreachable, 401, or listjobs refused (project not deployed)
        print(f"error: scrapyd: {exc}", file=sys.stderr)
        return 2
    print(f"{now.isoformat(timespec='seconds')} {project}@{url}: "
          + ", ".join(f"{k} {v}" for k, v in counts.items() if v or k in ("scheduled", "would schedule", "error")),
          flush=True)
    return 1 if counts["error"] else 0
