--[[
  One page of a content search. The index is split into segments of document numbers (see
  docs/search-index.md); the plan is evaluated segment by segment, newest segments first, with
  Lua tables as sets (no temporary keys), and stops once no later segment can place a match on
  this page. Segment keys are built here from ARGV[6..7] exactly as the KeyBuilder builds them;
  they all carry the tenant's hash tag, so they live in the slot of KEYS[1..2].

  KEYS[1] fields  search:fields:{<tenantId>}  HASH field name -> number
  KEYS[2] spans   search:spans:{<tenantId>}   HASH segment -> '<min>:<max>' createdAtMs

  ARGV[1] limit
  ARGV[2] createdFromMs (inclusive) or ''
  ARGV[3] createdToMs (exclusive) or ''
  ARGV[4] cursor createdAtMs or '' (start strictly after this position)
  ARGV[5] cursor execution id
  ARGV[6] key base '<prefix>search:'
  ARGV[7] hash tag '{<tenantId>}'
  ARGV[8..] the plan in postfix, each token with its operands:
    'E' hash          documents holding the eq term
    'H' field         documents having the field
    'R' field min max documents with a value of field in [min, max] (ZRANGEBYSCORE bounds)
    'P' field prefix  documents with a text value of field starting with prefix
    'T' field text hash  documents with a text value of field equal to text (hash: of the text,
                      names its route SET: only the segments it lists are evaluated)
    'A'               every document
    'N'               every document minus the top of the stack
    '&' n  /  '|' n   intersection / union of the top n

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

local function before(a, b) -- search order: created desc, then id desc
  if a[1] ~= b[1] then return a[1] > b[1] end
  return less(b[2], a[2])
end

local limit = tonumber(ARGV[1])
local from = ARGV[2] ~= '' and tonumber(ARGV[2]) or nil
local to = ARGV[3] ~= '' and tonumber(ARGV[3]) or nil
local cursor = ARGV[4] ~= '' and { tonumber(ARGV[4]), ARGV[5] } or nil
local base, tag = ARGV[6], ARGV[7]

-- the program, with field names resolved to numbers once (an unknown field has no postings)
local program, names = {}, {}
local i = 8
while i <= #ARGV do
  local op = ARGV[i]
  local width = (op == 'A' or op == 'N') and 1 or (op == 'R' or op == 'T') and 4 or (op == 'P') and 3 or 2
  local token = {}
  for j = 0, width - 1 do token[j + 1] = ARGV[i + j] end
  if op == 'H' or op == 'R' or op == 'P' or op == 'T' then names[#names + 1] = token[2] end
  program[#program + 1] = token
  i = i + width
end
local fids = {}
if #names > 0 then
  local found = redis.call('HMGET', KEYS[1], unpack(names))
  for j = 1, #names do fids[names[j]] = found[j] end
end

local function key(kind, segment, part) return base .. kind .. ':' .. tag .. ':' .. segment .. ':' .. part end

local function docs_of(list, cut) -- a set of document numbers from ZSET members
  local set = {}
  for j = 1, #list do set[cut(list[j])] = true end
  return set
end

local function evaluate(segment, all)
  local stack = {}
  for _, t in ipairs(program) do
    local op, set = t[1], nil
    if op == 'E' then
      set = {}
      for _, d in ipairs(redis.call('SMEMBERS', key('e', segment, t[2]))) do set[d] = true end
    elseif op == 'A' then
      set = {}
      for d in pairs(all()) do set[d] = true end
    elseif op == 'N' then
      local child = table.remove(stack)
      set = {}
      for d in pairs(all()) do if not child[d] then set[d] = true end end
    elseif op == '&' or op == '|' then
      local n = tonumber(t[2])
      local first = #stack - n + 1
      set = {}
      if op == '|' then
        for j = first, #stack do for d in pairs(stack[j]) do set[d] = true end end
      elseif n == 0 then
        for d in pairs(all()) do set[d] = true end
      else
        for d in pairs(stack[first]) do
          local every = true
          for j = first + 1, #stack do if not stack[j][d] then every = false break end end
          if every then set[d] = true end
        end
      end
      for _ = first, #stack do table.remove(stack) end
    else
      local fid = fids[t[2]]
      set = {}
      if fid then
        if op == 'H' then
          for _, d in ipairs(redis.call('SMEMBERS', key('h', segment, fid))) do set[d] = true end
        elseif op == 'R' then
          set = docs_of(redis.call('ZRANGEBYSCORE', key('n', segment, fid), t[3], t[4]), function(m) return string.sub(m, 1, string.find(m, ':', 1, true) - 1) end)
        elseif op == 'P' then
          local p = t[3]
          -- texts hold no NUL: the document number follows the first NUL after the prefix
          set = docs_of(redis.call('ZRANGEBYLEX', key('s', segment, fid), '[' .. p, '(' .. p .. '\255'), function(m) return string.sub(m, string.find(m, '\0', #p + 1, true) + 1) end)
        else
          local v = t[3]
          set = docs_of(redis.call('ZRANGEBYLEX', key('s', segment, fid), '[' .. v .. '\0', '(' .. v .. '\1'), function(m) return string.sub(m, #v + 2) end)
        end
      end
    end
    stack[#stack + 1] = set
  end
  return stack[1]
end

-- the segments a match can be in: text equalities name theirs (route SETs), other terms any
local ANY = {}
local function candidates()
  local stack = {}
  for _, t in ipairs(program) do
    local op, set = t[1], ANY
    if op == 'T' then
      set = {}
      if fids[t[2]] then
        for _, s in ipairs(redis.call('SMEMBERS', base .. 'r:' .. tag .. ':' .. fids[t[2]] .. ':' .. t[4])) do set[s] = true end
      end
    elseif op == 'N' then
      table.remove(stack)
    elseif op == '&' or op == '|' then
      local n = tonumber(t[2])
      local first = #stack - n + 1
      set = op == '&' and ANY or {}
      for j = first, #stack do
        local child = stack[j]
        if op == '|' then
          if child == ANY or set == ANY then set = ANY else for s in pairs(child) do set[s] = true end end
        elseif child ~= ANY then
          if set == ANY then
            set = child
          else
            local both = {}
            for s in pairs(set) do if child[s] then both[s] = true end end
            set = both
          end
        end
      end
      for _ = first, #stack do table.remove(stack) end
    end
    stack[#stack + 1] = set
  end
  return stack[1]
end
local routed = candidates()

-- segments that may hold a match, newest first
local segments = {}
local spans = redis.call('HGETALL', KEYS[2])
for j = 1, #spans, 2 do
  local span = spans[j + 1]
  local sep = string.find(span, ':', 1, true)
  local lo, hi = tonumber(string.sub(span, 1, sep - 1)), tonumber(string.sub(span, sep + 1))
  local seen = routed == ANY or routed[spans[j]]
  if seen and not (to and lo >= to) and not (from and hi < from) and not (cursor and lo > cursor[1]) then
    segments[#segments + 1] = { spans[j], hi }
  end
end
table.sort(segments, function(a, b) return a[2] > b[2] end)

local matches, sorted = {}, true
local function trim()
  if not sorted then table.sort(matches, before) sorted = true end
  for j = #matches, limit + 2, -1 do matches[j] = nil end
end
for _, s in ipairs(segments) do
  if #matches > limit then
    trim()
    if s[2] < matches[limit + 1][1] then break end
  end
  local ids = base .. 'ids:' .. tag .. ':' .. s[1]
  local everything
  local function all()
    if not everything then
      everything = {}
      for _, d in ipairs(redis.call('HKEYS', ids)) do everything[d] = true end
    end
    return everything
  end
  local docs = {}
  for d in pairs(evaluate(s[1], all)) do docs[#docs + 1] = d end
  for j = 1, #docs, 1000 do
    local rows = redis.call('HMGET', ids, unpack(docs, j, math.min(j + 999, #docs)))
    for _, row in ipairs(rows) do
      if row then
        local sep = string.find(row, ':', 1, true)
        local m = { tonumber(string.sub(row, 1, sep - 1)), string.sub(row, sep + 1) }
        if not (from and m[1] < from) and not (to and m[1] >= to) and not (cursor and not before(cursor, m)) then
          matches[#matches + 1] = m
          sorted = false
        end
      end
    end
  end
  if #matches > 2 * (limit + 1) then trim() end
end
trim()

local page, nextScore, nextId = {}, '', ''
for j = 1, math.min(limit, #matches) do page[j] = matches[j][2] end
if #matches > limit then nextScore, nextId = string.format('%d', matches[limit][1]), matches[limit][2] end
return { page, nextScore, nextId }
