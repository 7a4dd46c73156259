import { describe, expect, test } from 'vitest';
import { createKeyBuilder } from '../keys/key-builder.js';
import { canonicalSearchDump, describeContentIndexContract, dumpMemoryContentIndex } from '../testing/content-index-contract.js';
import { MemoryContentIndex } from './memory-content-index.js';
import { termSha1 } from './search-record.js';

describeContentIndexContract(
  'MemoryContentIndex',
  async () => {
    const index = new MemoryContentIndex();
    return {
      index,
      rawDump: () => Promise.resolve(canonicalSearchDump(dumpMemoryContentIndex(index.inspect()))),
      close: () => index.close(),
    };
  },
  200,
);

describe('content index keys', () => {
  test('every key of one tenant shares the {<tenant>} hash tag, under the prefix', () => {
    const keys = createKeyBuilder('prod:');
    expect(keys.searchAll('acme')).toBe('prod:search:all:{acme}');
    expect(keys.searchTerms('acme', 'e1')).toBe('prod:search:terms:{acme}:e1');
    expect(keys.searchEq('acme', termSha1('["a","s","b"]'))).toMatch(/^prod:search:eq:\{acme\}:[0-9a-f]{40}$/);
    expect(keys.searchNum('acme', 'input.{x}')).toBe('prod:search:num:{acme}:input.{x}');
    expect(keys.searchStr('acme', 'input.name')).toBe('prod:search:str:{acme}:input.name');
    expect(keys.searchHas('acme', 'a b')).toBe('prod:search:has:{acme}:a b');
    expect(keys.searchTemp('acme', 'u.1')).toBe('prod:search:tmp:{acme}:u.1');
    expect(() => keys.searchAll('a/b')).toThrow(/invalid tenant id/);
    expect(() => keys.searchEq('acme', 'nothex')).toThrow(/sha1/);
    expect(() => keys.searchHas('acme', 'a\u0000')).toThrow(/control/);
  });
});
