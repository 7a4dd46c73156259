--[[
  Adds or updates one execution of the per-tenant execution index atomically: the summary,
  the tenant's set, the workflow set and exactly one status set (the execution leaves the
  set of its previous status). Every key carries the hash tag {<tenantId>}: one slot.
  Idempotent: the same summary again changes nothing. A summary older than the stored one
  (smaller updatedAtMs) changes nothing either (a late writer never rolls a listing back).

  KEYS[1]      summaries          execution:summary:{<tenantId>}   HASH id -> encoded summary
  KEYS[2]      all                executions:{<tenantId>}          ZSET id by createdAtMs
  KEYS[3]      workflow set       executions:{<tenantId>}:workflow:<workflowId>
  KEYS[4]      previous workflow  set of ARGV[7] (= KEYS[3] unless the client was told otherwise)
  KEYS[5..11]  status sets        executions:{<tenantId>}:status:<STATUS>, one per status value 0..6

  ARGV[1] execution id
  ARGV[2] encoded summary: JSON [1, workflowId, workflowVersion, status, createdAtMs, updatedAtMs, completedAtMs, correlationId, replayOf]
  ARGV[3] createdAtMs (the score)
  ARGV[4] status (number)
  ARGV[5] updatedAtMs
  ARGV[6] workflowId
  ARGV[7] workflowId whose set KEYS[4] is

  Reply: { code, workflowId }
     1, ''                  written
     0, ''                  stale: the stored summary is newer; nothing changed
    -1, stored workflowId   the stored summary names another workflow whose set KEYS[4] is not:
                            nothing changed, call again with that set as KEYS[4]
]]
local id = ARGV[1]
local status = tonumber(ARGV[4])
local old = redis.call('HGET', KEYS[1], id)
if old then
  local o = cjson.decode(old)
  if o[6] > tonumber(ARGV[5]) then return { 0, '' } end
  if o[2] ~= ARGV[6] then
    if o[2] ~= ARGV[7] then return { -1, o[2] } end
    redis.call('ZREM', KEYS[4], id)
  end
  if o[4] ~= status then
    local previous = KEYS[o[4] + 5]
    if previous then redis.call('ZREM', previous, id) end
  end
end
redis.call('HSET', KEYS[1], id, ARGV[2])
redis.call('ZADD', KEYS[2], ARGV[3], id)
redis.call('ZADD', KEYS[3], ARGV[3], id)
redis.call('ZADD', KEYS[status + 5], ARGV[3], id)
return { 1, '' }
