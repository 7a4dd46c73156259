--[[
  Replaces one execution's entries of the per-tenant content index atomically.
  The client read the execution's record, computed from the old and the new record the
  members to remove and to add (all in the execution's segment, see docs/search-index.md) and
  declares every key it touches; the script applies them only if the record is still the one
  the client read (else nothing changes: reply 0, the client reads again and retries). Every
  key carries the hash tag {<tenantId>}: one slot.

  KEYS[1]   record  search:doc:{<tenantId>}:<executionId>  STRING
  KEYS[2]   spans   search:spans:{<tenantId>}              HASH segment -> '<min>:<max>' createdAtMs
  KEYS[3..] the segment's keys named by the operations below

  ARGV[1] the record the client read ('' = absent)
  ARGV[2] the new record
  ARGV[3] the execution's segment
  ARGV[4] createdAtMs (widens the segment's span)
  ARGV[5..] operations, 4 arguments each: op, key index, member, score (ZADD) or value (HSET)
            op: 'srem' | 'zrem' | 'hdel' | 'sadd' | 'zadd' | 'hset' | 'rrem'
            'rrem' removes a segment from a text's route SET unless the segment still holds the
            text: its 4th argument is '<index of the segment's text ZSET>:<text>'

  Reply: 1 applied, 0 the record changed since the client read it (nothing written)
]]
local current = redis.call('GET', KEYS[1]) or ''
if current ~= ARGV[1] then return 0 end
for i = 5, #ARGV, 4 do
  local op, key, member = ARGV[i], KEYS[tonumber(ARGV[i + 1])], ARGV[i + 2]
  if op == 'zadd' then
    redis.call('ZADD', key, ARGV[i + 3], member)
  elseif op == 'rrem' then
    local arg = ARGV[i + 3]
    local sep = string.find(arg, ':', 1, true)
    local texts, text = KEYS[tonumber(string.sub(arg, 1, sep - 1))], string.sub(arg, sep + 1)
    if #redis.call('ZRANGEBYLEX', texts, '[' .. text .. '\0', '(' .. text .. '\1', 'LIMIT', 0, 1) == 0 then
      redis.call('SREM', key, member)
    end
  elseif op == 'hset' then
    redis.call('HSET', key, member, ARGV[i + 3])
  else
    redis.call(op, key, member)
  end
end
redis.call('SET', KEYS[1], ARGV[2])
-- a span only widens: it bounds every document the segment ever held, so skipping a segment by its span is safe
local created = tonumber(ARGV[4])
local span = redis.call('HGET', KEYS[2], ARGV[3])
local lo, hi = created, created
if span then
  local sep = string.find(span, ':', 1, true)
  lo = math.min(lo, tonumber(string.sub(span, 1, sep - 1)))
  hi = math.max(hi, tonumber(string.sub(span, sep + 1)))
end
redis.call('HSET', KEYS[2], ARGV[3], string.format('%d:%d', lo, hi))
return 1
