import { readFileSync } from 'node:fs';
import { describe, expect, test } from 'vitest';
import type { ArchiveEntry, ExecutionArchive } from './archive-types.js';
import { decodeArchive, decodeArchiveAsync, readManifest } from './decode-archive.js';
import { readHeader } from './header.js';

/**
 * fixtures/v1-sample.flunqarc (brotli) and v1-sample-none.flunqarc (codec none) were
 * written by the format version 1 encoder, before version 2 existed; v1-sample.json is
 * what they hold (entry bytes in base64). They must stay readable.
 */
const fixture = (name: string): Uint8Array => new Uint8Array(readFileSync(new URL(`./fixtures/${name}`, import.meta.url)));

interface ExpectedEntry extends Omit<ArchiveEntry, 'bytes'> {
  base64: string;
}

function expected(): ExecutionArchive {
  const json = JSON.parse(readFileSync(new URL('./fixtures/v1-sample.json', import.meta.url), 'utf8')) as Omit<ExecutionArchive, 'entries'> & { entries: ExpectedEntry[] };
  return { ...json, entries: json.entries.map(({ base64, ...entry }) => ({ ...entry, bytes: new Uint8Array(Buffer.from(base64, 'base64')) })) };
}

/** Entries compared field by field and byte by byte. */
function comparable(archive: ExecutionArchive): unknown {
  return { ...archive, entries: archive.entries.map((entry) => ({ ...entry, bytes: Buffer.from(entry.bytes).toString('hex') })) };
}

describe('format version 1 stays readable', () => {
  test.each(['v1-sample.flunqarc', 'v1-sample-none.flunqarc'])('%s decodes to the exact entries', async (name) => {
    const bytes = fixture(name);
    expect(readHeader(bytes).version).toBe(1);
    expect(comparable(decodeArchive(bytes))).toEqual(comparable(expected()));
    expect(comparable(await decodeArchiveAsync(bytes))).toEqual(comparable(expected()));
  });

  test('readManifest gives offsets and per-entry sha256, no dataSha256', () => {
    const bytes = fixture('v1-sample.flunqarc');
    const manifest = readManifest(bytes);
    const want = expected();
    expect(manifest).toMatchObject({ format: 1, codec: 'brotli', tenantId: want.tenantId, executionId: want.executionId });
    expect(manifest.dataSha256).toBeUndefined();
    let offset = 0;
    manifest.entries.forEach((entry, i) => {
      const bytesOf = want.entries[i]?.bytes ?? new Uint8Array(0);
      expect(entry).toMatchObject({ kind: want.entries[i]?.kind, name: want.entries[i]?.name, offset, length: bytesOf.length });
      expect(entry.sha256).toMatch(/^[0-9a-f]{64}$/);
      offset += bytesOf.length;
    });
    expect(manifest.entries.map((entry) => entry.kind)).toEqual(expect.arrayContaining(['state', 'event', 'snapshot', 'blob', 'meta']));
  });
});
