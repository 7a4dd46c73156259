--[[
  Registers one version of a workflow definition atomically: if the version is new, stores
  its record, appends it to the version list and makes it latest; if it exists with the same
  sha256 nothing changes; if it exists with another sha256 nothing changes either (conflict).

  KEYS[1] definition hash   workflow:definition:{<tenantId>/<workflowId>}
          fields: latest, sha256:<v>, at:<v>, codec:<v>, size:<v>, src:<v>
  KEYS[2] version list      workflow:definition:versions:{<tenantId>/<workflowId>}  (RPUSH order)

  ARGV[1] version
  ARGV[2] sha256 (hex) of the source's UTF-8 bytes
  ARGV[3] registeredAtMs
  ARGV[4] codec id of the stored bytes (0 = plain UTF-8)
  ARGV[5] UTF-8 size of the source
  ARGV[6] stored bytes

  Reply: { code, sha256 }
     1, sha256          created
     0, sha256          unchanged: the version holds the same source
    -1, stored sha256   conflict: the version holds another source
]]
local version = ARGV[1]
local stored = redis.call('HGET', KEYS[1], 'sha256:' .. version)
if stored then
  if stored == ARGV[2] then return { 0, stored } end
  return { -1, stored }
end

redis.call('HSET', KEYS[1],
  'sha256:' .. version, ARGV[2],
  'at:' .. version, ARGV[3],
  'codec:' .. version, ARGV[4],
  'size:' .. version, ARGV[5],
  'src:' .. version, ARGV[6],
  'latest', version)
redis.call('RPUSH', KEYS[2], version)
return { 1, ARGV[2] }
