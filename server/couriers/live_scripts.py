"""Lua run by Redis for the live store: membership of the free set changes atomically."""

# free(hash): online and carrying no delivery, so the courier belongs in the free set.
PLACE = """
local function free(hash)
  if redis.call('HGET', hash, 'online') ~= '1' then return false end
  for _, field in ipairs(redis.call('HKEYS', hash)) do
    if string.sub(field, 1, 4) == 'leg:' then return false end
  end
  return true
end
"""
# KEYS: the couriers' hashes. Every hash in one call: a batch of fixes costs one round trip.
LOAD_MANY = """
local found = {}
for i, hash in ipairs(KEYS) do found[i] = redis.call('HGETALL', hash) end
return found
"""
# KEYS[1]: the free set, then one hash per fix. ARGV per fix: member, fix, trail ('' for a
# refused fix: only the rate limit moves), lng, lat, n, then n (channel, message) pairs
# published once the fix is kept, so a room never sees a position Redis does not hold.
SAVE_FIXES = PLACE + """
local at = 1
for i = 2, #KEYS do
  local hash = KEYS[i]
  redis.call('HSET', hash, 'fix', ARGV[at + 1])
  if ARGV[at + 2] ~= '' then
    redis.call('HSET', hash, 'trail', ARGV[at + 2])
    if free(hash) then redis.call('GEOADD', KEYS[1], ARGV[at + 3], ARGV[at + 4], ARGV[at]) end
  end
  local messages = tonumber(ARGV[at + 5])
  for m = 1, messages do
    redis.call('PUBLISH', ARGV[at + 4 + 2 * m], ARGV[at + 5 + 2 * m])
  end
  at = at + 6 + 2 * messages
end
return 1
"""
# KEYS: hash, geo set. ARGV: member, now_ms, vehicle.
ONLINE = PLACE + """
redis.call('HSET', KEYS[1], 'online', '1', 'vehicle', ARGV[3])
if free(KEYS[1]) then
  if redis.call('HGET', KEYS[1], 'since') == false then redis.call('HSET', KEYS[1], 'since', ARGV[2]) end
  local fix = redis.call('HGET', KEYS[1], 'fix')
  if fix then
    local f = cjson.decode(fix)
    redis.call('GEOADD', KEYS[2], f['lng'], f['lat'], ARGV[1])
  end
end
return 1
"""
# KEYS: hash, geo set. ARGV: member, now_ms, the leg's field.
DROP_LEG = PLACE + """
redis.call('HDEL', KEYS[1], ARGV[3])
if free(KEYS[1]) then
  redis.call('HSET', KEYS[1], 'since', ARGV[2])
  local fix = redis.call('HGET', KEYS[1], 'fix')
  if fix then
    local f = cjson.decode(fix)
    redis.call('GEOADD', KEYS[2], f['lng'], f['lat'], ARGV[1])
  end
end
return 1
"""
