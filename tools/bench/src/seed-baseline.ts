import { randomUUID } from 'node:crypto';

/** A task record in the seed's state JSON. */
export interface SeedTask {
  task_name: string;
  input: unknown;
  output: unknown;
  started_at: string;
  completed_at: string;
}

/** The seed's state JSON shape (what its Go code json.Marshal-ed into `workflow:state:{id}`). */
export interface SeedState {
  id: string;
  status: string;
  input: unknown;
  output: unknown;
  variables: unknown;
  completed_tasks: SeedTask[];
}

/** The seed's stream entry (its JSON + XADD path): one field per CloudEvents attribute, `data` as JSON text. */
export function seedEventFields(executionId: string, type: string, taskId: string, data: unknown, time: string): string[] {
  return [
    'id', randomUUID(),
    'source', 'flunq.io/worker',
    'specversion', '1.0',
    'type', type,
    'time', time,
    'workflowid', 'simple-test-workflow',
    'executionid', executionId,
    'taskid', taskId,
    'tenantid', 'tenant-a',
    'data', JSON.stringify(data),
  ];
}

/** Bytes of the values and field names of a stream entry / string value, as sent to Redis. */
export function fieldBytes(fields: (string | Uint8Array)[]): number {
  return fields.reduce((sum, f) => sum + (typeof f === 'string' ? Buffer.byteLength(f) : f.length), 0);
}
