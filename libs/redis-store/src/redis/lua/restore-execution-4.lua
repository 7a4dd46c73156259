--[[
  Writes an execution's keys back exactly as they were (from an archive): the state and the
  snapshots only if absent; the stream only if absent, or kept when it still ends with the
  archive's last entry (retention removed the state first and left the events).

  KEYS[1] state      workflow:state:{<id>}
  KEYS[2] stream     events:workflow:{<id>}
  KEYS[3] snapshots  workflow:snapshots:{<id>}
  KEYS[4] blobs      workflow:blobs:{<id>}  (claim-checked payloads; written where absent)

  ARGV[1] '1' when there is a state, else '0'
  ARGV[2] state bytes ('' when none)
  ARGV[3] TTL in ms of every restored key, 0 = keep
  ARGV[4] id of the archive's last stream entry ('' when none)
  ARGV[5] number of stream entries n, then per entry: id, number of field/value arguments m, m arguments
  then the number of snapshot fields k, then k field/value pairs, then blob hash/bytes pairs to the end

  Reply: 1 restored, 0 the state or snapshots exist, or the stream differs (nothing written)
]]
if redis.call('EXISTS', KEYS[1], KEYS[3]) > 0 then return 0 end
local last = redis.call('XREVRANGE', KEYS[2], '+', '-', 'COUNT', 1)[1]
if last and last[1] ~= ARGV[4] then return 0 end
local ttl = tonumber(ARGV[3])
if ARGV[1] == '1' then redis.call('SET', KEYS[1], ARGV[2]) end
local i = 6
for _ = 1, tonumber(ARGV[5]) do
  local id, m = ARGV[i], tonumber(ARGV[i + 1])
  if not last then redis.call('XADD', KEYS[2], id, unpack(ARGV, i + 2, i + 1 + m)) end
  i = i + 2 + m
end
local k = tonumber(ARGV[i])
i = i + 1
for _ = 1, k do
  redis.call('HSET', KEYS[3], ARGV[i], ARGV[i + 1])
  i = i + 2
end
for j = i, #ARGV, 2 do redis.call('HSETNX', KEYS[4], ARGV[j], ARGV[j + 1]) end
if ttl > 0 then
  for j = 1, 4 do redis.call('PEXPIRE', KEYS[j], ttl) end
end
return 1
