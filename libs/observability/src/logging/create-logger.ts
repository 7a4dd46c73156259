import { pino, type DestinationStream, type Logger } from 'pino';

/** The levels `LOG_LEVEL` accepts, most verbose first. */
export const LOG_LEVELS = ['trace', 'debug', 'info', 'warn', 'error', 'fatal', 'silent'] as const;

/** A name of {@link LOG_LEVELS}. */
export type LogLevel = (typeof LOG_LEVELS)[number];

/** Options of {@link createLogger}. */
export interface LoggerOptions {
  /** Level to log at. Default: `env.LOG_LEVEL`, else `info`. */
  readonly level?: string;
  /** Where `LOG_LEVEL` is read from when `level` is not given. Default `process.env`. */
  readonly env?: Readonly<Record<string, string | undefined>>;
  /** Where lines go. Default stdout. Tests pass a stream to read the lines back. */
  readonly destination?: DestinationStream;
}

/** `LOG_LEVEL` (or `options.level`) is not one of {@link LOG_LEVELS}. */
export class LogLevelError extends Error {
  readonly code = 'INVALID_LOG_LEVEL';

  constructor(readonly level: string) {
    super(`LOG_LEVEL "${level}" is not a level: use one of ${LOG_LEVELS.join(', ')}`);
    this.name = 'LogLevelError';
  }
}

function isLogLevel(text: string): text is LogLevel {
  return (LOG_LEVELS as readonly string[]).includes(text);
}

/**
 * Builds the JSON logger of a service: every line carries `service`, an ISO `time` and the
 * level name. By convention, code that works on one execution logs through
 * {@link withTaskContext} so lines carry `executionId`, `taskId`, `workflowId` and `tenantId`.
 * Payload contents are never logged, only their sizes.
 */
export function createLogger(service: string, options: LoggerOptions = {}): Logger {
  const level = (options.level ?? (options.env ?? process.env)['LOG_LEVEL'] ?? 'info').trim().toLowerCase();
  if (!isLogLevel(level)) throw new LogLevelError(level);
  const settings = {
    level,
    base: { service },
    timestamp: pino.stdTimeFunctions.isoTime,
    formatters: { level: (label: string) => ({ level: label }) },
  };
  return options.destination ? pino(settings, options.destination) : pino(settings);
}

/** The ids a log line about one task carries (any may be absent). */
export interface TaskLogContext {
  readonly executionId?: string;
  readonly taskId?: string;
  readonly workflowId?: string;
  readonly tenantId?: string;
}

/** A child logger whose lines carry the given execution/task ids (empty ones left out). */
export function withTaskContext(logger: Logger, context: TaskLogContext): Logger {
  const bindings = Object.fromEntries(Object.entries(context).filter(([, value]) => value !== undefined && value !== ''));
  return logger.child(bindings);
}
