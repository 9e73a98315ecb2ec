"""Crawl runs: their records in `crawl_runs` (store), the extension writing them (recorder), the
health verdict and outcome of a crawl (health), and the runs listing (cli)."""
