--[[
  Removes executions from the per-tenant content index atomically (retention removes them a
  batch at a time). The client read the executions' records and grouped the members they put
  into their segments' keys by key, so each key is touched once per batch; the script applies
  them only if every record is still the one the client read (else nothing changes: reply 0,
  the client reads again and retries). Every key carries the hash tag {<tenantId>}: one slot.

  KEYS[1..n]  records  search:doc:{<tenantId>}:<executionId>  STRING
  KEYS[n+1..] the keys named by the operations below

  ARGV[1]       n, the number of records
  ARGV[2..n+1]  the records as the client read them
  ARGV[n+2..]   operations: op, key index, count, then count arguments
                op 'srem' | 'zrem' | 'hdel': the members to remove from the key
                op 'rrem' (count 3): the segment, the index of the segment's text ZSET, the text:
                  removes the segment from the text's route SET unless the segment still holds
                  the text (checked after every other removal)

  Reply: 1 applied, 0 a record changed since the client read it (nothing written)
]]
local n = tonumber(ARGV[1])
for i = 1, n do
  if (redis.call('GET', KEYS[i]) or '') ~= ARGV[i + 1] then return 0 end
end
local routes = {}
local i = n + 2
while i <= #ARGV do
  local op, key, count = ARGV[i], KEYS[tonumber(ARGV[i + 1])], tonumber(ARGV[i + 2])
  if op == 'rrem' then
    routes[#routes + 1] = i
  else
    -- unpack is limited to a few thousand values: at most 1000 members per call
    for first = i + 3, i + 2 + count, 1000 do
      redis.call(op, key, unpack(ARGV, first, math.min(first + 999, i + 2 + count)))
    end
  end
  i = i + 3 + count
end
for _, at in ipairs(routes) do
  local route, segment, texts, text = KEYS[tonumber(ARGV[at + 1])], ARGV[at + 3], KEYS[tonumber(ARGV[at + 4])], ARGV[at + 5]
  if #redis.call('ZRANGEBYLEX', texts, '[' .. text .. '\0', '(' .. text .. '\1', 'LIMIT', 0, 1) == 0 then
    redis.call('SREM', route, segment)
  end
end
for first = 1, n, 1000 do
  redis.call('DEL', unpack(KEYS, first, math.min(first + 999, n)))
end
return 1
