"""Operator errors: a bad `-a` argument or setting. `scrapy crawl` (newscrawl/commands/crawl.py)
prints the message as one line, without a traceback, and exits 2. Both are ValueErrors, so code that
builds a spider or a component directly still sees what it always did."""


class UsageError(ValueError):
    """The crawl cannot start as asked; the message names what to change."""


class ArgumentError(UsageError):
    """A spider argument (`-a name=value`) that is unknown or has a bad value."""


class SettingError(UsageError):
    """A setting (`-s NAME=value`, settings.py) with a bad value."""
