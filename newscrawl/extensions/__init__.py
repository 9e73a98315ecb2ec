"""Process-level extensions, one per module: memory (MemoryTrim), loglevel (RootLogLevel), gcfreeze
(GcFreeze). The crawl-run recorder and the health verdicts are in newscrawl/runs/."""
