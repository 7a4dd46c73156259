/** Deterministic pseudo-random numbers (mulberry32), so every run measures the same data. */
export function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const WORDS = ['alpha', 'bravo', 'charlie', 'delta', 'echo', 'foxtrot', 'golf', 'hotel', 'india', 'juliet', 'kilo', 'lima'];

/**
 * A realistic JSON document of about `bytes` bytes: a list of order-like records with ids,
 * names, emails, amounts, tags and timestamps, varied enough not to flatter compression.
 */
export function jsonDocument(bytes: number, seed = 42): Record<string, unknown> {
  const next = rng(seed);
  const pick = (): string => WORDS[Math.floor(next() * WORDS.length)] ?? 'x';
  const items: unknown[] = [];
  const doc = { request_id: `req-${Math.floor(next() * 1e9).toString(36)}`, user_id: 'test-user-456', items };
  let size = JSON.stringify(doc).length;
  while (size < bytes) {
    const item = {
      id: `ord-${Math.floor(next() * 1e12).toString(36)}`,
      customer: `${pick()} ${pick()}`,
      email: `${pick()}.${Math.floor(next() * 1e4)}@example.com`,
      amount: Math.round(next() * 1e6) / 100,
      currency: next() < 0.7 ? 'EUR' : 'USD',
      tags: [pick(), pick()],
      paid: next() < 0.5,
      created_at: new Date(1_700_000_000_000 + Math.floor(next() * 3e10)).toISOString(),
    };
    size += JSON.stringify(item).length + 1;
    items.push(item);
  }
  return doc;
}

/** The seed document's example execution: its input and four tasks with their input and output. */
export const SEED_EXAMPLE = {
  input: {
    message: 'Hello from Multi-Tenant Postman!',
    user_id: 'test-user-456',
    test_data: { number: 42, array: [1, 2, 3], nested: { key: 'value', deep: { level: 2, data: 'nested_value' } } },
  },
  tasks: [
    { name: 'initialize', input: { message: 'Hello from Multi-Tenant Postman!', user_id: 'test-user-456' }, output: { initialized: true } },
    {
      name: 'processData',
      input: { source: 'workflow_input', parameters: { number: 42 } },
      output: { result: 'processed successfully', metrics: { duration_ms: 12, items: 3 } },
    },
    { name: 'waitForApproval', input: { result: 'processed successfully' }, output: { approved: true, approver: 'ops-team' } },
    {
      name: 'finalize',
      input: { approved: true, number: 42, array: [1, 2, 3] },
      output: { result: 'workflow completed successfully', processed_data: { number: 42, array_sum: 6 } },
    },
  ],
  output: { result: 'workflow completed successfully', processed_data: { number: 42, array_sum: 6 } },
  variables: { temp_var: 'some_value' },
} as const;
