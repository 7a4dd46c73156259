import { DefinitionError } from '@flunq/dsl';
import { DefinitionNotFoundError, ExecutionNotFoundError } from '@flunq/engine';
import { DefinitionConflictError, DefinitionTooLargeError, InvalidArgumentError, InvalidIdError, StorageFailureError } from '@flunq/redis-store';
import { CircularReferenceError, CorruptedDataError, PayloadTooLargeError, SerializationError, UnsupportedValueError } from '@flunq/serializer';

/** Base of every problem `type` URI: `https://flunq.io/problems/<name>`. */
export const PROBLEM_BASE = 'https://flunq.io/problems/';

/** The problem names io-api answers with; stable, part of the API (see openapi.yaml). */
export type ProblemName =
  | 'unauthorized'
  | 'not-found'
  | 'bad-request'
  | 'invalid-definition'
  | 'definition-conflict'
  | 'payload-too-large'
  | 'unsupported-media-type'
  | 'invalid-input'
  | 'storage-unavailable'
  | 'corrupted-data'
  | 'internal';

const TITLES: Record<ProblemName, string> = {
  unauthorized: 'Unauthorized',
  'not-found': 'Not Found',
  'bad-request': 'Bad Request',
  'invalid-definition': 'Invalid workflow definition',
  'definition-conflict': 'Definition version already registered with another text',
  'payload-too-large': 'Payload Too Large',
  'unsupported-media-type': 'Unsupported Media Type',
  'invalid-input': 'Input is not JSON data',
  'storage-unavailable': 'Storage Unavailable',
  'corrupted-data': 'Stored data cannot be read',
  internal: 'Internal Server Error',
};

/** An RFC 7807 problem body. */
export interface ProblemBody {
  readonly type: string;
  readonly title: string;
  readonly status: number;
  readonly detail: string;
  readonly instance: string;
  readonly [extension: string]: unknown;
}

/** A failure to answer with `application/problem+json`; thrown by handlers, rendered by the app's error handler. */
export class ApiProblem extends Error {
  constructor(
    readonly status: number,
    readonly problem: ProblemName,
    detail: string,
    /** Extension members (`errors`, `limit`, `size`, ...). */
    readonly extensions: Readonly<Record<string, unknown>> = {},
    readonly headers: Readonly<Record<string, string>> = {},
  ) {
    super(detail);
    this.name = 'ApiProblem';
  }

  /** The body, with `instance` the request's path. */
  body(instance: string): ProblemBody {
    return { type: `${PROBLEM_BASE}${this.problem}`, title: TITLES[this.problem], status: this.status, detail: this.message, instance, ...this.extensions };
  }
}

/** 404: the same body whether the thing is missing or belongs to another tenant. */
export const notFound = (what: string): ApiProblem => new ApiProblem(404, 'not-found', `${what} not found`);

/** 401 with `WWW-Authenticate: Bearer`. */
export const unauthorized = (detail: string): ApiProblem =>
  new ApiProblem(401, 'unauthorized', detail, {}, { 'www-authenticate': 'Bearer realm="flunq-io", error="invalid_token"' });

/** 400 for a request that does not match the route's schema or cannot be parsed. */
export const badRequest = (detail: string, errors: { path: string; message: string }[] = []): ApiProblem =>
  new ApiProblem(400, 'bad-request', detail, errors.length ? { errors } : {});

/**
 * Maps what the engine, store, DSL and serializer throw to a problem; undefined for
 * anything unexpected (a 500 whose detail names no internals).
 */
export function problemOf(error: unknown): ApiProblem | undefined {
  if (error instanceof ApiProblem) return error;
  if (error instanceof DefinitionError) {
    const errors = error.problems.map((p) => ({ path: p.path, ...(p.line === undefined ? {} : { line: p.line }), ...(p.column === undefined ? {} : { column: p.column }), message: p.message }));
    return new ApiProblem(400, 'invalid-definition', `the workflow definition has ${errors.length} problem${errors.length === 1 ? '' : 's'}`, { errors });
  }
  if (error instanceof DefinitionConflictError) {
    return new ApiProblem(409, 'definition-conflict', `workflow ${error.workflowId} version ${error.version} is already registered with a different text; versions are immutable, register a new version`, {
      workflow_id: error.workflowId,
      version: error.version,
      sha256: error.storedSha256,
      attempted_sha256: error.attemptedSha256,
    });
  }
  if (error instanceof DefinitionTooLargeError) {
    return new ApiProblem(413, 'payload-too-large', `the definition is ${error.sizeBytes} bytes, over the limit of ${error.limitBytes} bytes`, { limit: error.limitBytes, size: error.sizeBytes });
  }
  if (error instanceof PayloadTooLargeError) {
    return new ApiProblem(413, 'payload-too-large', error.message, { limit: error.limit, size: error.size, limit_name: error.limitName, path: error.path });
  }
  if (error instanceof CircularReferenceError || error instanceof UnsupportedValueError) return new ApiProblem(400, 'invalid-input', error.message, { path: error.path });
  if (error instanceof DefinitionNotFoundError) return notFound(`workflow ${error.workflowId}${error.version ? ` version ${error.version}` : ''}`);
  if (error instanceof ExecutionNotFoundError) return notFound(`execution ${error.executionId}`);
  if (error instanceof InvalidIdError) return badRequest(error.message);
  if (error instanceof InvalidArgumentError) return badRequest(error.message, [{ path: error.argument, message: error.reason }]);
  if (error instanceof StorageFailureError) return new ApiProblem(503, 'storage-unavailable', 'the store did not answer; try again');
  if (error instanceof CorruptedDataError || error instanceof SerializationError) return new ApiProblem(500, 'corrupted-data', error.message);
  return undefined;
}
