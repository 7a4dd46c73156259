import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { create } from '@bufbuild/protobuf';
import { PayloadEncoding, TaskErrorSchema, TaskRecordSchema } from '@flunq/proto-types';
import { SerializationError } from '../errors/serialization-error.js';
import { CorruptedDataError } from '../errors/errors.js';
import { createPayloadSerializer } from './payload-serializer.js';
import { messageToPayload, payloadToMessage } from './message-payload.js';

describe('binary/protobuf payloads', () => {
  test('typed messages round-trip and name their type', () => {
    fc.assert(
      fc.property(fc.string(), fc.integer({ min: 0, max: 999 }), fc.string(), (title, status, instance) => {
        const message = create(TaskErrorSchema, { title, status, instance });
        const payload = messageToPayload(TaskErrorSchema, message);
        expect(payload.encoding).toBe(PayloadEncoding.BINARY_PROTOBUF);
        expect(payload.messageType).toBe('flunq.v1.TaskError');
        expect(payloadToMessage(TaskErrorSchema, payload)).toEqual(message);
      }),
    );
  });

  test('reading as another type, a JSON payload, or flipped bytes is a typed error', () => {
    const payload = messageToPayload(TaskErrorSchema, create(TaskErrorSchema, { title: 'boom', detail: 'x'.repeat(50) }));
    expect(() => payloadToMessage(TaskRecordSchema, payload)).toThrow(CorruptedDataError);
    expect(() => payloadToMessage(TaskErrorSchema, createPayloadSerializer().toPayload({ a: 1 }))).toThrow(SerializationError);
    const data = Uint8Array.from(payload.data);
    data[2] = (data[2] ?? 0) ^ 0xff;
    expect(() => payloadToMessage(TaskErrorSchema, { ...payload, data })).toThrow(CorruptedDataError);
  });
});
