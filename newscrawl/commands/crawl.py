"""`scrapy crawl` with an exit code that says what happened.

Scrapy's own command exits 1 only when the crawler fails to start; a crawl in which every request
failed, or whose articles were all spooled because MongoDB was down, exits 0. This subclass runs the
crawl unchanged and then exits with

* 2 when the crawl could not start because of an operator error (newscrawl.errors.UsageError: an
  unknown `-a` name, a bad argument value or setting): the message alone on stderr, one line,
  without a traceback. A `-s NAME=value` whose value is not of the type of the setting's default
  (ours in newscrawl/settings.py and newscrawl/distributed/defaults.py, Scrapy's in its default
  settings), or whose NEWSCRAWL_ / MONGODB_ name is not one of ours (a typo would be ignored), is
  refused before the crawl starts (`check_settings`);
* 4 (newscrawl.distributed.scheduler.REDIS_UNAVAILABLE_EXIT_CODE) when a distributed worker closed
  because Redis stayed unreachable (reason `redis_unavailable`);
* the code of the crawl's outcome (newscrawl.runs.health.CrawlOutcome): 0 ok, 5 degraded, 3 failed
  (also 3 when only the CrawlHealthMonitor ran and found the run failed).

scrapyd runs this command (`scrapyd.runner crawl ...`) and logs a non-zero code as "Process died:
exitstatus=N"; cron and systemd see it as the process's status."""

import asyncio
import difflib
import re
import sys

from scrapy.commands.crawl import Command as ScrapyCrawlCommand
from scrapy.settings import SETTINGS_PRIORITIES, default_settings

from newscrawl.errors import SettingError, UsageError
from newscrawl.runs.health import HEALTH_EXIT_CODE, OUTCOME_EXIT_CODES, crawl_outcomes, failed_crawls

USAGE_EXIT_CODE = 2
OUR_SETTING = re.compile(r"(NEWSCRAWL|MONGODB)_[A-Z0-9_]+$")


def check_settings(settings) -> None:
    """Raise SettingError for a setting given on the command line (`-s`, also how scrapyd passes
    them) whose value does not read as the type of its default: `-s MONGODB_BUFFER_SIZE=abc` would
    otherwise end in a traceback from the component that reads it, or in a crawl that runs wrong."""
    from newscrawl import settings as project
    from newscrawl.distributed import defaults as distributed

    def number(name):   # an integer default takes any number (some are read with getfloat, and
        try:                # Scrapy's DOWNLOAD_TIMEOUT = 180 is commonly given as 7.5) or a boolean
            settings.getfloat(name)   # word (Scrapy's TELNETCONSOLE_ENABLED = 1)
        except ValueError:
            settings.getbool(name)

    readers = ((bool, settings.getbool, "true or false"), ((int, float), number, "a number"),
               (dict, settings.getdict, "a JSON object"))
    ours = [n for module in (project, distributed) for n in dir(module) if OUR_SETTING.match(n)]
    for name in list(settings.attributes):
        if settings.getpriority(name) != SETTINGS_PRIORITIES["cmdline"]:
            continue
        if OUR_SETTING.match(name) and name not in ours:
            close = difflib.get_close_matches(name, ours, n=1)
            raise SettingError(f"-s {name}: not a newscrawl setting"
                               + (f"; did you mean {close[0]}?" if close else " (docs/operations.md, Settings)"))
        if name == "NEWSCRAWL_DISTRIBUTED" and str(settings[name]).strip().lower() not in ("", "redis"):
            raise SettingError(f"-s {name}={settings[name]!r} must be redis or empty")
        default = getattr(project, name, getattr(distributed, name, getattr(default_settings, name, None)))
        for kind, read, what in readers:
            if isinstance(default, kind):
                try:
                    read(name)
                except (ValueError, TypeError):
                    raise SettingError(f"-s {name}={settings[name]!r} must be {what}") from None
                break


class Command(ScrapyCrawlCommand):
    def run(self, args, opts):
        if len(args) != 1:
            return super().run(args, opts)   # Scrapy's usage message
        try:
            check_settings(self.settings)
        except SettingError as exc:
            print(f"scrapy crawl {args[0]}: error: {exc}", file=sys.stderr, flush=True)
            self.exitcode = USAGE_EXIT_CODE
            return
        self.usage_errors: list[UsageError] = []
        started = self.crawler_process.crawl(self._create_crawler(args[0]), **opts.spargs)
        self._watch(started)
        self.crawler_process.start()
        if self.usage_errors:
            print(f"scrapy crawl {args[0]}: error: {self.usage_errors[0]}", file=sys.stderr, flush=True)
            self.exitcode = USAGE_EXIT_CODE
            return
        if self.crawler_process.bootstrap_failed:
            self.exitcode = 1
            return
        # Loaded only when the Distributed add-on installed its scheduler (the crawler's settings,
        # not this command's, carry SCHEDULER).
        distributed = sys.modules.get("newscrawl.distributed.scheduler")
        if distributed is not None and distributed.UNAVAILABLE:
            self.exitcode = distributed.REDIS_UNAVAILABLE_EXIT_CODE
            return
        codes = [OUTCOME_EXIT_CODES[status] for _, status, _ in crawl_outcomes()]
        if failed_crawls():
            codes.append(HEALTH_EXIT_CODE)
        # failed (3) before degraded (5): the worst outcome of the process decides.
        self.exitcode = (OUTCOME_EXIT_CODES["failed"] if OUTCOME_EXIT_CODES["failed"] in codes
                         else max(codes, default=0))

    def _watch(self, started) -> None:
        """Takes a UsageError out of the crawl's start (a Task, or a Deferred with the non-asyncio
        process), so neither asyncio nor Twisted prints it with a traceback; anything else is left
        to them."""
        if isinstance(started, asyncio.Future):
            def done(task):
                if task.cancelled():
                    return
                error = task.exception()   # now retrieved: asyncio would not report another one
                if isinstance(error, UsageError):
                    self.usage_errors.append(error)
                elif error is not None:    # reported as asyncio would have, with its traceback
                    asyncio.get_event_loop().call_exception_handler(
                        {"message": "Task exception was never retrieved", "exception": error, "future": task})
            started.add_done_callback(done)
        elif hasattr(started, "addErrback"):
            def errback(failure):
                failure.trap(UsageError)
                self.usage_errors.append(failure.value)
            started.addErrback(errback)


__all__ = ["Command", "USAGE_EXIT_CODE"]
