import { ARCHIVE_ENTRY_KINDS, type ArchiveEntry, type ExecutionArchive } from '../format/archive-types.js';

const utf8 = new TextEncoder();

/** A deterministic pseudo-random source in [0, 1) (mulberry32), so failures replay from their seed. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * A small archive shaped like a finished execution: state, three stream events with
 * fields, a snapshot, an empty blob, a blob holding every byte value, and a unicode name.
 */
export function sampleExecutionArchive(): ExecutionArchive {
  const json = (value: unknown): Uint8Array => utf8.encode(JSON.stringify(value));
  const allBytes = new Uint8Array(256).map((_, i) => i);
  return {
    tenantId: 'acme',
    executionId: 'exec-7f3a9c2e4b1d',
    workflowId: 'order-fulfilment',
    status: 'COMPLETED',
    createdAtMs: 1_732_590_000_000,
    finishedAtMs: 1_732_590_004_250,
    archivedAtMs: 1_735_000_000_000,
    entries: [
      { kind: 'state', name: 'state', bytes: json({ status: 'COMPLETED', output: { ok: true } }) },
      { kind: 'event', name: '1732590000000-0', bytes: json({ type: 'workflow.started' }), fields: { event_type: 'workflow.started' } },
      { kind: 'event', name: '1732590000100-0', bytes: json({ type: 'task.completed', task: 'fetchUser' }), fields: { event_type: 'task.completed', task_id: '/do/0/fetchUser' } },
      { kind: 'event', name: '1732590004250-0', bytes: json({ type: 'workflow.completed' }), fields: {} },
      { kind: 'snapshot', name: '2', bytes: json({ at: 2, state: { step: 'fetchUser' } }) },
      { kind: 'blob', name: 'empty', bytes: new Uint8Array(0) },
      { kind: 'blob', name: 'sha256:all-bytes', bytes: allBytes },
      { kind: 'meta', name: 'ünïcødé ✓ 🚀 名前', bytes: utf8.encode('{"note":"ζ"}'), fields: { 'clé ✓': 'valeur 🚀' } },
    ],
  };
}

function randomString(random: () => number, maxLength: number): string {
  const length = Math.floor(random() * (maxLength + 1));
  let text = '';
  for (let i = 0; i < length; i += 1) {
    const pick = random();
    if (pick < 0.7) text += String.fromCharCode(0x20 + Math.floor(random() * 95));
    else if (pick < 0.9) text += String.fromCodePoint(0xa0 + Math.floor(random() * 0x2000));
    else text += String.fromCodePoint(0x1f300 + Math.floor(random() * 0x200));
  }
  return text;
}

function randomEntry(random: () => number, maxBytes: number): ArchiveEntry {
  const kind = ARCHIVE_ENTRY_KINDS[Math.floor(random() * ARCHIVE_ENTRY_KINDS.length)] ?? 'blob';
  const bytes = new Uint8Array(Math.floor(random() ** 3 * maxBytes));
  // Half the entries compress well (repeated text), half not (noise).
  if (random() < 0.5) {
    const unit = utf8.encode(`{"k":"${randomString(random, 8)}"},`);
    for (let i = 0; i < bytes.length; i += 1) bytes[i] = unit[i % unit.length] ?? 0;
  } else {
    for (let i = 0; i < bytes.length; i += 1) bytes[i] = Math.floor(random() * 256);
  }
  const entry: ArchiveEntry = { kind, name: randomString(random, 24), bytes };
  if (random() < 0.4) {
    const fields: Record<string, string> = {};
    const count = Math.floor(random() * 4);
    for (let i = 0; i < count; i += 1) fields[randomString(random, 10)] = randomString(random, 30);
    entry.fields = fields;
  }
  return entry;
}

/** A random archive of up to `maxEntries` entries of up to `maxBytes` bytes each. */
export function randomExecutionArchive(random: () => number, maxEntries = 20, maxBytes = 4096): ExecutionArchive {
  const entries: ArchiveEntry[] = [];
  const count = Math.floor(random() * (maxEntries + 1));
  for (let i = 0; i < count; i += 1) entries.push(randomEntry(random, maxBytes));
  const createdAtMs = Math.floor(random() * 4_000_000_000_000);
  const archive: ExecutionArchive = {
    tenantId: randomString(random, 12) || 't',
    executionId: randomString(random, 30) || 'e',
    workflowId: randomString(random, 20),
    status: randomString(random, 10),
    createdAtMs,
    archivedAtMs: createdAtMs + Math.floor(random() * 1e9),
    entries,
  };
  if (random() < 0.7) archive.finishedAtMs = createdAtMs + Math.floor(random() * 1e6);
  return archive;
}
