"""Operations on scrapyd: ``python -m newscrawl.ops {scrapyd,deploy,schedule,runs}`` (docs/operations.md).

    scrapyd   write <home>/scrapyd.conf (absolute dirs) from the repository's scrapyd.conf and run scrapyd
    deploy    build the project egg (scrapyd-deploy --build-egg) and upload it (addversion.json)
    schedule  schedule the due entries of schedules.toml on scrapyd (from cron / a systemd timer)
    runs      recent crawl runs per spider from crawl_runs: status, counts, duration, failure reasons

Credentials come only from the environment (SCRAPYD_USERNAME / SCRAPYD_PASSWORD, MONGODB_URI) and
are never printed.
"""
