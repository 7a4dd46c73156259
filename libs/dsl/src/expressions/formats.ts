import { JqRuntimeError } from './expression-error.js';
import { describe, toJson, typeOf } from './values.js';

/** jq's `tostring`: strings as is, anything else as compact JSON. */
export const toText = (v: unknown): string => (typeof v === 'string' ? v : toJson(v));

const HTML: Record<string, string> = { '<': '&lt;', '>': '&gt;', '&': '&amp;', "'": '&apos;', '"': '&quot;' };
const csvCell = (v: unknown, tsv: boolean): string => {
  if (typeof v === 'number') return String(v);
  if (typeof v === 'boolean') return String(v);
  if (v === null) return '';
  if (typeof v === 'string') return tsv ? v.replace(/[\\\t\n\r]/g, (c) => ({ '\\': '\\\\', '\t': '\\t', '\n': '\\n', '\r': '\\r' })[c] ?? c) : `"${v.replace(/"/g, '""')}"`;
  throw new JqRuntimeError(`${describe(v)} is not valid in a csv row`);
};

/** The supported `@format` names. */
export const FORMATS = new Set(['text', 'json', 'html', 'uri', 'base64', 'base64d', 'csv', 'tsv', 'sh']);

/** Applies a `@format` to a value (strings interpolated into `@fmt "..."` go through it too). */
export function formatValue(name: string, v: unknown): string {
  switch (name) {
    case 'text': return toText(v);
    case 'json': return toJson(v);
    case 'html': return toText(v).replace(/[<>&'"]/g, (c) => HTML[c] ?? c);
    case 'uri': return [...new TextEncoder().encode(toText(v))].map((b) => {
      const c = String.fromCharCode(b);
      return /[A-Za-z0-9\-_.~]/.test(c) ? c : `%${b.toString(16).toUpperCase().padStart(2, '0')}`;
    }).join('');
    case 'base64': return Buffer.from(toText(v), 'utf8').toString('base64');
    case 'base64d': {
      const t = toText(v);
      if (!/^[A-Za-z0-9+/]*={0,2}$/.test(t)) throw new JqRuntimeError(`${describe(v)} is not valid base64 data`);
      if (t.replace(/=+$/, '').length % 4 === 1) throw new JqRuntimeError(`${describe(v)} trailing base64 byte found`);
      return Buffer.from(t, 'base64').toString('utf8');
    }
    case 'csv': case 'tsv': {
      if (!Array.isArray(v)) throw new JqRuntimeError(`${describe(v)} cannot be ${name}-formatted, only an array can be`);
      return v.map((c) => csvCell(c, name === 'tsv')).join(name === 'csv' ? ',' : '\t');
    }
    case 'sh': {
      const one = (x: unknown): string => {
        if (typeof x === 'string') return `'${x.replace(/'/g, "'\\''")}'`;
        if (typeOf(x) === 'array' || typeOf(x) === 'object') throw new JqRuntimeError(`${describe(x)} can not be escaped for shell`);
        return toJson(x);
      };
      return Array.isArray(v) ? v.map(one).join(' ') : one(v);
    }
    default: throw new JqRuntimeError(`${name} is not a valid format`);
  }
}
