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
# KEYS: the couriers' hashes. Every hash in one call, a batch of fixes costs one round trip,
# and the answer is one JSON array of live_store.CourierState, which the node decodes in one
# step: the fields kept as JSON (fix, trail, legs) go in as they are.
LOAD_MANY = """
local found = {}
for i, hash in ipairs(KEYS) do
  local raw, parts, legs = redis.call('HGETALL', hash), {}, {}
  for f = 1, #raw, 2 do
    local field, value = raw[f], raw[f + 1]
    if field == 'online' then parts[#parts + 1] = '"online":' .. (value == '1' and 'true' or 'false')
    elseif field == 'since' then parts[#parts + 1] = '"since_ms":' .. value
    elseif field == 'vehicle' then parts[#parts + 1] = '"vehicle":' .. cjson.encode(value)
    elseif field == 'rev' then parts[#parts + 1] = '"rev":' .. cjson.encode(value)
    elseif field == 'fix' or field == 'trail' then parts[#parts + 1] = '"' .. field .. '":' .. value
    elseif string.sub(field, 1, 4) == 'leg:' then legs[#legs + 1] = value end
  end
  parts[#parts + 1] = '"legs":[' .. table.concat(legs, ',') .. ']'
  found[i] = '{' .. table.concat(parts, ',') .. '}'
end
return '[' .. table.concat(found, ',') .. ']'
"""
# KEYS[1]: the free set, then one hash per fix. ARGV[1]: one MessagePack array (cheaper to
# send than many arguments) holding per fix: member, fix, trail ('' for a refused fix: only
# the rate limit moves), lng, lat, the revision the fix was judged against and the one it
# leaves, then (channel, message) pairs published once the fix is kept, so a room never sees
# a position Redis does not hold. A fix judged against another revision than the hash's (a
# change made since, on any node) is not kept: the answer, one 1 or 0 per fix, says which were.
SAVE_FIXES = PLACE + """
local fixes, kept = cmsgpack.unpack(ARGV[1]), {}
for i = 2, #KEYS do
  local hash, fix = KEYS[i], fixes[i - 1]
  if (redis.call('HGET', hash, 'rev') or '') ~= fix[6] then
    kept[i - 1] = 0
  else
    kept[i - 1] = 1
    redis.call('HSET', hash, 'fix', fix[2], 'rev', fix[7])
    if fix[3] ~= '' then
      redis.call('HSET', hash, 'trail', fix[3])
      if free(hash) then redis.call('GEOADD', KEYS[1], fix[4], fix[5], fix[1]) end
    end
    for m = 8, #fix, 2 do redis.call('PUBLISH', fix[m], fix[m + 1]) end
  end
end
return kept
"""
# KEYS: hash, geo set. ARGV: member, now_ms, vehicle, new revision.
ONLINE = PLACE + """
redis.call('HSET', KEYS[1], 'online', '1', 'vehicle', ARGV[3], 'rev', ARGV[4])
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
# KEYS: hash, geo set. ARGV: member, now_ms, the leg's field, new revision.
DROP_LEG = PLACE + """
redis.call('HDEL', KEYS[1], ARGV[3])
redis.call('HSET', KEYS[1], 'rev', ARGV[4])
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
