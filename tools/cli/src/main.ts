#!/usr/bin/env node
/**
 * `npm run flunq -- <command>`: register definitions, start, inspect and cancel executions.
 * Talks to Redis with the worker's settings (REDIS_URL, FLUNQ_KEY_PREFIX, FLUNQ_QUEUE_PREFIX).
 */
import { parseArgs } from 'node:util';
import { events, readInput, register, show, stateAtEvent, UsageError, waitForEnd } from './commands.js';
import { rebuildSearchIndex } from '@flunq/engine';
import { parseDuration } from '@flunq/serializer';
import { connect } from './connection.js';
import { archived, jobsStatus, restore, runJob, showJob } from './maintenance-commands.js';

/** `--ttl`: seconds, or with a unit (`30m`, `7d`), as the services' duration settings. */
function parseDurationMs(text: string): number {
  const ms = parseDuration(text);
  if (ms === undefined || ms < 0) throw new UsageError(`--ttl wants a duration such as 3600, 30m or 7d, got ${JSON.stringify(text)}`);
  return ms;
}

const USAGE = `usage: npm run flunq -- <command> [options]
  register <file.yaml|json>                 register a workflow definition (its document.name and version)
  start <workflow> [--input JSON | --input-file F] [--version V] [--correlation-id C] [--wait] [--timeout 60]
  show <execution> [--at N]                 the execution's state (the seed's JSON shape); --at: as it was after event N
  replay <execution> [--input JSON | --from-task /do/2/x | --from-event N]   run it again (a new execution)
  events <execution>                        its events, in order
  cancel <execution> [--reason R]           stop it, in-flight task included
  reindex <tenant>                          rebuild the tenant's content search from the stored states (here, now)
  jobs run <retention|compression|reindex [tenant]|migration [--dry-run]> [--wait]
                                            queue a maintenance run on the workers; --wait: its report
  jobs status                               the job schedules and the latest runs with their reports
  jobs show <job id>                        one run: its progress, or its report once done
  archived <execution>                      where an archived execution is and what its archive holds
  restore <execution> [--ttl 1d]            bring an archived execution back into Redis, byte for byte
options: --tenant T (default "default")`;

async function run(argv: string[]): Promise<unknown> {
  const { positionals, values } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      tenant: { type: 'string', default: 'default' },
      input: { type: 'string' },
      'input-file': { type: 'string' },
      version: { type: 'string' },
      'correlation-id': { type: 'string' },
      wait: { type: 'boolean', default: false },
      timeout: { type: 'string', default: '60' },
      reason: { type: 'string' },
      at: { type: 'string' },
      ttl: { type: 'string', default: '0' },
      'dry-run': { type: 'boolean', default: false },
      'from-task': { type: 'string' },
      'from-event': { type: 'string' },
      help: { type: 'boolean', default: false },
    },
  });
  const [command, target, third] = positionals;
  if (values.help || !command) return USAGE;
  if (!target) throw new UsageError(`${command} needs an argument\n${USAGE}`);
  const c = connect();
  try {
    switch (command) {
      case 'register':
        return await register(c, values.tenant, target);
      case 'start': {
        const input = await readInput(values.input, values['input-file']);
        const started = await c.client.startExecution({
          tenantId: values.tenant,
          workflowId: target,
          input,
          ...(values.version ? { version: values.version } : {}),
          ...(values['correlation-id'] ? { correlationId: values['correlation-id'] } : {}),
        });
        return values.wait ? await waitForEnd(c, started.executionId, Number(values.timeout) * 1000) : started;
      }
      case 'show':
        return values.at === undefined ? await show(c, target) : await stateAtEvent(c, target, values.at);
      case 'replay': {
        const input = values.input === undefined ? undefined : await readInput(values.input, undefined);
        const fromEvent = values['from-event'] === undefined ? undefined : Number(values['from-event']);
        return await c.client.replay(target, { ...(input === undefined ? {} : { input }), ...(fromEvent === undefined ? {} : { fromEvent }), ...(values['from-task'] ? { fromTaskId: values['from-task'] } : {}) });
      }
      case 'events':
        return await events(c, target);
      case 'reindex':
        return { tenant: target, indexed: await rebuildSearchIndex({ search: c.search, executions: c.index, store: c.store, serializer: c.serializer, searchOptions: c.searchOptions }, target) };
      case 'jobs':
        if (target === 'run') return await runJob(c, third, { ...(positionals[3] ? { tenantId: positionals[3] } : {}), dryRun: values['dry-run'], wait: values.wait, timeoutMs: Number(values.timeout) * 1000 });
        if (target === 'status') return await jobsStatus(c);
        if (target === 'show' && third) return await showJob(c, third);
        throw new UsageError(`jobs wants run, status or show <id>\n${USAGE}`);
      case 'archived':
        return await archived(c, target);
      case 'restore':
        return await restore(c, target, parseDurationMs(values.ttl));
      case 'cancel':
        return { id: target, status: await c.client.cancelExecution(target, values.reason) };
      default:
        throw new UsageError(`unknown command ${command}\n${USAGE}`);
    }
  } finally {
    await c.close();
  }
}

try {
  const result = await run(process.argv.slice(2));
  console.log(typeof result === 'string' ? result : JSON.stringify(result, null, 2));
} catch (error) {
  const code = (error as { code?: string }).code;
  console.error(`error${code ? ` (${code})` : ''}: ${error instanceof Error ? error.message : String(error)}`);
  process.exitCode = error instanceof UsageError ? 2 : 1;
}
