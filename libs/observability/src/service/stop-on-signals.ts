import type { Logger } from 'pino';

/** A running service that can be stopped gracefully. */
export interface Stoppable {
  /** Stops taking work, finishes or hands back what is in flight, releases connections. */
  close(): Promise<void>;
}

/** Options of {@link stopOnSignals}; the defaults are the real process's. */
export interface StopOnSignalsOptions {
  /** The signals that stop the service; default SIGTERM and SIGINT. */
  readonly signals?: readonly NodeJS.Signals[];
  /** Where the signals are heard; default `process`. */
  readonly emitter?: Pick<NodeJS.EventEmitter, 'once'>;
  /** Ends the process with a code; default `process.exit`. */
  readonly exit?: (code: number) => void;
}

/**
 * Stops `service` gracefully on the first of `signals` (SIGTERM, SIGINT): logs
 * `<name> stopping` (with the signal), awaits `service.close()`, logs `<name> stopped` and
 * exits 0; when `close()` fails, logs `<name> did not stop cleanly` and exits 1. A signal
 * that comes while stopping is ignored. Each signal is listened to once, so a second SIGTERM
 * or SIGINT after the first ends the process the default way.
 *
 * Returns the stop function the signals call, for tests and other triggers.
 *
 * @example
 * const worker = await startWorker(config, logger);
 * logger.info('worker started');
 * stopOnSignals('worker', worker, logger);
 */
export function stopOnSignals(name: string, service: Stoppable, logger: Logger, options: StopOnSignalsOptions = {}): (signal: string) => Promise<void> {
  const { signals = ['SIGTERM', 'SIGINT'], emitter = process, exit = (code: number) => process.exit(code) } = options;
  let stopping = false;
  const stop = async (signal: string): Promise<void> => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, `${name} stopping`);
    try {
      await service.close();
      logger.info(`${name} stopped`);
      exit(0);
    } catch (error) {
      logger.error({ err: error }, `${name} did not stop cleanly`);
      exit(1);
    }
  };
  for (const signal of signals) emitter.once(signal, () => void stop(signal));
  return stop;
}
