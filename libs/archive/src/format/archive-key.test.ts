import { describe, expect, test } from 'vitest';
import { InvalidArchiveKeyError } from '../errors.js';
import { archiveKey, archiveTenantPrefix, parseArchiveKey } from './archive-key.js';

describe('archiveKey', () => {
  test('files an archive under its tenant and UTC creation day', () => {
    // 2024-11-26T03:00:00Z
    expect(archiveKey('acme', 'exec-1', Date.UTC(2024, 10, 26, 3))).toBe('acme/2024/11/26/exec-1.flunqarc');
    expect(archiveKey('acme', 'exec-1', Date.UTC(2024, 0, 1) - 1)).toBe('acme/2023/12/31/exec-1.flunqarc');
    expect(archiveKey('t', 'ünï-✓', 0)).toBe('t/1970/01/01/ünï-✓.flunqarc');
  });

  test.each([
    ['', 'x'],
    ['a/b', 'x'],
    ['a\\b', 'x'],
    ['..', 'x'],
    ['a..b', 'x'],
    ['.hidden', 'x'],
    ['tab\there', 'x'],
    ['nul\u0000', 'x'],
    ['del\u007f', 'x'],
    ['x'.repeat(201), 'x'],
    ['acme', ''],
    ['acme', '../etc/passwd'],
    ['acme', 'line\nbreak'],
    ['acme', 'y'.repeat(201)],
  ])('refuses tenant %j / execution %j', (tenantId, executionId) => {
    expect(() => archiveKey(tenantId, executionId, 0)).toThrow(InvalidArchiveKeyError);
  });

  test('accepts ids of exactly 200 characters', () => {
    expect(archiveKey('t'.repeat(200), 'e'.repeat(200), 0)).toHaveLength(200 + 12 + 200 + 9);
  });

  test('refuses creation times that are not a date in years 0..9999', () => {
    for (const time of [Number.NaN, Number.POSITIVE_INFINITY, 8.64e15 + 1, Date.UTC(10_000, 0, 1)]) {
      expect(() => archiveKey('a', 'b', time), String(time)).toThrow(InvalidArchiveKeyError);
    }
  });

  test('parseArchiveKey reads back what archiveKey made, and nothing else', () => {
    expect(parseArchiveKey(archiveKey('acme', 'exec-1', Date.UTC(2025, 1, 3)))).toEqual({ tenantId: 'acme', executionId: 'exec-1', day: '2025-02-03' });
    expect(parseArchiveKey('acme/2025/02/03/exec-1.tar')).toBeUndefined();
    expect(parseArchiveKey('acme/2025/02/exec-1.flunqarc')).toBeUndefined();
    expect(parseArchiveKey('.acme/2025/02/03/exec-1.flunqarc')).toBeUndefined();
  });

  test('archiveTenantPrefix', () => {
    expect(archiveTenantPrefix('acme')).toBe('acme/');
    expect(() => archiveTenantPrefix('a/b')).toThrow(InvalidArchiveKeyError);
  });
});
