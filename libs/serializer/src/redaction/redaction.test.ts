import { randomBytes } from 'node:crypto';
import { describe, expect, test } from 'vitest';
import { CircularReferenceError } from '../errors/errors.js';
import { createPayloadSerializer } from '../payload/payload-serializer.js';
import { payloadToJson } from '../payload/json-payload.js';
import { decompressPayload } from '../codecs/payload-codec.js';
import { defaultCompressionOptions } from '../codecs/compression.js';
import { concealRedacted, DEFAULT_REDACTED_FIELDS, Redactor, SealedValueError } from './redaction.js';

const input = { user: 'ada', password: 'hunter2', headers: { Authorization: 'Bearer abc', Accept: 'json' }, list: [{ api_key: 'k1' }, { x: 1 }] };
/** What is really stored: the payload's bytes, parsed, without any key. */
const storedJson = (serializer: ReturnType<typeof createPayloadSerializer>, value: unknown) => payloadToJson(decompressPayload(serializer.toPayload(value), defaultCompressionOptions()));

describe('redaction before storage', () => {
  test('covered fields at any depth are stored as markers, never as values; views show [REDACTED]', () => {
    const serializer = createPayloadSerializer({ redactor: new Redactor() });
    const stored = storedJson(serializer, input);
    expect(JSON.stringify(stored)).not.toMatch(/hunter2|Bearer abc|k1/);
    expect(concealRedacted(stored)).toEqual({ user: 'ada', password: '[REDACTED]', headers: { Authorization: '[REDACTED]', Accept: 'json' }, list: [{ api_key: '[REDACTED]' }, { x: 1 }] });
    // Without a key the values are gone: reading back gives the markers.
    expect(serializer.fromPayload(serializer.toPayload(input))).toMatchObject({ password: { $redacted: 'dropped' } });
  });

  test('with the secrets key the engine reads the values back; another key cannot', () => {
    const key = randomBytes(32);
    const serializer = createPayloadSerializer({ redactor: new Redactor(DEFAULT_REDACTED_FIELDS, key) });
    const payload = serializer.toPayload(input);
    expect(JSON.stringify(storedJson(serializer, input))).not.toMatch(/hunter2|Bearer abc/);
    expect(serializer.fromPayload(payload)).toEqual(input);
    const viewer = createPayloadSerializer();
    expect(concealRedacted(viewer.fromPayload(payload))).toMatchObject({ password: '[REDACTED]' });
    const wrongKey = createPayloadSerializer({ redactor: new Redactor(DEFAULT_REDACTED_FIELDS, randomBytes(32)) });
    expect(() => wrongKey.fromPayload(payload)).toThrow(SealedValueError);
    // Re-storing markers (a replay copying events) keeps them sealed, not double-wrapped.
    expect(serializer.fromPayload(serializer.toPayload(viewer.fromPayload(payload)))).toEqual(input);
  });

  test('a policy names its own fields, case and separators ignored; cycles still get the typed error', () => {
    const redactor = new Redactor(['card-number']);
    expect(redactor.redact({ CardNumber: '4111', card_number: '4222', other: 1 })).toEqual({ CardNumber: { $redacted: 'dropped' }, card_number: { $redacted: 'dropped' }, other: 1 });
    const cyclic: Record<string, unknown> = { a: 1 };
    cyclic['self'] = cyclic;
    expect(() => createPayloadSerializer({ redactor }).toPayload(cyclic)).toThrow(CircularReferenceError);
    expect(() => new Redactor([], new Uint8Array(5))).toThrow(RangeError);
  });
});
