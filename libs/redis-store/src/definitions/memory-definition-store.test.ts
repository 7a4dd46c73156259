import { describeDefinitionStoreContract } from '../testing/definition-store-contract.js';
import { canonicalDump, dumpMemoryStore } from '../testing/definition-dump.js';
import { MemoryDefinitionStore } from './memory-definition-store.js';

describeDefinitionStoreContract('MemoryDefinitionStore', async () => {
  const maxSourceBytes = 100 * 1024;
  const store = new MemoryDefinitionStore({ maxSourceBytes });
  return {
    store,
    maxSourceBytes,
    rawDump: () => Promise.resolve(canonicalDump(dumpMemoryStore(store.inspect()))),
    storedSource: (tenantId, workflowId, version) =>
      Promise.resolve(store.inspect().hashes.get(store.keys.definition(tenantId, workflowId))?.get(`src:${version}`)),
    dropIndex: (tenantId) => Promise.resolve(store.deleteKey(store.keys.definitionIndex(tenantId))),
    close: () => store.close(),
  };
});
