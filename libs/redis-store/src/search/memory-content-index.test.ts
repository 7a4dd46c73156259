import { describe, expect, test } from 'vitest';
import { createKeyBuilder } from '../keys/key-builder.js';
import { canonicalSearchDump, describeContentIndexContract, dumpMemoryContentIndex } from '../testing/content-index-contract.js';
import { MemoryContentIndex } from './memory-content-index.js';
import { termHash } from './search-terms.js';

for (const segmentSize of [undefined, 3]) {
  describeContentIndexContract(
    `MemoryContentIndex${segmentSize === undefined ? '' : `, segments of ${segmentSize}`}`,
    async () => {
      const index = new MemoryContentIndex({ segmentSize });
      return {
        index,
        rawDump: () => Promise.resolve(canonicalSearchDump(dumpMemoryContentIndex(index.inspect()))),
        close: () => index.close(),
      };
    },
    200,
  );
}

describe('content index keys', () => {
  test('every key of one tenant shares the {<tenant>} hash tag, under the prefix', () => {
    const keys = createKeyBuilder('prod:');
    expect(keys.searchSeq('acme')).toBe('prod:search:seq:{acme}');
    expect(keys.searchFields('acme')).toBe('prod:search:fields:{acme}');
    expect(keys.searchSpans('acme')).toBe('prod:search:spans:{acme}');
    expect(keys.searchDoc('acme', 'e1')).toBe('prod:search:doc:{acme}:e1');
    expect(keys.searchIds('acme', 7)).toBe('prod:search:ids:{acme}:7');
    expect(keys.searchPostings('acme', 'e', 0, termHash('["a","s","b"]'))).toMatch(/^prod:search:e:\{acme\}:0:[\w-]{16}$/);
    expect(keys.searchPostings('acme', 'n', 12, '3')).toBe('prod:search:n:{acme}:12:3');
    expect(keys.searchKeyParts('acme')).toEqual({ base: 'prod:search:', tag: '{acme}' });
    expect(() => keys.searchSeq('a/b')).toThrow(/invalid tenant id/);
    expect(() => keys.searchPostings('acme', 'h', 0, 'a b')).toThrow(/field number or term hash/);
    expect(() => keys.searchPostings('acme', 'x' as 'h', 0, '1')).toThrow(/posting kind/);
    expect(() => keys.searchIds('acme', -1)).toThrow(/segment/);
    expect(() => keys.searchIds('acme', 1.5)).toThrow(/segment/);
  });
});
