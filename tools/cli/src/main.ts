#!/usr/bin/env node
/**
 * `npm run flunq -- <command>`: register definitions, start, inspect and cancel executions.
 * Talks to Redis with the worker's settings (REDIS_URL, FLUNQ_KEY_PREFIX, FLUNQ_QUEUE_PREFIX).
 */
import { parseArgs } from 'node:util';
import { events, readInput, register, show, stateAtEvent, UsageError, waitForEnd } from './commands.js';
import { rebuildSearchIndex } from '@flunq/engine';
import { connect } from './connection.js';

const USAGE = `usage: npm run flunq -- <command> [options]
  register <file.yaml|json>                 register a workflow definition (its document.name and version)
  start <workflow> [--input JSON | --input-file F] [--version V] [--correlation-id C] [--wait] [--timeout 60]
  show <execution> [--at N]                 the execution's state (the seed's JSON shape); --at: as it was after event N
  replay <execution> [--input JSON | --from-task /do/2/x | --from-event N]   run it again (a new execution)
  events <execution>                        its events, in order
  cancel <execution> [--reason R]           stop it, in-flight task included
  reindex <tenant>                          rebuild the tenant's content search from the stored states
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
      'from-task': { type: 'string' },
      'from-event': { type: 'string' },
      help: { type: 'boolean', default: false },
    },
  });
  const [command, target] = positionals;
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
