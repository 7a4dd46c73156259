import { randomUUID } from 'node:crypto';
import {
  DEFAULT_SNAPSHOT_EVERY,
  DefinitionCache,
  EngineClient,
  ExecutionAdvancer,
  stateAt,
  toSeedState,
  type StepScheduler,
  type TaskRunner,
  type TimeTravelSources,
} from '@flunq/engine';
import { createKeyBuilder, hydrateState, RedisDefinitionStore, RedisIoStore, RedisSnapshotStore, snapshotsKey } from '@flunq/redis-store';
import type { WorkflowState } from '@flunq/proto-types';
import { createPayloadSerializer } from '@flunq/serializer';
import { benchRedis, memoryUsage, ratio, redisCpuMicros } from './bench-redis.js';

const TENANT = 'bench';
const WORKFLOW = 'long';
/** One `set` per item: each iteration records `task.iterated` (from the second on) and the set's `task.completed`. */
const DEFINITION = `document: { dsl: '1.0.0', namespace: bench, name: ${WORKFLOW}, version: '1.0.0' }
do:
  - loop:
      for: { each: item, in: '\${ [range(.n)] }' }
      do:
        - step: { set: { i: '\${ $item }' } }
`;

/** Only local tasks here: a call reaching the runner is a bug of the benchmark. */
const NO_CALLS: TaskRunner = {
  run: () => Promise.reject(new Error('the time-travel workflow has no call tasks')),
};
const NO_SCHEDULING: StepScheduler = { schedule: () => Promise.resolve() };

/** mulberry32: the same N sample on every run. */
function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = Math.imul(a ^ (a >>> 15), a | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Nearest-rank percentile of ms timings. */
function percentile(values: readonly number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.max(0, Math.ceil((p / 100) * sorted.length) - 1)] ?? Number.NaN;
}

const ms = (value: number): string => (value >= 100 ? value.toFixed(0) : value >= 10 ? value.toFixed(1) : value.toFixed(2));
const count = (value: number): string => Math.round(value).toLocaleString('en-US');
const kb = (bytes: number): string => `${(bytes / 1024).toFixed(1)} KiB`;

async function timed<T>(work: () => Promise<T>): Promise<{ value: T; ms: number }> {
  const started = performance.now();
  const value = await work();
  return { value, ms: performance.now() - started };
}

/**
 * Time travel (issue #5): the stored state right after event N of one long execution
 * (`for` over `items` items, one `set` each: about 2 events per item), recorded through the
 * real ExecutionAdvancer on Redis with snapshots every DEFAULT_SNAPSHOT_EVERY events.
 * `stateAt` from the latest snapshot at or before N, beside the same `stateAt` without
 * snapshots (folding from the first event: the baseline), same run, same N.
 */
export async function runTimeTravel(
  items = Number(process.env['BENCH_TT_ITEMS'] ?? 5000),
  samples = Number(process.env['BENCH_TT_SAMPLES'] ?? 200),
  baselineSamples = Number(process.env['BENCH_TT_BASELINE_SAMPLES'] ?? 30),
): Promise<string[]> {
  const env = await benchRedis();
  const keyPrefix = `bench-${randomUUID().slice(0, 8)}:`;
  const store = new RedisIoStore({ redis: env.url, keyPrefix });
  const definitionStore = new RedisDefinitionStore({ redis: env.url, keyPrefix });
  const snapshots = new RedisSnapshotStore({ redis: env.url, keyPrefix });
  const serializer = createPayloadSerializer();
  const definitions = new DefinitionCache(definitionStore);
  try {
    // Record the execution: start (EngineClient), then one advance runs it to its end.
    const client = new EngineClient({ store, definitions: definitionStore, scheduler: NO_SCHEDULING, snapshots });
    await client.registerDefinition(TENANT, DEFINITION);
    const { executionId } = await client.startExecution({ tenantId: TENANT, workflowId: WORKFLOW, input: { n: items } });
    const stepMs: number[] = [];
    const buildMs: number[] = [];
    const advancer = new ExecutionAdvancer({
      store,
      definitions,
      runner: NO_CALLS,
      scheduler: NO_SCHEDULING,
      snapshots,
      snapshotEvery: DEFAULT_SNAPSHOT_EVERY,
      onStep: (step) => {
        stepMs.push(step.durationMs);
        buildMs.push(step.encodeMs);
      },
    });
    const redisBefore = await redisCpuMicros(env.redis);
    const cpuBefore = process.cpuUsage();
    const recording = await timed(() => advancer.advance(executionId));
    const cpu = process.cpuUsage(cpuBefore);
    const redisCpu = (await redisCpuMicros(env.redis)) - redisBefore;
    const { status, version } = recording.value;
    if (status !== 'completed') throw new Error(`the long execution ended ${status} at event ${version}`);
    const keys = createKeyBuilder(keyPrefix);
    const stateKey = keys.state(executionId);
    const stateBytes = await env.redis.strlen(stateKey);
    const stateMemory = await memoryUsage(env.redis, [stateKey]);
    const eventsMemory = await memoryUsage(env.redis, [keys.events(executionId)]);
    const snapshotsMemory = await memoryUsage(env.redis, [snapshotsKey(keyPrefix, executionId)]);
    const snapshotCount = await env.redis.hlen(snapshotsKey(keyPrefix, executionId));
    const mean = (values: number[], from: number, to: number): number => {
      const part = values.slice(from, to);
      return part.reduce((a, b) => a + b, 0) / Math.max(1, part.length);
    };
    console.log(`recorded ${version} events in ${recording.ms.toFixed(0)} ms (${count((version - 1) / (recording.ms / 1000))} events/s); final state ${stateBytes} B`);

    // The N sample: fixed points, then `samples` drawn uniformly from 1..version.
    const belowHundred = Math.floor(version / DEFAULT_SNAPSHOT_EVERY) * DEFAULT_SNAPSHOT_EVERY - 1;
    const random = seededRandom(5);
    const drawn = Array.from({ length: samples }, () => 1 + Math.floor(random() * version));
    const fixed = [1, version, belowHundred];
    const sample = [...fixed, ...drawn];
    const baselineSample = [...fixed, ...drawn.slice(0, Math.max(0, baselineSamples - fixed.length))];

    const withSnapshots: TimeTravelSources = { store, definitions, serializer, snapshots };
    const fromFirst: TimeTravelSources = { store, definitions, serializer };
    const answer = async (sources: TimeTravelSources, n: number) => {
      const state = await stateAt(sources, executionId, n);
      if (!state || Number(state.version) !== n) throw new Error(`stateAt(${n}) gave version ${state?.version}`);
      return state;
    };
    // Warm both paths (JIT, scripts, definition cache).
    for (const n of [version, belowHundred, 1, drawn[0] ?? 1]) await answer(withSnapshots, n);
    for (const n of [belowHundred, 1]) await answer(fromFirst, n);

    const snapshotTimes: number[] = [];
    for (const n of sample) snapshotTimes.push((await timed(() => answer(withSnapshots, n))).ms);

    // Baseline, same N; each answer checked against the snapshot one as the seed view (hydrated: the two differ in which payloads are references).
    const view = async (state: WorkflowState): Promise<string> => JSON.stringify(toSeedState(await hydrateState(store, executionId, state), serializer));
    const baselineTimes: number[] = [];
    const pairedSnapshotTimes: number[] = [];
    let equal = 0;
    for (const n of baselineSample) {
      const { value: folded, ms: took } = await timed(() => answer(fromFirst, n));
      baselineTimes.push(took);
      // The same N with snapshots right after, so both see the same machine load.
      const { value: fast, ms: fastMs } = await timed(() => answer(withSnapshots, n));
      pairedSnapshotTimes.push(fastMs);
      if ((await view(folded)) === (await view(fast))) equal++;
    }
    if (equal !== baselineSample.length) throw new Error(`stateAt with snapshots differs from the fold from the first event for ${baselineSample.length - equal} of ${baselineSample.length} N`);

    // Where the snapshot path's time goes: the current state read (bare), the snapshot read, the rest (fold of <= 99 events).
    const parts = { readState: [] as number[], find: [] as number[] };
    for (const n of baselineSample) {
      parts.readState.push((await timed(() => store.readState(executionId, { hydrate: false }))).ms);
      parts.find.push((await timed(() => snapshots.find(executionId, n))).ms);
    }

    // The answer as the seed's JSON: hydrate (payloads kept once, in their events) + toSeedState.
    const hydrateTimes: number[] = [];
    const viewTimes: number[] = [];
    const totalTimes: number[] = [];
    for (const n of baselineSample) {
      const started = performance.now();
      const bare = await answer(withSnapshots, n);
      const hydrated = await timed(() => hydrateState(store, executionId, bare));
      const viewStarted = performance.now();
      const seed = toSeedState(hydrated.value, serializer);
      const viewMs = performance.now() - viewStarted;
      if (seed.completed_tasks.some((task) => task.output === undefined)) throw new Error(`state at ${n}: a task output is not hydrated`);
      hydrateTimes.push(hydrated.ms);
      viewTimes.push(viewMs);
      totalTimes.push(performance.now() - started);
    }

    const p = (values: number[]): string => `${ms(percentile(values, 50))} / **${ms(percentile(values, 95))}** / ${ms(Math.max(...values))}`;
    const snapP95 = percentile(snapshotTimes, 95);
    const baseP95 = percentile(baselineTimes, 95);
    const pairedP95 = percentile(pairedSnapshotTimes, 95);
    const speedups = baselineSample.map((_, i) => (baselineTimes[i] ?? 0) / (pairedSnapshotTimes[i] ?? 1));
    const nodeMicros = cpu.user + cpu.system;
    return [
      `| recording (${items} items x one \`set\`, one \`advance\`, RedisIoStore + RedisSnapshotStore, snapshot every ${DEFAULT_SNAPSHOT_EVERY}) | value |`,
      '|---|---|',
      `| events recorded | ${count(version)} (${snapshotCount} snapshots) |`,
      `| wall time | ${(recording.ms / 1000).toFixed(1)} s: **${count((version - 1) / (recording.ms / 1000))} events/s** |`,
      `| Node CPU / Redis CPU per event | ${(nodeMicros / (version - 1)).toFixed(0)} µs / ${(redisCpu / (version - 1)).toFixed(0)} µs |`,
      `| ms per step (build + write + snapshot), events 2-1,001 / last 1,000 | ${mean(stepMs, 0, 1000).toFixed(2)} / ${mean(stepMs, -1000, stepMs.length).toFixed(2)} |`,
      `| of which build (reduce, encode the event's payloads; the state is encoded in the store's write), events 2-1,001 / last 1,000 | ${mean(buildMs, 0, 1000).toFixed(2)} / ${mean(buildMs, -1000, buildMs.length).toFixed(2)} |`,
      `| final \`workflow:state\` (STRLEN / MEMORY USAGE) | ${kb(stateBytes)} / ${kb(stateMemory)} (${count(stateBytes / Math.max(1, items))} B per completed task) |`,
      `| event stream / snapshots hash (MEMORY USAGE) | ${kb(eventsMemory)} / ${kb(snapshotsMemory)} |`,
      '',
      `| stateAt(execution, N), ${count(version)}-event execution | N sample | p50 / p95 / max ms |`,
      '|---|---|---|',
      `| with snapshots (latest at or before N, then fold <= ${DEFAULT_SNAPSHOT_EVERY - 1} events) | ${sample.length}: N = 1, ${belowHundred}, ${version} + ${drawn.length} uniform | ${p(snapshotTimes)} |`,
      `| with snapshots, the baseline's N, each timed right after its baseline | ${baselineSample.length} | ${p(pairedSnapshotTimes)} |`,
      `| **baseline**: no snapshots, fold from the first event | ${baselineSample.length}: N = 1, ${belowHundred}, ${version} + the first ${baselineSample.length - fixed.length} of the uniform ones | ${p(baselineTimes)} |`,
      `| of the snapshot path: \`readState\` (bare, current state) | ${baselineSample.length} | ${p(parts.readState)} |`,
      `| of the snapshot path: \`snapshots.find\` (HKEYS + HGET + decode) | ${baselineSample.length} | ${p(parts.find)} |`,
      `| seed view: \`hydrateState\` of the answer | ${baselineSample.length} | ${p(hydrateTimes)} |`,
      `| seed view: \`toSeedState\` of the hydrated answer | ${baselineSample.length} | ${p(viewTimes)} |`,
      `| seed view end to end: stateAt + hydrate + toSeedState | ${baselineSample.length} | ${p(totalTimes)} |`,
      '',
      `p95 with snapshots (goal < 100 ms): **${ms(snapP95)} ms**. Speed-up, p95 baseline / p95 with snapshots (goal >= 10x): ` +
        `**${ratio(baseP95, snapP95)}** (${ratio(baseP95, pairedP95)} against the same ${baselineSample.length} N timed alongside; per-N median ${percentile(speedups, 50).toFixed(1)}x, ` +
        `lowest ${Math.min(...speedups).toFixed(1)}x). Answers equal (hydrated seed view): ${equal}/${baselineSample.length}.`,
    ];
  } finally {
    await Promise.all([store.close(), definitionStore.close(), snapshots.close()]);
    await env.close();
  }
}
