/*
 * The TMDB bucket lives in one Redis hash shared by every replica (docs/guarantees.md, "The TMDB limit holds across replicas"):
 *   tokens       micro-tokens left (1 token = 1e6), an integer so that no rounding ever grants a call too many
 *   ts           Redis server time of the last refill, microseconds since the epoch
 *   pause_until  Redis server time before which nobody may call TMDB (a 429's Retry-After), microseconds
 * Time always comes from redis.call('TIME'), never from a replica, so skewed replica clocks cannot widen the limit.
 *
 * Beside it, a capped stream (KEYS[2]) is the bucket's ledger: one entry per grant and per pause, stamped with the
 * same server time the decision was made with. It is what proves the limit (a test, `minato status`, an operator
 * with redis-cli) without trusting any replica's clock or the latency between a grant and its HTTP request.
 * Redis 7 replicates a script's effects rather than the script, which is what allows TIME before a write.
 *
 * Lua numbers are doubles: the microsecond timestamps (~1.7e15) and micro-token counts stay exact integers well
 * below 2^53, but Lua turns a number into a string with "%.14g" (which would drop the last digits of a
 * timestamp), so every value is written with string.format('%.0f').
 */

// Enough history for several minutes at TMDB's pace; `~` lets Redis trim whole stream nodes, which is O(1).
const LEDGER_MAX_ENTRIES = 10_000;
// The ledger outlives the last write by an hour, then goes: it is evidence, not state.
const LEDGER_TTL_MS = 3_600_000;

const appendToLedger = (fields: string) => `
redis.call('XADD', KEYS[2], 'MAXLEN', '~', ${LEDGER_MAX_ENTRIES}, '*', ${fields})
redis.call('PEXPIRE', KEYS[2], ${LEDGER_TTL_MS})`;

/**
 * Takes one token. KEYS[1] = bucket hash, KEYS[2] = ledger stream; ARGV[1] = capacity (tokens); ARGV[2] = refill (tokens per second,
 * which is also micro-tokens per microsecond); ARGV[3] = '1' to name the node that granted.
 * Returns { waitMs, serverTimeUs, paused }: waitMs 0 means the token was taken at serverTimeUs. With ARGV[3] = '1',
 * a grant also returns the granting node's run_id and its online replicas, read in the same atomic step, which a
 * grant fence (grant-fence.ts) needs to know which node to confirm the grant with.
 *
 * A caller that finds the bucket empty is told how long until the next token and takes nothing; it asks again
 * after that wait. Reserving the future token instead would save that round trip, but a reservation cannot be
 * revoked: a 429 arriving meanwhile would not stop the reserved callers, and an aborted wait would burn its
 * slot. Taking only what is there keeps the classic bound exact: the tokens present at the start of any window
 * [a, b] are at most `capacity`, and at most refill·(b − a) more arrive during it (refills round down), so no
 * window ever holds more than capacity + refill·(b − a) grants.
 */
export const takeTokenScript = `
local key = KEYS[1]
local capacity = tonumber(ARGV[1]) * 1000000
local refill = tonumber(ARGV[2])
local clock = redis.call('TIME')
local now = tonumber(clock[1]) * 1000000 + tonumber(clock[2])

local state = redis.call('HMGET', key, 'tokens', 'ts', 'pause_until')
local pause_until = tonumber(state[3]) or 0
if now < pause_until then
  return { math.ceil((pause_until - now) / 1000), now, 1 }
end

local tokens = tonumber(state[1])
local ts = tonumber(state[2])
if tokens == nil or ts == nil then
  -- an absent bucket is a full one: keys only expire once they would have refilled completely
  tokens = capacity
  ts = now
elseif now > ts then
  tokens = math.min(capacity, tokens + math.floor((now - ts) * refill))
  ts = now
end
-- when the server clock steps back, ts stays ahead of now and nothing refills until time catches up

if tokens < 1000000 then
  return { math.ceil((1000000 - tokens) / refill / 1000), now, 0 }
end

tokens = tokens - 1000000
redis.call('HSET', key, 'tokens', string.format('%.0f', tokens), 'ts', string.format('%.0f', ts))
redis.call('PEXPIRE', key, math.ceil((capacity - tokens) / refill / 1000))
${appendToLedger(`'grant', string.format('%.0f', now)`)}
if ARGV[3] == '1' then
  local info = redis.call('INFO', 'server', 'replication')
  -- replicas still waiting for or loading a full sync hold none of the bucket: only online ones count
  local online = 0
  for _ in string.gmatch(info, 'slave%d+:[^\\r\\n]*state=online') do
    online = online + 1
  end
  return { 0, now, 0, string.match(info, 'run_id:(%w+)'), online }
end
return { 0, now, 0 }
`;

/**
 * Pauses every replica. KEYS[1] = bucket hash, KEYS[2] = ledger stream; ARGV[1] = pause in milliseconds. A pause never shortens one
 * already in force. Returns { fromUs, untilUs, started }: the server time now, the end of the pause, and 1 when
 * no pause was in force before this call.
 */
export const pauseScript = `
local key = KEYS[1]
local clock = redis.call('TIME')
local now = tonumber(clock[1]) * 1000000 + tonumber(clock[2])
local current = tonumber(redis.call('HGET', key, 'pause_until')) or 0
local pause_until = math.max(current, now + tonumber(ARGV[1]) * 1000)
redis.call('HSET', key, 'pause_until', string.format('%.0f', pause_until))
-- the key must outlive the pause; a longer life than the refill needs is harmless
local needed = math.ceil((pause_until - now) / 1000)
if redis.call('PTTL', key) < needed then
  redis.call('PEXPIRE', key, needed)
end
local started = 0
if current <= now then
  started = 1
end
${appendToLedger(`'pause_from', string.format('%.0f', now), 'pause_until', string.format('%.0f', pause_until)`)}
return { now, pause_until, started }
`;
