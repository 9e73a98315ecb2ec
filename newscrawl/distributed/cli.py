"""`python -m newscrawl.distributed clear --spider NAME`: delete a spider's keys in Redis (its shared
queue, dupefilter, in-flight sets, heartbeats and worker registry). REDIS_URL from the environment."""

from __future__ import annotations

import argparse
import sys

import redis
from scrapy.settings import Settings
from scrapy_redis.connection import get_redis_from_settings

from newscrawl import settings
from newscrawl.distributed.connection import mask_redis_url, redis_password
from newscrawl.distributed.defaults import spider_keys


def clear_keys(server, spider: str) -> int:
    """Delete a spider's queue, dupefilter (all day sets and feed markers), in-flight sets,
    heartbeats and worker registry; returns the count."""
    names = spider_keys(spider)
    keys = [f"{spider}:requests", f"{spider}:dupefilter", names["workers"]]
    for pattern in (f"{spider}:dupefilter:*", names["inflight"] + "*", names["worker"] + "*"):
        keys += list(server.scan_iter(match=pattern, count=1000))
    return server.delete(*keys)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(prog="python -m newscrawl.distributed",
                                     description="Redis keys of distributed crawls (docs/distributed.md)")
    sub = parser.add_subparsers(dest="command", required=True)
    clear = sub.add_parser("clear", help="delete a spider's shared queue, dupefilter and worker keys")
    clear.add_argument("--spider", required=True)
    clear.add_argument("--redis-url", default=settings.REDIS_URL,
                       help="default: env REDIS_URL (prefer it: a password on the command line is visible in ps)")
    args = parser.parse_args(argv)
    server = get_redis_from_settings(Settings({"REDIS_URL": args.redis_url}))
    try:
        print(f"deleted {clear_keys(server, args.spider)} keys of {args.spider}")
    except redis.exceptions.RedisError as exc:
        secret = redis_password(args.redis_url)
        text = str(exc).replace(secret, "***") if secret else str(exc)
        print(f"error: Redis at {mask_redis_url(args.redis_url)}: {type(exc).__name__}: {text}", file=sys.stderr)
        return 1
    return 0
