--[[
  One page of a content search, computed with set operations into temporary keys that are
  deleted before the script returns (also when it fails). Every key carries the hash tag
  {<tenantId>}: one slot. The client compiled the plan into the operations below.

  KEYS[1]   all     search:all:{<tenantId>}  ZSET of the indexed executions, score createdAtMs
  KEYS[2..] the index keys the plan reads, then the temporary keys search:tmp:{<tenantId>}:<unique>
            (KEYS[ARGV[8]..#KEYS]; all deleted at the end)

  ARGV[1] limit
  ARGV[2] createdFromMs (inclusive) or ''
  ARGV[3] createdToMs (exclusive) or ''
  ARGV[4] cursor createdAtMs or '' (start strictly after this position)
  ARGV[5] cursor execution id
  ARGV[6] index of the key holding the plan's result (a SET or ZSET of ids; 1 = every execution)
  ARGV[7] index of the temporary key for the ordered result
  ARGV[8] index of the first temporary key
  ARGV[9..] operations, each: op, destination index, then
    'I' n k1..kn   ZINTERSTORE  (and)
    'U' n k1..kn   ZUNIONSTORE  (or)
    'D' a b        ZDIFFSTORE a minus b (not: every execution minus the child)
    'R' src min max  ids of the numeric ZSET src with a score in [min, max] (members <id>\0<value>)
    'P' src prefix   ids of the prefix ZSET src with a member starting with prefix (members <value>\0<id>)
  (Z*STORE accept SETs as inputs; the results are ZSETs whose scores are not used.)

  Reply: { ids, nextScore, nextId }: at most `limit` ids, createdAtMs desc then id desc (bytes);
    nextScore/nextId: the last id's position when more matches follow, else ''.
]]
local function less(a, b) -- byte order (Lua's < follows the server's collation locale)
  local n = math.min(#a, #b)
  for i = 1, n do
    local x, y = string.byte(a, i), string.byte(b, i)
    if x ~= y then return x < y end
  end
  return #a < #b
end

local function sadd_all(dest, ids)
  for i = 1, #ids, 5000 do
    redis.call('SADD', dest, unpack(ids, i, math.min(i + 4999, #ids)))
  end
end

local function run()
  local i = 9
  while i <= #ARGV do
    local op, dest = ARGV[i], KEYS[tonumber(ARGV[i + 1])]
    if op == 'I' or op == 'U' then
      local n = tonumber(ARGV[i + 2])
      local srcs = {}
      for j = 1, n do srcs[j] = KEYS[tonumber(ARGV[i + 2 + j])] end
      redis.call(op == 'I' and 'ZINTERSTORE' or 'ZUNIONSTORE', dest, n, unpack(srcs))
      i = i + 3 + n
    elseif op == 'D' then
      redis.call('ZDIFFSTORE', dest, 2, KEYS[tonumber(ARGV[i + 2])], KEYS[tonumber(ARGV[i + 3])])
      i = i + 4
    elseif op == 'R' then
      local members = redis.call('ZRANGEBYSCORE', KEYS[tonumber(ARGV[i + 2])], ARGV[i + 3], ARGV[i + 4])
      local ids = {}
      for j = 1, #members do
        local m = members[j]
        ids[j] = string.sub(m, 1, string.find(m, '\0', 1, true) - 1)
      end
      sadd_all(dest, ids)
      i = i + 5
    elseif op == 'P' then
      local p = ARGV[i + 3]
      local members = redis.call('ZRANGEBYLEX', KEYS[tonumber(ARGV[i + 2])], '[' .. p, '(' .. p .. '\255')
      local ids = {}
      for j = 1, #members do
        local m = members[j]
        -- the value holds no NUL: the id follows the first NUL after the prefix
        ids[j] = string.sub(m, string.find(m, '\0', #p + 1, true) + 1)
      end
      sadd_all(dest, ids)
      i = i + 4
    else
      error('search-page: unknown operation ' .. tostring(op))
    end
  end

  -- order the result by creation: the scores of KEYS[1] (weight 0 drops the result's own scores)
  local set = KEYS[1]
  local result = tonumber(ARGV[6])
  if result ~= 1 then
    set = KEYS[tonumber(ARGV[7])]
    redis.call('ZINTERSTORE', set, 2, KEYS[1], KEYS[result], 'WEIGHTS', 1, 0)
  end

  local limit = tonumber(ARGV[1])
  local from = ARGV[2] ~= '' and tonumber(ARGV[2]) or nil
  local start = 0
  if ARGV[3] ~= '' then start = redis.call('ZCOUNT', set, ARGV[3], '+inf') end
  if ARGV[4] ~= '' then
    -- ranks [above, above + ties) hold the cursor's score, members descending: find the first below the cursor id
    local above = redis.call('ZCOUNT', set, '(' .. ARGV[4], '+inf')
    local lo, hi = above, above + redis.call('ZCOUNT', set, ARGV[4], ARGV[4])
    while lo < hi do
      local mid = math.floor((lo + hi) / 2)
      if less(redis.call('ZREVRANGE', set, mid, mid)[1], ARGV[5]) then hi = mid else lo = mid + 1 end
    end
    if lo > start then start = lo end
  end
  local rows = redis.call('ZREVRANGE', set, start, start + limit, 'WITHSCORES')
  local ids, nextScore, nextId = {}, '', ''
  for j = 1, #rows, 2 do
    if from and tonumber(rows[j + 1]) < from then break end
    if #ids == limit then
      nextId, nextScore = ids[limit], rows[j - 1]
      break
    end
    ids[#ids + 1] = rows[j]
  end
  return { ids, nextScore, nextId }
end

local ok, reply = pcall(run)
local first = tonumber(ARGV[8])
if first <= #KEYS then
  local temps = {}
  for j = first, #KEYS do temps[#temps + 1] = KEYS[j] end
  redis.call('DEL', unpack(temps))
end
if not ok then error(reply) end
return reply
