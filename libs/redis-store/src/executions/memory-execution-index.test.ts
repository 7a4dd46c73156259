import { describe, expect, test } from 'vitest';
import { createKeyBuilder } from '../keys/key-builder.js';
import { canonicalDump } from '../testing/definition-dump.js';
import { describeExecutionIndexContract, dumpMemoryExecutionIndex, expectScanBudgetPaging } from '../testing/execution-index-contract.js';
import { MemoryExecutionIndex } from './memory-execution-index.js';

describeExecutionIndexContract('MemoryExecutionIndex', async () => {
  const index = new MemoryExecutionIndex();
  return {
    index,
    rawDump: () => Promise.resolve(canonicalDump(dumpMemoryExecutionIndex(index.inspect()))),
    close: () => index.close(),
  };
});

describe('execution index keys', () => {
  test('every key of one tenant shares the {<tenant>} hash tag, under the prefix', () => {
    const keys = createKeyBuilder('prod:');
    expect(keys.executions('acme')).toBe('prod:executions:{acme}');
    expect(keys.executionsByStatus('acme', 'RUNNING')).toBe('prod:executions:{acme}:status:RUNNING');
    expect(keys.executionsByWorkflow('acme', 'team/orders')).toBe('prod:executions:{acme}:workflow:team/orders');
    expect(keys.executionSummaries('acme')).toBe('prod:execution:summary:{acme}');
    expect(() => keys.executions('a/b')).toThrow(/invalid tenant id/);
    expect(() => keys.executionsByStatus('acme', 'running:x')).toThrow(/invalid status id/);
  });
});

describe('MemoryExecutionIndex', () => {
  test('a listing examines at most EXECUTION_SCAN_BUDGET entries: short pages carry a cursor until the end', async () => {
    await expectScanBudgetPaging(new MemoryExecutionIndex(), 't');
  });
});
