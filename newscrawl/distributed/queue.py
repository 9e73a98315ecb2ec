"""The shared request queue (scrapy-redis's PriorityQueue, `<spider>:requests`, a sorted set by
priority) with acknowledged pops: a pop moves the request, in one Lua script, into this worker's
in-flight set `<spider>:inflight:<worker>`; it leaves that set (`ack`) only once the scheduler says
it is done. A request is queued by one Lua script that checks and records its fingerprint
(BoundedDupeFilter.filter_spec) and adds it to the queue, so a kill can never record one without the
other. Workers announce themselves in `<spider>:workers` and keep a heartbeat key
`<spider>:worker:<id>` alive; the in-flight set of a worker whose heartbeat expired is moved back
into the queue by any other worker (`reclaim_dead`). Entries are JSON (newscrawl.distributed.serializer)."""

from __future__ import annotations

import logging
import os
import socket
import uuid

from scrapy_redis.queue import PriorityQueue

from newscrawl.distributed import defaults
from newscrawl.distributed import serializer as codec
from newscrawl.distributed.defaults import REJECTS_PER_POP, spider_keys

logger = logging.getLogger(__name__)

# Queue a request unless it is a duplicate, in one step: KEYS[1] the queue, KEYS[2..] the dupefilter
# keys of ARGV[3] mode ('none': no filter; 'marker': SET NX EX, a feed read once per interval;
# 'set': one unbounded set; 'days': KEYS[2] today's set, KEYS[3..] the older live days).
# ARGV[1] the encoded request ('' = only check and record the fingerprint), ARGV[2] its score,
# ARGV[4] the fingerprint, ARGV[5] the TTL in seconds. Returns 1 if new (and queued), 0 if a duplicate.
ENQUEUE_LUA = """
local mode, fp, ttl = ARGV[3], ARGV[4], ARGV[5]
if mode == 'marker' then
  if not redis.call('SET', KEYS[2], 1, 'NX', 'EX', ttl) then return 0 end
elseif mode == 'set' then
  if redis.call('SADD', KEYS[2], fp) == 0 then return 0 end
elseif mode == 'days' then
  for i = 3, #KEYS do
    if redis.call('SISMEMBER', KEYS[i], fp) == 1 then return 0 end
  end
  local added = redis.call('SADD', KEYS[2], fp)
  redis.call('EXPIRE', KEYS[2], ttl)
  if added == 0 then return 0 end
end
if ARGV[1] ~= '' then redis.call('ZADD', KEYS[1], ARGV[2], ARGV[1]) end
return 1
"""

# Take the first request of the queue KEYS[1] into the in-flight set KEYS[2] (same score, so a
# reclaim restores its priority); ARGV[1], the worker, is (re)registered in KEYS[3].
POP_LUA = """
local top = redis.call('ZRANGE', KEYS[1], 0, 0, 'WITHSCORES')
if #top == 0 then return false end
redis.call('ZREM', KEYS[1], top[1])
redis.call('ZADD', KEYS[2], top[2], top[1])
redis.call('SADD', KEYS[3], ARGV[1])
return top[1]
"""

# Move the in-flight set KEYS[2] of worker ARGV[1] back into the queue KEYS[1] and unregister the
# worker (KEYS[3] its heartbeat, KEYS[4] the registry). Unless ARGV[2] is '1' (a worker releasing
# its own set at close), nothing happens while the heartbeat lives: returns -1. Else the count.
RECLAIM_LUA = """
if ARGV[2] ~= '1' and redis.call('EXISTS', KEYS[3]) == 1 then return -1 end
local items = redis.call('ZRANGE', KEYS[2], 0, -1, 'WITHSCORES')
for i = 1, #items, 2 do redis.call('ZADD', KEYS[1], items[i + 1], items[i]) end
redis.call('DEL', KEYS[2], KEYS[3])
redis.call('SREM', KEYS[4], ARGV[1])
return #items / 2
"""
# Back from a worker's in-flight set into the queue, with their scores: requests Redis handed out
# whose reply never reached the worker (the connection broke in between).
REQUEUE_LUA = """
local n = 0
for i = 1, #ARGV do
  local score = redis.call('ZSCORE', KEYS[2], ARGV[i])
  if score then
    redis.call('ZADD', KEYS[1], score, ARGV[i])
    redis.call('ZREM', KEYS[2], ARGV[i])
    n = n + 1
  end
end
return n
"""


class ReliablePriorityQueue(PriorityQueue):
    """scrapy-redis's priority queue whose pops are acknowledged: a popped request stays in this
    worker's in-flight set until `ack`, and goes back into the queue if the worker dies."""

    def __init__(self, server, spider, key, serializer=None):
        # Never pickle (scrapy-redis's default): whoever can write to Redis would run code here.
        if serializer is not None and serializer is not codec:
            raise ValueError(f"SCHEDULER_SERIALIZER {getattr(serializer, '__name__', serializer)!r}: the shared queue "
                             "holds JSON only (newscrawl.distributed.serializer)")
        super().__init__(server, spider, key, codec)
        settings = getattr(spider, "settings", None)
        default = defaults.NEWSCRAWL_REDIS_MAX_REQUEST_BYTES
        self.max_bytes = (settings.getint("NEWSCRAWL_REDIS_MAX_REQUEST_BYTES", default) if settings is not None
                          else default)
        self.worker = f"{socket.gethostname()}-{os.getpid()}-{uuid.uuid4().hex[:8]}"
        names = spider_keys(spider.name)
        self.inflight_prefix, self.heartbeat_prefix = names["inflight"], names["worker"]
        self.registry_key = names["workers"]
        self.inflight_key = self.inflight_prefix + self.worker
        self.heartbeat_key = self.heartbeat_prefix + self.worker
        self._enqueue = server.register_script(ENQUEUE_LUA)
        self._pop = server.register_script(POP_LUA)
        self._reclaim = server.register_script(RECLAIM_LUA)
        self._requeue = server.register_script(REQUEUE_LUA)

    def push(self, request, filter_keys=(), filter_args=("none", "", 0)) -> bool:
        """Queue `request` unless the dupefilter spec (BoundedDupeFilter.filter_spec) finds it seen."""
        data = self._encode_request(request)
        return bool(self._enqueue(keys=[self.key, *filter_keys], args=[data, -request.priority, *filter_args]))

    def _encode_request(self, request) -> bytes:
        return codec.request_to_json(request, self.spider, self.max_bytes)

    def _decode_request(self, encoded_request):
        return codec.request_from_json(encoded_request, self.spider, self.max_bytes)

    def pop_with_token(self):
        """(request, token) of the first queued request that decodes, now in flight; (None, None)
        when empty. The token (the encoded request) is what `ack` takes. Entries that do not decode
        are removed and counted (`newscrawl/redis/rejected`)."""
        for _ in range(REJECTS_PER_POP):
            data = self._pop(keys=[self.key, self.inflight_key, self.registry_key], args=[self.worker])
            if not data:
                return None, None
            try:
                return self._decode_request(data), data
            except codec.RejectedRequest as exc:
                self.reject(data, exc)
        return None, None

    def reject(self, data, reason) -> None:
        """Drop an entry that is not a request this crawler wrote (never executed, never retried)."""
        self.ack([data])
        stats = getattr(getattr(self.spider, "crawler", None), "stats", None)
        if stats is not None:
            stats.inc_value("newscrawl/redis/rejected")
        logger.error("Rejected a queued request of %d bytes from %s: %s", len(data), self.key, reason)

    def pop(self, timeout=0):
        return self.pop_with_token()[0]

    def ack(self, tokens) -> None:
        tokens = list(tokens)
        for i in range(0, len(tokens), 500):
            self.server.zrem(self.inflight_key, *tokens[i:i + 500])

    def in_flight(self) -> int:
        return self.server.zcard(self.inflight_key)

    def beat(self, ttl: float) -> None:
        """Refresh this worker's heartbeat and registration."""
        pipe = self.server.pipeline(transaction=True)
        pipe.set(self.heartbeat_key, f"{socket.gethostname()} pid {os.getpid()}", px=max(1, int(ttl * 1000)))
        pipe.sadd(self.registry_key, self.worker)
        pipe.execute()

    def _reclaim_worker(self, worker: str, force: bool = False) -> int:
        return self._reclaim(keys=[self.key, self.inflight_prefix + worker, self.heartbeat_prefix + worker,
                                   self.registry_key], args=[worker, "1" if force else "0"])

    def reclaim_dead(self) -> tuple[dict[str, int], int]:
        """Requeue the in-flight requests of registered workers without a heartbeat. Returns
        ({dead worker: requests requeued}, number of live other workers with requests in flight)."""
        others = [w.decode() if isinstance(w, bytes) else w for w in self.server.smembers(self.registry_key)]
        others = [w for w in others if w != self.worker]
        if not others:
            return {}, 0
        pipe = self.server.pipeline(transaction=False)
        for w in others:
            pipe.exists(self.heartbeat_prefix + w)
            pipe.zcard(self.inflight_prefix + w)
        answers = pipe.execute()
        reclaimed, busy = {}, 0
        for w, alive, count in zip(others, answers[::2], answers[1::2]):
            if alive:
                busy += count > 0
                continue
            n = self._reclaim_worker(w)
            if n >= 0:
                reclaimed[w] = n
            else:
                busy += 1   # came back meanwhile
        return reclaimed, busy

    def requeue_orphans(self, held) -> int:
        """Requeue the requests in this worker's in-flight set that it does not hold (``held``:
        tokens popped and not yet acknowledged): a pop Redis executed while the connection broke."""
        orphans = [t for t in self.server.zrange(self.inflight_key, 0, -1) if t not in held]
        return self._requeue(keys=[self.key, self.inflight_key], args=orphans) if orphans else 0

    def release(self) -> int:
        """At a clean close: requeue whatever this worker still holds, drop its heartbeat."""
        return self._reclaim_worker(self.worker, force=True)
