/** The executor URL used when no setting says otherwise. */
export const DEFAULT_EXECUTOR_URL = 'http://127.0.0.1:50051';

/** `FLUNQ_EXECUTOR_URL` or `FLUNQ_EXECUTOR_ROUTES` cannot be read; `problems` names every bad part. */
export class ExecutorRoutesError extends Error {
  readonly code = 'INVALID_EXECUTOR_ROUTES';

  constructor(readonly problems: readonly string[]) {
    super(`invalid executor routing: ${problems.join('; ')}`);
    this.name = 'ExecutorRoutesError';
  }
}

/**
 * Which executor serves which task: a default URL plus routes by function name (for
 * `call.function`) or by task type (e.g. `call.http`).
 */
export class ExecutorDirectory {
  constructor(
    readonly defaultUrl: string,
    readonly routes: ReadonlyMap<string, string> = new Map(),
  ) {}

  /** The executor URL of a task: the route of its function (for `call.function`), else of its task type, else the default. */
  urlFor(taskType: string, functionName?: string): string {
    const byFunction = taskType === 'call.function' && functionName ? this.routes.get(functionName) : undefined;
    return byFunction ?? this.routes.get(taskType) ?? this.defaultUrl;
  }

  /** Every distinct executor URL (default first), e.g. to open clients or check readiness. */
  urls(): string[] {
    return [...new Set([this.defaultUrl, ...this.routes.values()])];
  }
}

function urlProblem(url: string, where: string): string | undefined {
  try {
    const parsed = new URL(url);
    if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') return `${where}: "${url}" is not an http(s) URL`;
    return undefined;
  } catch {
    return `${where}: "${url}" is not a URL`;
  }
}

const NAME = /^[A-Za-z_][\w.-]*$/;

/**
 * Reads the worker's executor settings: `FLUNQ_EXECUTOR_URL` (default for every task,
 * default `http://127.0.0.1:50051`) and `FLUNQ_EXECUTOR_ROUTES`, comma-separated
 * `name=url` pairs where name is a function name or a task type
 * (`sendEmail=http://mail:50051,call.http=http://egress:50051`). Throws
 * {@link ExecutorRoutesError} listing every malformed part.
 */
export function parseExecutorRoutes(env: Readonly<Record<string, string | undefined>>): ExecutorDirectory {
  const problems: string[] = [];
  const defaultUrl = env['FLUNQ_EXECUTOR_URL']?.trim() || DEFAULT_EXECUTOR_URL;
  const defaultProblem = urlProblem(defaultUrl, 'FLUNQ_EXECUTOR_URL');
  if (defaultProblem) problems.push(defaultProblem);
  const routes = new Map<string, string>();
  const entries = (env['FLUNQ_EXECUTOR_ROUTES'] ?? '').split(',').map((e) => e.trim()).filter(Boolean);
  for (const entry of entries) {
    const at = entry.indexOf('=');
    const name = entry.slice(0, Math.max(at, 0)).trim();
    const url = entry.slice(at + 1).trim();
    const where = `FLUNQ_EXECUTOR_ROUTES entry "${entry}"`;
    if (at <= 0 || !NAME.test(name)) problems.push(`${where}: expected name=url with a function name or task type`);
    else if (routes.has(name)) problems.push(`${where}: "${name}" is routed twice`);
    else {
      const problem = urlProblem(url, where);
      if (problem) problems.push(problem);
      else routes.set(name, url);
    }
  }
  if (problems.length) throw new ExecutorRoutesError(problems);
  return new ExecutorDirectory(defaultUrl, routes);
}
