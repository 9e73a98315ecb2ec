"""Distributed crawling on Redis (docs/distributed.md), laid out as scrapy-redis is: with
`NEWSCRAWL_DISTRIBUTED=redis` the add-on newscrawl.addons.Distributed installs

* scheduler.ReliableScheduler: scrapy-redis's scheduler with acknowledged pops, heartbeats, reclaim
  of dead workers' requests, and Redis outages ridden out without losing a request;
* queue.ReliablePriorityQueue: the shared queue `<spider>:requests`, with in-flight sets per worker;
* dupefilter.BoundedDupeFilter: fingerprints in day sets that expire;
* serializer: requests as checked JSON (never pickle), also for JOBDIR;
* idle.IdleWait: an idle worker waits for the others before closing;
* spool.RequestSpool: requests held during an outage, written at close and read at the next start;

with every NEWSCRAWL_REDIS_* default in defaults.py. `python -m newscrawl.distributed clear --spider
NAME` (cli.py) deletes a spider's keys."""
