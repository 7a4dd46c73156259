import { EnvReader, type Env, type SearchSettings } from '@flunq/config';
import { archiveSettingsFromEnv, createArchiveBackend, type ArchiveBackend } from '@flunq/archive';
import { BullStepScheduler, createArchiveAccess, createMaintenanceQueue, createStepQueue, EngineClient, publishCancellation, type ExecutionArchiver, type MaintenanceJobData } from '@flunq/engine';
import { RedisContentIndex, RedisDefinitionStore, RedisExecutionIndex, RedisIoStore, RedisSnapshotStore, type IoStore } from '@flunq/redis-store';
import type { Queue } from 'bullmq';
import { createPayloadSerializer, type PayloadSerializer } from '@flunq/serializer';
import { Redis } from 'ioredis';

/** What the CLI talks to: the deployment's store, definitions and step queue (same settings as the worker). */
export interface Connection {
  /** Reads executions, archived ones included (brought back from the archive for a while). */
  readonly store: IoStore;
  readonly client: EngineClient;
  readonly serializer: PayloadSerializer;
  /** The execution listing and the content search, for `reindex`. */
  readonly index: RedisExecutionIndex;
  readonly search: RedisContentIndex;
  /** What content search indexes (`FLUNQ_SEARCH_*`). */
  readonly searchOptions: SearchSettings;
  /** Maintenance jobs (`jobs run|status|show`) and the archive (`restore`, `archived`). */
  readonly maintenance: Queue<MaintenanceJobData>;
  readonly archiver: ExecutionArchiver;
  readonly archive: ArchiveBackend;
  close(): Promise<void>;
}

/** Connects with `REDIS_URL`, `FLUNQ_KEY_PREFIX`, `FLUNQ_QUEUE_PREFIX` and the `MAX_*` limits; throws `ConfigError` naming every bad key. */
export function connect(env: Env = process.env): Connection {
  const read = new EnvReader('cli', env);
  const settings = read.done(read.storeSettings());
  const serializer = createPayloadSerializer({ limits: settings.limits, redactor: settings.redactor });
  const store = new RedisIoStore({ redis: settings.redisUrl, keyPrefix: settings.keyPrefix, limits: settings.limits, claimCheckBytes: settings.claimCheckBytes });
  const definitions = new RedisDefinitionStore({ redis: settings.redisUrl, keyPrefix: settings.keyPrefix });
  const queueConnection = new Redis(settings.redisUrl, { maxRetriesPerRequest: null });
  const queue = createStepQueue({ connection: queueConnection, prefix: settings.queuePrefix });
  const snapshots = new RedisSnapshotStore({ redis: settings.redisUrl, keyPrefix: settings.keyPrefix });
  const index = new RedisExecutionIndex({ redis: settings.redisUrl, keyPrefix: settings.keyPrefix });
  const search = new RedisContentIndex({ redis: settings.redisUrl, keyPrefix: settings.keyPrefix });
  const archive = createArchiveBackend(archiveSettingsFromEnv(env));
  const archived = createArchiveAccess({ redisUrl: settings.redisUrl, keyPrefix: settings.keyPrefix, limits: settings.limits, backend: archive, primary: store, executions: index, search });
  const maintenance = createMaintenanceQueue({ connection: queueConnection, prefix: settings.queuePrefix });
  const client = new EngineClient({
    store,
    definitions,
    snapshots,
    index,
    search,
    searchOptions: settings.search,
    serializer,
    scheduler: new BullStepScheduler(queue),
    onCancelled: async (executionId) => void (await publishCancellation(queueConnection, executionId, settings.keyPrefix)),
  });
  return {
    store: archived.store,
    maintenance,
    archiver: archived.archiver,
    archive,
    index,
    search,
    searchOptions: settings.search,
    client,
    serializer,
    close: async () => {
      await queue.close();
      await maintenance.close();
      await Promise.all([store.close(), definitions.close(), snapshots.close(), index.close(), search.close(), archived.close(), archive.close()]);
      queueConnection.disconnect();
    },
  };
}
