import { randomUUID } from 'node:crypto';
import fc from 'fast-check';
import { expect, test } from 'vitest';
import { decodeEventId, encodeEventId } from './event-id.js';

test('UUIDs are stored in 17 bytes and read back exactly', () => {
  for (let i = 0; i < 100; i++) {
    const id = randomUUID();
    expect(encodeEventId(id)).toHaveLength(17);
    expect(decodeEventId(encodeEventId(id))).toBe(id);
  }
});

test('any other id is stored as text and read back exactly', () => {
  fc.assert(
    fc.property(fc.string({ unit: 'grapheme', minLength: 1 }).filter((s) => !/\p{Cc}/u.test(s)), (id) => {
      expect(decodeEventId(encodeEventId(id))).toBe(id);
    }),
  );
  expect(decodeEventId(encodeEventId('0190A5D4-1C2E-7000-8000-000000000001'))).toBe('0190A5D4-1C2E-7000-8000-000000000001');
});
