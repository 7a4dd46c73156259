--[[
  Removes an archived execution's keys, only if they are still what was archived, and leaves
  a tombstone saying where the archive is. Stage 'state' removes the state and snapshots (the
  events and the blobs they point at stay readable until their own retention); stage 'all'
  removes the stream and the blobs too.

  KEYS[1] state      workflow:state:{<id>}
  KEYS[2] stream     events:workflow:{<id>}
  KEYS[3] snapshots  workflow:snapshots:{<id>}
  KEYS[4] tombstone  workflow:archived:{<id>}
  KEYS[5] blobs      workflow:blobs:{<id>}  (claim-checked payloads: they go with the events)

  ARGV[1] stage: 'state' | 'all'
  ARGV[2] sha1 hex of the archived state bytes ('' when it had none)
  ARGV[3] id of the last archived stream entry ('' when none)
  ARGV[4] tombstone value

  Reply: 1 removed, 0 the keys changed since they were archived (nothing removed)
]]
local state = redis.call('GET', KEYS[1])
if state and redis.sha1hex(state) ~= ARGV[2] then return 0 end
-- an absent key was removed already (an earlier stage, a run that stopped midway, or its TTL)
local last = redis.call('XREVRANGE', KEYS[2], '+', '-', 'COUNT', 1)[1]
if last and last[1] ~= ARGV[3] then return 0 end
redis.call('SET', KEYS[4], ARGV[4])
redis.call('DEL', KEYS[1], KEYS[3])
if ARGV[1] == 'all' then redis.call('DEL', KEYS[2], KEYS[5]) end
return 1
