"""Lua run by Redis for the live store: membership of the free set changes atomically."""

# KEYS: hash, geo set. ARGV: member, now_ms. Leaves the courier in the set only if free.
PLACE = """
local function free()
  if redis.call('HGET', KEYS[1], 'online') ~= '1' then return false end
  for _, field in ipairs(redis.call('HKEYS', KEYS[1])) do
    if string.sub(field, 1, 4) == 'leg:' then return false end
  end
  return true
end
"""
SAVE_FIX = PLACE + """
redis.call('HSET', KEYS[1], 'fix', ARGV[3])
if ARGV[4] ~= '' then
  redis.call('HSET', KEYS[1], 'trail', ARGV[4])
  if free() then redis.call('GEOADD', KEYS[2], ARGV[5], ARGV[6], ARGV[1]) end
end
return 1
"""
ONLINE = PLACE + """
redis.call('HSET', KEYS[1], 'online', '1', 'vehicle', ARGV[3])
if free() then
  if redis.call('HGET', KEYS[1], 'since') == false then redis.call('HSET', KEYS[1], 'since', ARGV[2]) end
  local fix = redis.call('HGET', KEYS[1], 'fix')
  if fix then
    local f = cjson.decode(fix)
    redis.call('GEOADD', KEYS[2], f['lng'], f['lat'], ARGV[1])
  end
end
return 1
"""
DROP_LEG = PLACE + """
redis.call('HDEL', KEYS[1], ARGV[3])
if free() then
  redis.call('HSET', KEYS[1], 'since', ARGV[2])
  local fix = redis.call('HGET', KEYS[1], 'fix')
  if fix then
    local f = cjson.decode(fix)
    redis.call('GEOADD', KEYS[2], f['lng'], f['lat'], ARGV[1])
  end
end
return 1
"""
