"""Project commands (COMMANDS_MODULE): `crawl` replaces Scrapy's to fail on unhealthy crawls."""
