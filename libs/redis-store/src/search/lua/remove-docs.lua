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
  ARGV[n+2..]   operations, each starting with its op:
    'srem,' | 'zrem,' | 'hdel,'  key index, members joined by ',' (document numbers and
                                 numeric members, which hold no comma)
    'srem' | 'zrem' | 'hdel'     key index, count, then count members (texts)
    'routes'                     index of a segment's text ZSET, the segment, count, then count
                                 pairs (index of a text's route SET, the text): removes the
                                 segment from the route unless the segment still holds the text
                                 (checked after every other removal)

  Reply: 1 applied, 0 a record changed since the client read it (nothing written)
]]
local n = tonumber(ARGV[1])
for i = 1, n do
  if (redis.call('GET', KEYS[i]) or '') ~= ARGV[i + 1] then return 0 end
end
-- unpack is limited to a few thousand values: at most 1000 members per call
local function apply(op, key, members, first, last)
  for from = first, last, 1000 do
    redis.call(op, key, unpack(members, from, math.min(from + 999, last)))
  end
end
local routes = {}
local i = n + 2
while i <= #ARGV do
  local op = ARGV[i]
  if op == 'routes' then
    routes[#routes + 1] = i
    i = i + 4 + 2 * tonumber(ARGV[i + 3])
  elseif string.sub(op, -1) == ',' then
    local members = {}
    for member in string.gmatch(ARGV[i + 2], '[^,]+') do members[#members + 1] = member end
    apply(string.sub(op, 1, -2), KEYS[tonumber(ARGV[i + 1])], members, 1, #members)
    i = i + 3
  else
    local count = tonumber(ARGV[i + 2])
    apply(op, KEYS[tonumber(ARGV[i + 1])], ARGV, i + 3, i + 2 + count)
    i = i + 3 + count
  end
end
for _, at in ipairs(routes) do
  local texts, segment = KEYS[tonumber(ARGV[at + 1])], ARGV[at + 2]
  for j = at + 4, at + 3 + 2 * tonumber(ARGV[at + 3]), 2 do
    local text = ARGV[j + 1]
    if #redis.call('ZRANGEBYLEX', texts, '[' .. text .. '\0', '(' .. text .. '\1', 'LIMIT', 0, 1) == 0 then
      redis.call('SREM', KEYS[tonumber(ARGV[j])], segment)
    end
  end
end
for from = 1, n, 1000 do
  redis.call('DEL', unpack(KEYS, from, math.min(from + 999, n)))
end
return 1
