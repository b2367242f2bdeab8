"""The frontier's Redis scripts, as data: each runs atomically inside Redis (crawler/frontier.py).

Keys all start with the frontier's prefix ``P`` (ARGV[1]; the spider's name, ``column``, as in
scrapy-redis): ``P:start_urls`` (list, seeds), ``P:dupefilter`` (set of fingerprints),
``P:ids`` (set of request ids ever queued), ``P:req`` / ``P:reqhost`` / ``P:reqscore`` (hashes
by request id), ``P:q:<host>`` (sorted set of a host's queued ids), ``P:ready`` (sorted set:
host → when it may be asked next, ms; only hosts with queued requests), ``P:next`` (host →
earliest next ask), ``P:delay`` (host → delay, ms), ``P:leases`` (id → lease expiry, ms),
``P:owner`` (id → worker), ``P:stat:leased|done|failed|expired`` (host → count), ``P:sent``
(host → last send, ms), ``P:sending`` (host → "expiry ms|token" of a request checked, not yet written).
Time is Redis's own clock (``TIME``), so workers on several machines share one.
"""

# Shared head: the clock, and expired leases put back at the head of their host's queue.
_NOW = """
local p = ARGV[1]
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local function make_ready(host)
  if not redis.call('ZSCORE', p .. ':ready', host) then
    local nxt = tonumber(redis.call('HGET', p .. ':next', host) or '0')
    redis.call('ZADD', p .. ':ready', math.max(now, nxt), host)
  end
end
local function requeue_expired()
  local expired = redis.call('ZRANGEBYSCORE', p .. ':leases', '-inf', now, 'LIMIT', 0, 100)
  for _, id in ipairs(expired) do
    redis.call('ZREM', p .. ':leases', id)
    redis.call('HDEL', p .. ':owner', id)
    local host = redis.call('HGET', p .. ':reqhost', id)
    if host then
      redis.call('HINCRBY', p .. ':stat:leased', host, -1)
      redis.call('HINCRBY', p .. ':stat:expired', host, 1)
      redis.call('ZADD', p .. ':q:' .. host, redis.call('HGET', p .. ':reqscore', id), id)
      make_ready(host)
    end
  end
  return #expired
end
"""

# ARGV: prefix, id, fingerprint ('' = dont_filter), host, request JSON, priority.
# Returns 1 when queued, 0 when the id or the fingerprint was seen before.
ENQUEUE = _NOW + """
local id, fp, host, data, prio = ARGV[2], ARGV[3], ARGV[4], ARGV[5], tonumber(ARGV[6])
if redis.call('SADD', p .. ':ids', id) == 0 then return 0 end
if fp ~= '' and redis.call('SADD', p .. ':dupefilter', fp) == 0 then return 0 end
-- higher priority first; FIFO within a priority (breadth-first with DEPTH_PRIORITY = 1)
local score = -prio * 1e10 + redis.call('INCR', p .. ':seq')
redis.call('HSET', p .. ':req', id, data)
redis.call('HSET', p .. ':reqhost', id, host)
redis.call('HSET', p .. ':reqscore', id, score)
redis.call('ZADD', p .. ':q:' .. host, score, id)
redis.call('SADD', p .. ':hosts', host)
make_ready(host)
return 1
"""

# The next request of a host whose time has come, leased to a worker; the host's next turn is
# set at once, so no other worker can ask it before its delay has passed.
# ARGV: prefix, worker, lease ms, default delay ms.
# Returns {2, id, json}; {1, ms to wait} when hosts are queued but none is due; {0} when none is queued.
LEASE = _NOW + """
local worker, lease_ms, default_delay = ARGV[2], tonumber(ARGV[3]), ARGV[4]
requeue_expired()
for _ = 1, 100 do
  local first = redis.call('ZRANGE', p .. ':ready', 0, 0, 'WITHSCORES')
  if #first == 0 then return {0} end
  local host, due = first[1], tonumber(first[2])
  if due > now then return {1, due - now} end
  local popped = redis.call('ZPOPMIN', p .. ':q:' .. host)
  if #popped == 0 then
    redis.call('ZREM', p .. ':ready', host)
  else
    local id = popped[1]
    local nxt = now + tonumber(redis.call('HGET', p .. ':delay', host) or default_delay)
    redis.call('HSET', p .. ':next', host, nxt)
    if redis.call('ZCARD', p .. ':q:' .. host) > 0 then
      redis.call('ZADD', p .. ':ready', nxt, host)
    else
      redis.call('ZREM', p .. ':ready', host)
    end
    redis.call('ZADD', p .. ':leases', now + lease_ms, id)
    redis.call('HSET', p .. ':owner', id, worker)
    redis.call('HINCRBY', p .. ':stat:leased', host, 1)
    return {2, id, redis.call('HGET', p .. ':req', id)}
  end
end
return {1, 0}
"""

# A leased request is finished (its items are in the stream, its links queued).
# ARGV: prefix, worker, id. Returns 1, or 0 when the lease was not this worker's any more
# (it expired and another worker has it: that one finishes it).
DONE = _NOW + """
local worker, id = ARGV[2], ARGV[3]
local host = redis.call('HGET', p .. ':reqhost', id)
if not host then return 0 end
local owner = redis.call('HGET', p .. ':owner', id)
if owner == worker then
  redis.call('ZREM', p .. ':leases', id)
  redis.call('HDEL', p .. ':owner', id)
  redis.call('HINCRBY', p .. ':stat:leased', host, -1)
elseif not owner and redis.call('ZREM', p .. ':q:' .. host, id) == 1 then
  -- expired while this worker was still on it and not leased again yet: done all the same
else
  return 0
end
redis.call('HDEL', p .. ':req', id)
redis.call('HDEL', p .. ':reqhost', id)
redis.call('HDEL', p .. ':reqscore', id)
redis.call('HINCRBY', p .. ':stat:done', host, 1)
return 1
"""

# Keep a worker's leases. ARGV: prefix, worker, lease ms, ids… Returns how many were kept.
HEARTBEAT = _NOW + """
local worker, lease_ms = ARGV[2], tonumber(ARGV[3])
redis.call('HSET', p .. ':workers', worker, now)
local kept = 0
for i = 4, #ARGV do
  if redis.call('HGET', p .. ':owner', ARGV[i]) == worker then
    redis.call('ZADD', p .. ':leases', 'XX', now + lease_ms, ARGV[i])
    kept = kept + 1
  end
end
return kept
"""

# Whether the crawl is over: seeded, no seeds left, nothing queued, nothing leased. The first
# caller to see it marks the crawl finished. ARGV: prefix. Returns 1 when finished.
FINISHED = _NOW + """
requeue_expired()
local state = redis.call('HGET', p .. ':meta', 'state')
if state == 'finished' then return 1 end
if state ~= 'running' then return 0 end
if redis.call('LLEN', p .. ':start_urls') > 0 or redis.call('ZCARD', p .. ':ready') > 0
   or redis.call('ZCARD', p .. ':leases') > 0 then
  return 0
end
redis.call('HSET', p .. ':meta', 'state', 'finished', 'finished_at', now)
return 1
"""

# A host's next turn moves later, never earlier (SENT and WRITTEN both record a send).
_ADVANCE = """
local function advance(host, nxt)
  if nxt > tonumber(redis.call('HGET', p .. ':next', host) or '0') then
    redis.call('HSET', p .. ':next', host, nxt)
    if redis.call('ZSCORE', p .. ':ready', host) then redis.call('ZADD', p .. ':ready', 'GT', nxt, host) end
  end
end
"""

# A leased request is about to leave its worker. The lease set the host's turn, but a worker's
# busy event loop (or a descheduled process on a loaded machine) can hold a request back until
# it would reach the server close to the next worker's: the last send to each host is kept, and
# a request too early after it is told how long to wait.
# A request that passed the check but is not written yet (a new connection, a TLS handshake, a
# busy event loop: up to 0.5 s on a loaded machine) holds the host's ``P:sending`` slot
# ("expiry ms|token") until ``WRITTEN`` or ``RELEASE`` frees it, or it expires (a worker killed
# in between): no other request passes the check meanwhile, since its delay must count from
# the earlier request's write, not from its check. With no delay there is nothing to space.
# ARGV: prefix, host, default delay ms, token, slot ms. Returns 0 (send now; recorded) or the ms to wait.
SENT = _NOW + _ADVANCE + """
local host, token, slot_ms = ARGV[2], ARGV[4], tonumber(ARGV[5])
local delay = tonumber(redis.call('HGET', p .. ':delay', host) or ARGV[3])
local last = tonumber(redis.call('HGET', p .. ':sent', host) or '0')
if delay > 0 then
  local sending = redis.call('HGET', p .. ':sending', host)
  if sending and tonumber(string.match(sending, '^(%d+)')) > now then
    return math.max(last + delay - now, 20)
  end
  if now < last + delay then return last + delay - now end
  redis.call('HSET', p .. ':sending', host, (now + slot_ms) .. '|' .. token)
end
redis.call('HSET', p .. ':sent', host, now)
advance(host, now + delay)
return 0
"""

# A request has been written to its socket: its send time becomes now, if later than the one
# ``SENT`` recorded at the check, and its token frees the host's sending slot. A worker
# descheduled between its check and its write would otherwise leave the host's turn counted
# from before its request left. ARGV: prefix, host, default delay ms, token ('' frees none). Returns 0.
WRITTEN = _NOW + _ADVANCE + """
local host, token = ARGV[2], ARGV[4]
local delay = tonumber(redis.call('HGET', p .. ':delay', host) or ARGV[3])
if now > tonumber(redis.call('HGET', p .. ':sent', host) or '0') then
  redis.call('HSET', p .. ':sent', host, now)
  advance(host, now + delay)
end
if token ~= '' and string.match(redis.call('HGET', p .. ':sending', host) or '', '|(.*)$') == token then
  redis.call('HDEL', p .. ':sending', host)
end
return 0
"""

# A checked request will not be written by the wire (it failed before, or a browser render
# served it from memory): free the host's sending slot if it is still this request's.
# ARGV: prefix, host, token. Returns 1 when freed.
RELEASE = """
local p, host, token = ARGV[1], ARGV[2], ARGV[3]
if string.match(redis.call('HGET', p .. ':sending', host) or '', '|(.*)$') == token then
  redis.call('HDEL', p .. ':sending', host)
  return 1
end
return 0
"""
