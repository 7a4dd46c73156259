import { readFileSync } from 'node:fs';
import { Ajv2020, type ValidateFunction } from 'ajv/dist/2020.js';
import addFormatsModule from 'ajv-formats';
import { parse } from 'yaml';

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
type JsonObject = { [key: string]: Json };
const isObject = (v: unknown): v is JsonObject => typeof v === 'object' && v !== null && !Array.isArray(v);
const addFormats = addFormatsModule as unknown as (ajv: Ajv2020) => void;

/** The document as the tests read it (independently of the app's loader). */
export const document = parse(readFileSync(new URL('../openapi.yaml', import.meta.url), 'utf8')) as JsonObject;

function resolve(value: Json): Json {
  if (Array.isArray(value)) return value.map(resolve);
  if (!isObject(value)) return value;
  if (typeof value['$ref'] === 'string') {
    const target = value['$ref'].slice(2).split('/').reduce<Json | undefined>((node, part) => (isObject(node) ? node[part] : undefined), document);
    if (target === undefined) throw new Error(`unresolved ${value['$ref']}`);
    return resolve(target);
  }
  return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, resolve(v)]));
}

/** An operation of the document. */
export interface DocumentedOperation {
  readonly method: string;
  readonly template: string;
  readonly operation: JsonObject;
}

export const documentedOperations: DocumentedOperation[] = Object.entries(document['paths'] as JsonObject).flatMap(([template, item]) =>
  ['get', 'post', 'put', 'patch', 'delete'].filter((m) => isObject((item as JsonObject)[m])).map((m) => ({ method: m.toUpperCase(), template, operation: resolve((item as JsonObject)[m]!) as JsonObject })),
);

const ajv = new Ajv2020({ strict: true, strictTypes: false, allErrors: true });
addFormats(ajv);
const compiled = new Map<string, ValidateFunction>();
function validator(key: string, schema: Json): ValidateFunction {
  let validate = compiled.get(key);
  if (!validate) compiled.set(key, (validate = ajv.compile(schema as object)));
  return validate;
}

/** The documented operation a request path falls under (static segments win over parameters). */
export function operationFor(method: string, path: string): DocumentedOperation | undefined {
  const candidates = documentedOperations.filter((op) => op.method === method && new RegExp(`^${op.template.replace(/\{[^}]+\}/g, '[^/]+')}$`).test(path));
  return candidates.sort((a, b) => (a.template.match(/\{/g)?.length ?? 0) - (b.template.match(/\{/g)?.length ?? 0))[0];
}

/** Every way a response departs from the document (empty when it matches). */
export function responseProblems(method: string, path: string, status: number, contentType: string, body: unknown): string[] {
  const op = operationFor(method, path.split('?')[0]!);
  if (!op) return [`${method} ${path} is not in openapi.yaml`];
  const where = `${method} ${op.template} ${status}`;
  const response = (op.operation['responses'] as JsonObject)[String(status)];
  if (!isObject(response)) return [`${where}: status ${status} is not documented`];
  const type = contentType.split(';')[0]!.trim();
  const media = isObject(response['content']) ? response['content'][type] : undefined;
  if (!isObject(media)) return [`${where}: content type ${type} is not documented`];
  if (type === 'text/event-stream') return [];
  const validate = validator(`${where} ${type}`, media['schema'] ?? {});
  return validate(body) ? [] : (validate.errors ?? []).map((e) => `${where}: ${e.instancePath || '/'} ${e.message} ${JSON.stringify(e.params)}`);
}

/** Departures of one SSE message's `data` from the documented `x-sse-data` schema. */
export function sseDataProblems(path: string, data: unknown): string[] {
  const op = operationFor('GET', path.split('?')[0]!);
  const media = ((op?.operation['responses'] as JsonObject)['200'] as JsonObject)['content'] as JsonObject;
  const schema = (media['text/event-stream'] as JsonObject)['x-sse-data'];
  const validate = validator(`sse ${op?.template}`, schema ?? {});
  return validate(data) ? [] : (validate.errors ?? []).map((e) => `SSE data ${e.instancePath || '/'} ${e.message}`);
}
