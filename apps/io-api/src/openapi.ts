import { readFileSync } from 'node:fs';
import { parse } from 'yaml';

/** Where the OpenAPI document sits: `apps/io-api/openapi.yaml`. */
export const OPENAPI_PATH = new URL('../openapi.yaml', import.meta.url);

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
type JsonObject = { [key: string]: Json };

/** One operation of the document, with what Fastify needs to validate and serialize it. */
export interface OperationSchemas {
  readonly method: string;
  /** OpenAPI path, e.g. `/api/v1/{tenant}/executions/{executionId}`. */
  readonly path: string;
  /** Fastify path, e.g. `/api/v1/:tenant/executions/:executionId`. */
  readonly url: string;
  readonly operationId: string;
  readonly schema: {
    params?: JsonObject;
    querystring?: JsonObject;
    body?: JsonObject;
    response: Record<string, JsonObject>;
  };
}

const isObject = (value: unknown): value is JsonObject => typeof value === 'object' && value !== null && !Array.isArray(value);

// OpenAPI-only keywords that a JSON Schema validator (ajv, strict) does not know.
const NOT_SCHEMA = new Set(['example', 'x-sse-data']);

/** `value` with every local `$ref` replaced by what it points to (the document has no cycles). */
export function dereference(document: JsonObject, value: Json, seen: readonly string[] = []): Json {
  if (Array.isArray(value)) return value.map((item) => dereference(document, item, seen));
  if (!isObject(value)) return value;
  const ref = value['$ref'];
  if (typeof ref === 'string') {
    if (!ref.startsWith('#/')) throw new Error(`openapi: only local $ref are supported, got ${ref}`);
    if (seen.includes(ref)) throw new Error(`openapi: $ref cycle through ${ref}`);
    let target: Json | undefined = document;
    for (const part of ref.slice(2).split('/')) target = isObject(target) ? target[part.replace(/~1/g, '/').replace(/~0/g, '~')] : undefined;
    if (target === undefined) throw new Error(`openapi: unresolved $ref ${ref}`);
    return dereference(document, target, [...seen, ref]);
  }
  return Object.fromEntries(Object.entries(value).filter(([key]) => !NOT_SCHEMA.has(key)).map(([key, item]) => [key, dereference(document, item, seen)]));
}

/** Reads and parses the document. */
export function loadOpenApi(path: URL = OPENAPI_PATH): JsonObject {
  const document = parse(readFileSync(path, 'utf8')) as unknown;
  if (!isObject(document) || typeof document['openapi'] !== 'string' || !document['openapi'].startsWith('3.1')) throw new Error(`${path.pathname} is not an OpenAPI 3.1 document`);
  return document;
}

function parameterSchema(parameters: Json[], where: 'path' | 'query'): JsonObject | undefined {
  const chosen = parameters.filter((p): p is JsonObject => isObject(p) && p['in'] === where);
  if (!chosen.length) return undefined;
  const properties = Object.fromEntries(chosen.map((p) => [String(p['name']), (p['schema'] ?? {}) as Json]));
  const required = chosen.filter((p) => p['required'] === true).map((p) => String(p['name']));
  return { type: 'object', properties, ...(required.length ? { required } : {}), additionalProperties: where === 'path' };
}

/**
 * Every operation served by the REST app (paths under `/api/`), with Fastify schemas taken
 * from the document: path and query parameters, the request body (the first content type's
 * schema: every content type of one operation shares it) and each response by status and
 * content type.
 */
export function operations(document: JsonObject): OperationSchemas[] {
  const resolved = dereference(document, document) as JsonObject;
  const paths = resolved['paths'] as Record<string, JsonObject>;
  const result: OperationSchemas[] = [];
  for (const [path, item] of Object.entries(paths)) {
    if (!path.startsWith('/api/')) continue;
    const shared = (item['parameters'] as Json[] | undefined) ?? [];
    for (const method of ['get', 'post', 'put', 'patch', 'delete']) {
      const operation = item[method];
      if (!isObject(operation)) continue;
      const parameters = [...shared, ...((operation['parameters'] as Json[] | undefined) ?? [])];
      const requestBody = operation['requestBody'];
      const content = isObject(requestBody) && isObject(requestBody['content']) ? Object.values(requestBody['content']) : [];
      const body = content.find(isObject)?.['schema'];
      const response: Record<string, JsonObject> = {};
      for (const [status, answer] of Object.entries(operation['responses'] as JsonObject)) {
        const types = isObject(answer) && isObject(answer['content']) ? answer['content'] : {};
        const byType = Object.fromEntries(
          Object.entries(types)
            .filter(([type]) => type !== 'text/event-stream')
            .map(([type, media]) => [type, { schema: (isObject(media) ? media['schema'] : undefined) ?? {} }]),
        );
        if (Object.keys(byType).length) response[status] = { content: byType as Json };
      }
      const params = parameterSchema(parameters, 'path');
      const querystring = parameterSchema(parameters, 'query');
      result.push({
        method: method.toUpperCase(),
        path,
        url: path.replace(/\{([^}]+)\}/g, ':$1'),
        operationId: String(operation['operationId']),
        schema: { ...(params ? { params } : {}), ...(querystring ? { querystring } : {}), ...(isObject(body) ? { body } : {}), response },
      });
    }
  }
  return result;
}
