--[[
  Records one step of an execution atomically: version check, append event, write state,
  and on a terminal state set the retention TTLs. A repeat of the event already recorded at
  that position changes nothing.

  KEYS[1] state key    workflow:state:{<id>}   (binary envelope; header bytes 5-8 = version)
  KEYS[2] stream key   events:workflow:{<id>}  (entry id <sequence>-0, fields i=<event id>, e=<event envelope>)
  KEYS[3] blobs key    workflow:blobs:{<id>}   (HASH sha256 hex -> bytes of claim-checked payloads)

  ARGV[1] expected version (the state version the caller computed from; 0 = new execution)
  ARGV[2] event id (idempotency key)
  ARGV[3] event envelope bytes
  ARGV[4] state envelope bytes (its header version must be expected + 1)
  ARGV[5] state TTL in ms, 0 = keep (set only for terminal states)
  ARGV[6] stream TTL in ms, 0 = keep (the blobs live as long as the events pointing at them)
  ARGV[7..] claim-checked payloads of this step: sha256 hex, bytes, ... (each stored once: HSETNX)

  Reply: { code, number }
     1, sequence   appended
     0, sequence   duplicate: the same event id is already at that position
    -1, version    version conflict: the state is at <version>
    -2, 0          the stored state is not a binary envelope (legacy JSON or foreign data)
    -3, version    the state bytes carry <version>, not expected + 1
    -4, 0          the stream already holds an entry at or after this position
]]
local STATE_KIND = 1

local function envelopeVersion(bytes)
  if #bytes < 8 or string.byte(bytes, 1) ~= 0xFA or string.byte(bytes, 2) ~= 0x51
      or string.byte(bytes, 4) ~= STATE_KIND then
    return nil
  end
  return struct.unpack('>I4', bytes, 5)
end

local expected = tonumber(ARGV[1])
local sequence = expected + 1

local current = 0
local header = redis.call('GETRANGE', KEYS[1], 0, 7)
if #header > 0 then
  current = envelopeVersion(header)
  if current == nil then return { -2, 0 } end
end

if current ~= expected then
  local found = redis.call('XRANGE', KEYS[2], sequence, sequence, 'COUNT', 1)
  local entry = found[1]
  if entry and entry[2][1] == 'i' and entry[2][2] == ARGV[2] then return { 0, sequence } end
  return { -1, current }
end

local carried = envelopeVersion(ARGV[4])
if carried ~= sequence then return { -3, carried or -1 } end

local added = redis.pcall('XADD', KEYS[2], sequence .. '-0', 'i', ARGV[2], 'e', ARGV[3])
if type(added) == 'table' and added.err then return { -4, 0 } end

redis.call('SET', KEYS[1], ARGV[4])
for i = 7, #ARGV, 2 do redis.call('HSETNX', KEYS[3], ARGV[i], ARGV[i + 1]) end
local stateTtl = tonumber(ARGV[5])
local streamTtl = tonumber(ARGV[6])
if stateTtl > 0 then redis.call('PEXPIRE', KEYS[1], stateTtl) end
if streamTtl > 0 then
  redis.call('PEXPIRE', KEYS[2], streamTtl)
  if redis.call('EXISTS', KEYS[3]) == 1 then redis.call('PEXPIRE', KEYS[3], streamTtl) end
end
return { 1, sequence }
