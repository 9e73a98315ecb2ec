"""`scrapy crawl` with an exit code that says whether the crawl worked.

Scrapy's own command exits 1 only when the crawler fails to start; a crawl in which every request
failed, or whose pages all lost their body after a redesign, exits 0. This subclass runs the crawl
unchanged and then exits with newscrawl.health.HEALTH_EXIT_CODE (3) when the CrawlHealthMonitor
recorded a failed health check in this process (scrapyd logs the job as "Process died:
exitstatus=3"; cron and systemd see the failure), and with
newscrawl.distributed.REDIS_UNAVAILABLE_EXIT_CODE (4) when a distributed worker closed because Redis
stayed unreachable (reason `redis_unavailable`)."""

from scrapy.commands.crawl import Command as ScrapyCrawlCommand

from newscrawl.health import HEALTH_EXIT_CODE, failed_crawls


class Command(ScrapyCrawlCommand):
    def run(self, args, opts):
        super().run(args, opts)
        if not self.exitcode and failed_crawls():
            self.exitcode = HEALTH_EXIT_CODE
        if not self.exitcode and self.settings.get("SCHEDULER", "").startswith("newscrawl.distributed."):
            from newscrawl.distributed import REDIS_UNAVAILABLE_EXIT_CODE, UNAVAILABLE

            if UNAVAILABLE:
                self.exitcode = REDIS_UNAVAILABLE_EXIT_CODE
