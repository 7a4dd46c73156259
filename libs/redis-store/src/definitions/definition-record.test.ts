import { describe, expect, test } from 'vitest';
import { DefinitionTooLargeError, InvalidArgumentError, InvalidIdError } from '../errors/store-errors.js';
import { createKeyBuilder } from '../keys/key-builder.js';
import { DEFAULT_MAX_SOURCE_BYTES, assertValidVersion, compareIds, resolveMaxSourceBytes } from './definition-record.js';
import { MemoryDefinitionStore } from './memory-definition-store.js';

const tagOf = (key: string): string | undefined => /\{([^}]*)\}/.exec(key)?.[1];

describe('definition keys', () => {
  test('every key of one workflow shares the <tenant>/<workflow> hash tag, under the prefix', () => {
    const keys = createKeyBuilder('prod:');
    expect(keys.definition('acme', 'orders')).toBe('prod:workflow:definition:{acme/orders}');
    expect(keys.definitionVersions('acme', 'orders')).toBe('prod:workflow:definition:versions:{acme/orders}');
    expect(keys.definitionIndex('acme')).toBe('prod:workflow:definitions:{acme}');
    expect(tagOf(keys.definition('acme', 'team/orders'))).toBe(tagOf(keys.definitionVersions('acme', 'team/orders')));
  });

  test('a tenant id may not hold "/", so tags never collide', () => {
    const keys = createKeyBuilder();
    expect(() => keys.definition('a/b', 'c')).toThrow(InvalidIdError);
    expect(() => keys.definitionIndex('a/b')).toThrow(/invalid tenant id "a\/b": contains "\/"/);
    expect(() => keys.definition('a', ':')).toThrow(/invalid workflow id/);
  });
});

describe('definition limits', () => {
  test('versions', () => {
    for (const ok of ['1', '1.0.0', 'v2_beta-3+build.9', 'x'.repeat(64)]) expect(() => assertValidVersion(ok)).not.toThrow();
    for (const bad of ['', 'x'.repeat(65), '1 0', 'ä', 42]) expect(() => assertValidVersion(bad)).toThrow(InvalidArgumentError);
  });

  test('maxSourceBytes defaults to 1 MiB and must be a positive integer', async () => {
    expect(DEFAULT_MAX_SOURCE_BYTES).toBe(1024 * 1024);
    expect(resolveMaxSourceBytes(undefined)).toBe(1024 * 1024);
    for (const bad of [0, -1, 1.5, Number.NaN]) expect(() => resolveMaxSourceBytes(bad)).toThrow(InvalidArgumentError);
    const store = new MemoryDefinitionStore();
    await expect(store.register({ tenantId: 't', workflowId: 'w', version: '1', source: 'x'.repeat(1024 * 1024 + 1) })).rejects.toBeInstanceOf(DefinitionTooLargeError);
    expect((await store.register({ tenantId: 't', workflowId: 'w', version: '1', source: 'x'.repeat(1024 * 1024) })).outcome).toBe('created');
    expect((await store.get({ tenantId: 't', workflowId: 'w' }))?.source).toHaveLength(1024 * 1024);
  });

  test('ids sort by UTF-8 bytes, as Redis sorts zset members', () => {
    expect(['b', 'ä', 'a', 'Z', '\u{1F600}', '\uFFFD'].sort(compareIds)).toEqual(['Z', 'a', 'b', 'ä', '\uFFFD', '\u{1F600}']);
  });
});
