import { readFileSync } from 'node:fs';
import { describe, expect, test } from 'vitest';
import { ExecutionStatus } from '@flunq/proto-types';
import { CorruptedDataError } from '../errors/errors.js';
import { payloadToJson } from '../payload/json-payload.js';
import { legacyEventFromFields } from './legacy-event.js';
import { decodeLegacyState, legacyStatus } from './legacy-state.js';

const fixture = (name: string): Buffer =>
  readFileSync(new URL(`../../../redis-store/src/testing/fixtures/${name}`, import.meta.url));

describe('legacy JSON records', () => {
  test("reads the seed's state JSON", () => {
    const bytes = fixture('seed-legacy-state.json');
    const json = JSON.parse(bytes.toString('utf8')) as Record<string, unknown>;
    const state = decodeLegacyState(bytes);
    expect(state.id).toBe('simple-test-workflow');
    expect(state.status).toBe(ExecutionStatus.COMPLETED);
    expect(payloadToJson(state.input)).toEqual(json['input']);
    expect(payloadToJson(state.output)).toEqual(json['output']);
    expect(payloadToJson(state.variables)).toEqual(json['variables']);
    expect(state.completedTasks[0]?.taskName).toBe('initialize');
  });

  test.each([
    ['COMPLETED', ExecutionStatus.COMPLETED],
    ['running', ExecutionStatus.RUNNING],
    ['WORKFLOW_STATUS_FAILED', ExecutionStatus.FAILED],
    ['canceled', ExecutionStatus.CANCELLED],
  ])('maps status %s', (text, status) => expect(legacyStatus(text)).toBe(status));

  test('unknown statuses, bad times and non-objects are typed errors', () => {
    expect(() => legacyStatus('EXPLODED')).toThrow(CorruptedDataError);
    expect(() => decodeLegacyState(Buffer.from('[1,2]'))).toThrow(CorruptedDataError);
    expect(() => decodeLegacyState(Buffer.from('{"completed_tasks":[{"started_at":"yesterday"}]}'))).toThrow(CorruptedDataError);
    expect(() => decodeLegacyState(Buffer.from('{"id": '))).toThrow(CorruptedDataError);
  });

  test('a task.completed event becomes typed data with input_data and output_data', () => {
    const json = JSON.parse(fixture('seed-legacy-event.json').toString('utf8')) as { event_type: string; data: Record<string, unknown> };
    const event = legacyEventFromFields({ id: 'e1', type: json.event_type, time: '2024-01-15T14:30:01Z', data: JSON.stringify(json.data) });
    expect(event.data.case).toBe('taskCompleted');
    if (event.data.case !== 'taskCompleted') return;
    expect(event.data.value.taskName).toBe('processData');
    expect(payloadToJson(event.data.value.inputData)).toEqual(json.data['input_data']);
    expect(payloadToJson(event.data.value.outputData)).toEqual(json.data['output_data']);
  });

  test('data with fields the typed form does not model is kept verbatim', () => {
    const data = { task_name: 'x', input_data: {}, extra: [1] };
    const event = legacyEventFromFields({ id: 'e1', type: 'io.flunq.task.completed', data: JSON.stringify(data) });
    expect(event.data.case).toBe('other');
    if (event.data.case === 'other') expect(payloadToJson(event.data.value)).toEqual(data);
  });
});
