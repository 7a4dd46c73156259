--[[
  Reads an execution's keys as they are, in one call (archival reads many executions): the
  state, every stream entry, the snapshots, the claim-checked blobs and the archive tombstone.

  KEYS[1] state      workflow:state:{<id>}
  KEYS[2] stream     events:workflow:{<id>}
  KEYS[3] snapshots  workflow:snapshots:{<id>}
  KEYS[4] blobs      workflow:blobs:{<id>}
  KEYS[5] tombstone  workflow:archived:{<id>}

  Reply: { state or false, entries (XRANGE - +), snapshot field/values, blob hash/bytes, tombstone or false }
]]
return {
  redis.call('GET', KEYS[1]),
  redis.call('XRANGE', KEYS[2], '-', '+'),
  redis.call('HGETALL', KEYS[3]),
  redis.call('HGETALL', KEYS[4]),
  redis.call('GET', KEYS[5]),
}
