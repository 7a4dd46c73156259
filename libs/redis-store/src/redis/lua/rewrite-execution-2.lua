--[[
  Replaces an execution's state and event stream with new bytes (a format migration, a
  stronger compression), atomically and only if they are still what the caller read. Their
  TTLs are kept.

  KEYS[1] state   workflow:state:{<id>}
  KEYS[2] stream  events:workflow:{<id>}

  ARGV[1] sha1 hex of the state bytes the caller read ('' when there was none)
  ARGV[2] id of the last stream entry the caller read ('' when none)
  ARGV[3] '1' to write a new state (ARGV[4]), '0' to leave the state as it is
  ARGV[4] the new state bytes
  ARGV[5] '1' to replace the stream with the entries below, '0' to leave it as it is
  ARGV[6] number of entries n, then per entry: id, number of field/value arguments m, m arguments

  Reply: 1 rewritten, 0 the keys changed since they were read (nothing written)
]]
local state = redis.call('GET', KEYS[1])
if (state and redis.sha1hex(state) or '') ~= ARGV[1] then return 0 end
local last = redis.call('XREVRANGE', KEYS[2], '+', '-', 'COUNT', 1)[1]
if (last and last[1] or '') ~= ARGV[2] then return 0 end
if ARGV[3] == '1' then
  local ttl = redis.call('PTTL', KEYS[1])
  redis.call('SET', KEYS[1], ARGV[4])
  if ttl > 0 then redis.call('PEXPIRE', KEYS[1], ttl) end
end
if ARGV[5] == '1' then
  local ttl = redis.call('PTTL', KEYS[2])
  redis.call('DEL', KEYS[2])
  local i = 7
  for _ = 1, tonumber(ARGV[6]) do
    local id, m = ARGV[i], tonumber(ARGV[i + 1])
    redis.call('XADD', KEYS[2], id, unpack(ARGV, i + 2, i + 1 + m))
    i = i + 2 + m
  end
  if ttl > 0 then redis.call('PEXPIRE', KEYS[2], ttl) end
end
return 1
