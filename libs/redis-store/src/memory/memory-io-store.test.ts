import { describeIoStoreContract } from '../testing/io-store-contract.js';
import { MemoryIoStore } from './memory-io-store.js';

const retention = { stateTtlMs: 7 * 86_400_000, eventTtlMs: 30 * 86_400_000 };
const maxTaskOutputSize = 64 * 1024;

describeIoStoreContract('MemoryIoStore', async () => {
  let legacyClock = 1_705_329_000_000;
  const claimCheckBytes = 16 * 1024;
  const store = new MemoryIoStore({
    claimCheckBytes,
    ...retention,
    limits: { maxPayloadSize: 10 * 1024 * 1024, maxWorkflowInputSize: 10 * 1024 * 1024, maxTaskOutputSize },
  });
  return {
    store,
    retention,
    maxTaskOutputSize,
    claimCheckBytes,
    blobs: (id) => {
      const { blobs, streamTtlMs } = store.inspect(id);
      return Promise.resolve({ count: blobs.size, bytes: [...blobs.values()].reduce((n, b) => n + b.length, 0), ttl: blobs.size ? streamTtlMs : -2 });
    },
    dropBlobs: (id) => Promise.resolve(store.dropBlobs(id)),
    putRawState: (id, value) => Promise.resolve(store.putRawState(id, Uint8Array.from(value))),
    putLegacyEntry: (id, fields) => Promise.resolve(store.putRawEntry(id, { entryId: `${(legacyClock += 1)}-0`, fields })),
    rawDump: (id) => {
      const { state, entries } = store.inspect(id);
      const hex = entries.map((e) => ('bytes' in e ? [e.entryId, Buffer.from(e.eventId).toString('hex'), Buffer.from(e.bytes).toString('hex')] : [e.entryId, e.fields]));
      return Promise.resolve(JSON.stringify({ state: state ? Buffer.from(state).toString('hex') : null, entries: hex }));
    },
    ttls: (id) => {
      const { stateTtlMs, streamTtlMs } = store.inspect(id);
      return Promise.resolve({ state: stateTtlMs, stream: streamTtlMs });
    },
    close: () => store.close(),
  };
});
