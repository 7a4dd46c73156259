--[[
  One page of the per-tenant execution index, newest first (createdAtMs desc, then execution
  id desc by bytes: ZREVRANGE order). Iterates the smallest of the candidate sets and filters
  the rest from the summaries. Every key carries the hash tag {<tenantId>}: one slot.

  KEYS[1]  summaries   execution:summary:{<tenantId>}
  KEYS[2]  first candidate set (status set, or workflow set, or the tenant's set)
  KEYS[3]  second candidate set (or the first again)
  KEYS[4]  third candidate set (or the first again); among equally small sets the earlier wins

  ARGV[1] status filter (number) or ''
  ARGV[2] workflowId filter or ''
  ARGV[3] createdToMs (exclusive) or ''
  ARGV[4] createdFromMs (inclusive) or ''
  ARGV[5] cursor createdAtMs or '' (start after this position)
  ARGV[6] cursor execution id
  ARGV[7] limit
  ARGV[8] most entries to examine (scan budget)

  Reply: { items, nextScore, nextId }
    items: flat { id, encoded summary, ... } of at most `limit` matches
    nextScore/nextId: the position to continue after ('' when the listing is complete): the
      last item when more matches follow, or the last examined entry when the budget ran out
]]
local function less(a, b) -- byte order (Lua's < follows the server's collation locale)
  local n = math.min(#a, #b)
  for i = 1, n do
    local x, y = string.byte(a, i), string.byte(b, i)
    if x ~= y then return x < y end
  end
  return #a < #b
end

local set, size = KEYS[2], redis.call('ZCARD', KEYS[2])
for i = 3, #KEYS do
  local n = redis.call('ZCARD', KEYS[i])
  if n < size then set, size = KEYS[i], n end
end

local status = ARGV[1] ~= '' and tonumber(ARGV[1]) or nil
local workflow = ARGV[2] ~= '' and ARGV[2] or nil
local from = ARGV[4] ~= '' and tonumber(ARGV[4]) or nil
local limit, budget = tonumber(ARGV[7]), tonumber(ARGV[8])

local start = 0
if ARGV[3] ~= '' then start = redis.call('ZCOUNT', set, ARGV[3], '+inf') end
if ARGV[5] ~= '' then
  -- ranks [above, above + ties) hold the cursor's score, members descending: find the first below the cursor id
  local above = redis.call('ZCOUNT', set, '(' .. ARGV[5], '+inf')
  local lo, hi = above, above + redis.call('ZCOUNT', set, ARGV[5], ARGV[5])
  while lo < hi do
    local mid = math.floor((lo + hi) / 2)
    if less(redis.call('ZREVRANGE', set, mid, mid)[1], ARGV[6]) then hi = mid else lo = mid + 1 end
  end
  if lo > start then start = lo end
end

local items, found, examined = {}, 0, 0
local lastId, lastScore = '', ''
local nextId, nextScore = '', ''
local pos, batch, done = start, math.min(limit + 1, 500), false
while not done do
  local rows = redis.call('ZREVRANGE', set, pos, pos + batch - 1, 'WITHSCORES')
  if #rows == 0 then break end
  for i = 1, #rows, 2 do
    local id, score = rows[i], rows[i + 1]
    if from and tonumber(score) < from then done = true break end
    if examined == budget then nextId, nextScore, done = lastId, lastScore, true break end
    examined = examined + 1
    local raw = redis.call('HGET', KEYS[1], id)
    if raw then
      local s = cjson.decode(raw)
      if (not status or s[4] == status) and (not workflow or s[2] == workflow) then
        found = found + 1
        if found > limit then nextId, nextScore, done = lastId, lastScore, true break end
        items[#items + 1] = id
        items[#items + 1] = raw
      end
    end
    lastId, lastScore = id, score
  end
  pos = pos + batch
end
return { items, nextScore, nextId }
