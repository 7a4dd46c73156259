--[[
  The field numbers of the content index's field names, assigning new ones (never changed once
  assigned: record and posting keys hold numbers, not names).

  KEYS[1] fields  search:fields:{<tenantId>}  HASH name -> number
  KEYS[2] seq     search:seq:{<tenantId>}     HASH counters ('field': the last number)
  ARGV    field names

  Reply: the numbers, in ARGV order
]]
local ids = {}
for i = 1, #ARGV do
  local id = redis.call('HGET', KEYS[1], ARGV[i])
  if not id then
    id = redis.call('HINCRBY', KEYS[2], 'field', 1)
    redis.call('HSET', KEYS[1], ARGV[i], id)
  end
  ids[i] = tonumber(id)
end
return ids
