--[[
  Reads an execution's keys as they are, in one call (archival reads many executions): the
  state, every stream entry, the snapshots, the claim-checked blobs and the archive tombstone.

  KEYS[1] state      workflow:state:{<id>}
  KEYS[2] stream     events:workflow:{<id>}
  KEYS[3] snapshots  workflow:snapshots:{<id>}
  KEYS[4] blobs      workflow:blobs:{<id>}
  KEYS[5] tombstone  workflow:archived:{<id>}

  ARGV[1] (optional) the retention stage being archived ('state' | 'all'): when the tombstone
          says that stage (or 'all') is done, nothing else is read and the reply says done
  ARGV[2] (optional) a 'pending' tombstone to leave when the execution has keys and no
          tombstone yet (an archive holding it is about to be written)

  Reply: { state or false, entries (XRANGE - +), snapshot field/values, blob hash/bytes,
           tombstone or false, 1 when done already else 0 }
]]
local tombstone = redis.call('GET', KEYS[5])
if tombstone and ARGV[1] then
  local ok, t = pcall(cjson.decode, tombstone)
  if ok and type(t) == 'table' and (t.stage == 'all' or t.stage == ARGV[1]) then
    return { false, {}, {}, {}, tombstone, 1 }
  end
end
local state = redis.call('GET', KEYS[1])
local entries = redis.call('XRANGE', KEYS[2], '-', '+')
local snapshots = redis.call('HGETALL', KEYS[3])
local blobs = redis.call('HGETALL', KEYS[4])
if not tombstone and ARGV[2] and (state or #entries > 0 or #snapshots > 0 or #blobs > 0) then
  redis.call('SET', KEYS[5], ARGV[2])
end
return { state, entries, snapshots, blobs, tombstone, 0 }
