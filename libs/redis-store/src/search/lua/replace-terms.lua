--[[
  Replaces (or removes) one execution's entries of the per-tenant content index atomically.
  The client read the execution's record, computed the members to remove and to add from
  the old and the new record, and declares every key it touches; the script applies them
  only if the record is still the one the client read (else nothing changes: reply 0, the
  client reads again and retries). Every key carries the hash tag {<tenantId>}: one slot.

  KEYS[1]   all       search:all:{<tenantId>}                 ZSET id by createdAtMs
  KEYS[2]   record    search:terms:{<tenantId>}:<executionId> STRING encoded terms
  KEYS[3..] index keys named by the operations below

  ARGV[1] the record the client read ('' = absent)
  ARGV[2] the new record ('' = remove the execution)
  ARGV[3] execution id
  ARGV[4] createdAtMs (the score in KEYS[1]; ignored when removing)
  ARGV[5..] operations, 4 arguments each: op, key index, member, score
            op: 'srem' | 'zrem' | 'sadd' | 'zadd' (score used by zadd only)

  Reply: 1 applied, 0 the record changed since the client read it (nothing written)
]]
local current = redis.call('GET', KEYS[2]) or ''
if current ~= ARGV[1] then return 0 end
for i = 5, #ARGV, 4 do
  local op, key, member = ARGV[i], KEYS[tonumber(ARGV[i + 1])], ARGV[i + 2]
  if op == 'zadd' then
    redis.call('ZADD', key, ARGV[i + 3], member)
  else
    redis.call(op, key, member)
  end
end
if ARGV[2] == '' then
  redis.call('DEL', KEYS[2])
  redis.call('ZREM', KEYS[1], ARGV[3])
else
  redis.call('SET', KEYS[2], ARGV[2])
  redis.call('ZADD', KEYS[1], ARGV[4], ARGV[3])
end
return 1
