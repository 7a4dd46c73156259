--[[
  Adds one recorded step to a tenant's statistics of one hour: HINCRBY of each field, then the
  hash's expiry (the hour's end plus the retention). One key, so one slot on a Cluster.

  KEYS[1]  stats:{<tenantId>}:hour:<hour>   HASH field -> count (see stats-record.ts)

  ARGV[1]  expiry, ms since the epoch (PEXPIREAT)
  ARGV[2..] field, increment, field, increment, ...

  Reply: the number of fields incremented.
]]
local n = 0
for i = 2, #ARGV, 2 do
  redis.call('HINCRBY', KEYS[1], ARGV[i], ARGV[i + 1])
  n = n + 1
end
if n > 0 then redis.call('PEXPIREAT', KEYS[1], ARGV[1]) end
return n
