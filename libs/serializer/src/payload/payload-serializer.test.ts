import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { CompressionCodec, PayloadEncoding } from '@flunq/proto-types';
import { CorruptedDataError, PayloadTooLargeError, UnsupportedValueError } from '../errors/errors.js';
import { createPayloadSerializer } from './payload-serializer.js';
import { payloadToJson } from './json-payload.js';

describe('PayloadSerializer', () => {
  const serializer = createPayloadSerializer();

  test('round-trips any JSON value, compressed or not', () => {
    fc.assert(
      fc.property(fc.jsonValue(), (value) => {
        expect(serializer.fromPayload(serializer.toPayload(value))).toEqual(JSON.parse(JSON.stringify(value)));
      }),
    );
  });

  test('records encoding, size and checksum; compresses only over the threshold', () => {
    const small = serializer.toPayload({ a: 1 });
    expect(small).toMatchObject({ encoding: PayloadEncoding.JSON_PLAIN, compression: CompressionCodec.UNSPECIFIED, originalSize: 7n });
    expect(small.checksum).not.toBe(0);
    const big = serializer.toPayload({ rows: Array.from({ length: 100 }, (_, i) => ({ id: i, name: `row ${i}` })) });
    expect(big.compression).toBe(CompressionCodec.ZSTD);
    expect(big.data.length).toBeLessThan(Number(big.originalSize) / 3);
  });

  test('checks the limit of the field before encoding anything', () => {
    const limited = createPayloadSerializer({ limits: { maxPayloadSize: 1000, maxWorkflowInputSize: 1000, maxTaskOutputSize: 100 } });
    expect(() => limited.toPayload({ s: 'x'.repeat(200) }, { path: 'tasks.a.output', limit: 'taskOutput' })).toThrow(PayloadTooLargeError);
    expect(() => limited.toPayload({ s: 'x'.repeat(200) }, { path: 'input', limit: 'workflowInput' })).not.toThrow();
  });

  test('refuses non-JSON data with the path', () => {
    expect(() => serializer.toPayload({ n: Number.NaN }, { path: 'input' })).toThrow(UnsupportedValueError);
  });

  test('a flipped byte in an uncompressed payload fails its checksum', () => {
    const payload = serializer.toPayload({ message: 'hello' });
    const data = Uint8Array.from(payload.data);
    data[3] = (data[3] ?? 0) ^ 1;
    expect(() => serializer.fromPayload({ ...payload, data })).toThrow(CorruptedDataError);
    expect(() => serializer.fromPayload({ ...payload, originalSize: 3n })).toThrow(CorruptedDataError);
  });

  test('a compressed payload must be decoded by the codec first', () => {
    const big = serializer.toPayload({ s: 'y'.repeat(5000) });
    expect(() => payloadToJson(big)).toThrow(CorruptedDataError);
  });

  test('an absent payload reads as null', () => {
    expect(serializer.fromPayload(undefined)).toBeNull();
  });
});
