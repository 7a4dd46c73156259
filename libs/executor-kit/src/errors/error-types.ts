/**
 * The DSL 1.0 standard error types with their default status codes. Mirrors
 * `STANDARD_ERROR_TYPES` of `@flunq/dsl`: this lib is depended on by teams outside the
 * engine and must not pull in the DSL (and the workspace's layer test forbids lib -> lib).
 * tools/architecture/test/mirrored-tables.test.ts keeps the copy exact.
 */
export const ERROR_TYPE_STATUS = {
  configuration: 400,
  validation: 400,
  expression: 400,
  authentication: 401,
  authorization: 403,
  timeout: 408,
  communication: 500,
  runtime: 500,
} as const;

/** A DSL standard error type name, e.g. `communication`. */
export type ErrorTypeName = keyof typeof ERROR_TYPE_STATUS;

const URI_PREFIX = 'https://serverlessworkflow.io/spec/1.0.0/errors/';
const STANDARD_URI = /^https?:\/\/[^/]+(?:\/[^/]+)*\/errors\/(?:types\/)?([a-z]+)$/;

/** True when `name` is a standard error type name. */
export function isErrorTypeName(name: string): name is ErrorTypeName {
  return Object.hasOwn(ERROR_TYPE_STATUS, name);
}

/** The spec URI of a standard type, e.g. `https://serverlessworkflow.io/spec/1.0.0/errors/timeout`. */
export function errorTypeUri(name: ErrorTypeName): string {
  return `${URI_PREFIX}${name}`;
}

/** The standard type name a URI stands for (any published spelling), or undefined for custom types. */
export function errorTypeNameOf(uri: string): ErrorTypeName | undefined {
  const name = STANDARD_URI.exec(uri)?.[1];
  return name !== undefined && isErrorTypeName(name) ? name : undefined;
}

/**
 * Turns a standard name into its URI and keeps any absolute URI (custom types) as is.
 * Throws TypeError on anything else, naming the accepted names.
 */
export function resolveErrorType(type: string): string {
  if (isErrorTypeName(type)) return errorTypeUri(type);
  if (/^[a-z][a-z0-9+.-]*:\S+$/i.test(type)) return type;
  throw new TypeError(`error type "${type}" is neither a URI nor one of ${Object.keys(ERROR_TYPE_STATUS).join(', ')}`);
}
