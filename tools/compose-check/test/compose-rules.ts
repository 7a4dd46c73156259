/**
 * Rules for docker-compose.yml, the Dockerfile and .dockerignore that a schema check
 * (dclint) cannot see: references between services, paths on disk, settings the apps read.
 * Each rule returns problems as text; an empty list means the files pass.
 */
import { existsSync, readFileSync, statSync } from 'node:fs';
import { isIP } from 'node:net';
import { resolve } from 'node:path';

type EnvValue = string | number | boolean | null;

/** The parts of a compose service these rules read (compose-spec field names). */
export interface Service {
  image?: string;
  build?: string | { context?: string; dockerfile?: string };
  command?: string | string[];
  entrypoint?: string | string[];
  environment?: Record<string, EnvValue> | string[];
  depends_on?: string[] | Record<string, { condition?: string }>;
  ports?: (string | number | { published?: string | number; target?: number })[];
  volumes?: (string | { type?: string; source?: string; target?: string })[];
  healthcheck?: { test?: string | string[]; disable?: boolean };
  deploy?: { replicas?: number };
  profiles?: string[];
}

export interface ComposeFile {
  services?: Record<string, Service>;
  volumes?: Record<string, unknown>;
}

/** What a service built from our Dockerfile runs, keyed by its entry file. */
export interface Entry {
  /** Files whose text names every setting the program reads from its environment. */
  readonly settings: readonly string[];
  /** A module exporting `loadConfig(env)` that throws on bad values (pure: no connections). */
  readonly loader?: string;
  /** The compose profile the service must be in (one-off tools stay out of `docker compose up`). */
  readonly profile?: string;
}

const ARCHIVE_SETTINGS = 'libs/archive/src/backends/archive-settings.ts';

export const ENTRIES: Readonly<Record<string, Entry>> = {
  'apps/worker/src/main.ts': {
    // parseExecutorRoutes (called by loadConfig) reads FLUNQ_EXECUTOR_URL and FLUNQ_EXECUTOR_ROUTES.
    // EnvReader.storeSettings (libs/config) reads REDIS_URL, the prefixes, MAX_* and the secrets policy.
    // archiveSettingsFromEnv (libs/archive) reads the FLUNQ_ARCHIVE_* settings.
    settings: ['apps/worker/src/config.ts', 'libs/executor-kit/src/routing/executor-directory.ts', 'libs/config/src/env-reader.ts', ARCHIVE_SETTINGS],
    loader: 'apps/worker/src/config.ts',
  },
  'apps/executor/src/main.ts': { settings: ['apps/executor/src/config.ts'], loader: 'apps/executor/src/config.ts' },
  // No loader check: io-api refuses to start without FLUNQ_API_KEYS, which compose leaves to the operator.
  'apps/io-api/src/main.ts': { settings: ['apps/io-api/src/config.ts', 'libs/config/src/env-reader.ts', ARCHIVE_SETTINGS] },
  'tools/cli/src/main.ts': { settings: ['tools/cli/src/connection.ts', 'libs/config/src/env-reader.ts', ARCHIVE_SETTINGS], profile: 'tools' },
};

/** The services the stack must have (docs/DESIGN "Shape", minus io-api and ui until they exist). */
export const REQUIRED_SERVICES = ['redis', 'executor', 'worker', 'cli'];
export const EXPECTED_REPLICAS: Readonly<Record<string, number>> = { worker: 2 };
/** Read by Node itself, not by an app. */
const RUNTIME_KEYS = new Set(['NODE_ENV', 'NODE_OPTIONS', 'TZ']);
/** Every client of the store (worker, CLI) must see the same Redis, prefixes and limits. */
export const STORE_KEYS = [
  'REDIS_URL',
  'FLUNQ_KEY_PREFIX',
  'FLUNQ_QUEUE_PREFIX',
  'MAX_PAYLOAD_SIZE',
  'MAX_WORKFLOW_INPUT_SIZE',
  'MAX_TASK_OUTPUT_SIZE',
  'FLUNQ_CLAIM_CHECK_SIZE',
  // archived executions are written by the workers and read by io-api and the CLI: one archive
  'FLUNQ_ARCHIVE_BACKEND',
  'FLUNQ_ARCHIVE_DIR',
  'FLUNQ_ARCHIVE_S3_ENDPOINT',
  'FLUNQ_ARCHIVE_S3_BUCKET',
  'FLUNQ_ARCHIVE_S3_PREFIX',
];

/** Compose interpolation as if no variable were set: `${X:-d}` and `${X-d}` give `d`, `${X}` and `$X` give "", `$$` gives `$`. */
export function interpolate(text: string): string {
  return text.replace(/\$\$|\$\{\w+(?::?-([^}]*))?\}|\$\w+/g, (match, fallback: string | undefined) => (match === '$$' ? '$' : (fallback ?? '')));
}

/** A service's environment as written (not interpolated). */
export function environmentOf(service: Service): Record<string, string> {
  const env = service.environment;
  if (Array.isArray(env)) {
    return Object.fromEntries(env.map((line) => [line.split('=')[0] ?? line, line.includes('=') ? line.slice(line.indexOf('=') + 1) : '']));
  }
  return Object.fromEntries(Object.entries(env ?? {}).map(([key, value]) => [key, value === null ? '' : String(value)]));
}

/** A service's environment with the shipped defaults filled in. */
export function resolvedEnvironment(service: Service): Record<string, string> {
  return Object.fromEntries(Object.entries(environmentOf(service)).map(([key, value]) => [key, interpolate(value)]));
}

const words = (value: string | string[] | undefined): string[] => (Array.isArray(value) ? value : (value?.split(/\s+/).filter(Boolean) ?? []));

/** The `.ts` file a service built from our image runs (entrypoint, then command). */
export function entryOf(service: Service): string | undefined {
  return [...words(service.entrypoint), ...words(service.command)].find((arg) => arg.endsWith('.ts'));
}

const dependenciesOf = (service: Service): [string, string | undefined][] =>
  Array.isArray(service.depends_on)
    ? service.depends_on.map((name) => [name, undefined])
    : Object.entries(service.depends_on ?? {}).map(([name, spec]) => [name, spec?.condition]);

/** Host port published by one `ports` entry, if any (`[ip:]host:container[/proto]`). */
function publishedPort(entry: string | number | { published?: string | number }): string | undefined {
  if (typeof entry === 'object') return entry.published === undefined ? undefined : interpolate(String(entry.published));
  const parts = interpolate(String(entry)).replace(/\/(tcp|udp)$/, '').split(':');
  if (parts.length < 2) return undefined;
  return parts[parts.length - 2] || undefined;
}

const isFile = (path: string): boolean => existsSync(path) && statSync(path).isFile();
const isDir = (path: string): boolean => existsSync(path) && statSync(path).isDirectory();
const escape = (text: string): string => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
const isLocal = (host: string): boolean => host === 'localhost' || isIP(host.replace(/^\[|\]$/g, '')) !== 0;

/** Every problem of `doc` (a parsed docker-compose.yml) against the workspace at `root`. */
export function checkCompose(doc: unknown, root: string): string[] {
  const problems: string[] = [];
  const compose = (doc ?? {}) as ComposeFile;
  const services = compose.services ?? {};
  const declaredVolumes = new Set(Object.keys(compose.volumes ?? {}));
  const hostPorts = new Map<string, string>();
  const read = (path: string): string => (isFile(resolve(root, path)) ? readFileSync(resolve(root, path), 'utf8') : '');

  for (const name of REQUIRED_SERVICES) if (!services[name]) problems.push(`service "${name}" is missing`);

  for (const [name, service] of Object.entries(services)) {
    const env = resolvedEnvironment(service);

    for (const [target, condition] of dependenciesOf(service)) {
      const other = services[target];
      if (!other) problems.push(`${name}: depends_on "${target}", which is not a service`);
      else if (condition === 'service_healthy' && (!other.healthcheck?.test || other.healthcheck.disable)) {
        problems.push(`${name}: waits for "${target}" to be healthy, but it has no healthcheck`);
      }
    }

    if (service.build !== undefined) {
      const context = typeof service.build === 'string' ? service.build : (service.build.context ?? '.');
      const dockerfile = typeof service.build === 'string' ? 'Dockerfile' : (service.build.dockerfile ?? 'Dockerfile');
      if (!isDir(resolve(root, context))) problems.push(`${name}: build context "${context}" is not a directory`);
      else if (!isFile(resolve(root, context, dockerfile))) problems.push(`${name}: Dockerfile "${dockerfile}" not found in "${context}"`);
    }

    for (const volume of service.volumes ?? []) {
      const [source, type] =
        typeof volume === 'string'
          ? [volume.includes(':') ? (volume.split(':')[0] ?? '') : '', /^[./~]/.test(volume) ? 'bind' : 'volume']
          : [volume.source ?? '', volume.type ?? 'volume'];
      if (type === 'bind' && source && !existsSync(resolve(root, interpolate(source)))) problems.push(`${name}: bind mount source "${source}" does not exist`);
      if (type === 'volume' && source && !declaredVolumes.has(source)) problems.push(`${name}: volume "${source}" is not declared under top-level volumes`);
    }

    const replicas = service.deploy?.replicas ?? 1;
    const expected = EXPECTED_REPLICAS[name];
    if (expected !== undefined && replicas !== expected) problems.push(`${name}: deploy.replicas is ${replicas}, expected ${expected}`);
    for (const entry of service.ports ?? []) {
      const port = publishedPort(entry);
      if (port === undefined) continue;
      if (replicas > 1 && /^\d+$/.test(port)) problems.push(`${name}: ${replicas} replicas cannot all publish host port ${port}`);
      const owner = hostPorts.get(port);
      if (owner !== undefined) problems.push(`${name}: host port ${port} is already published by ${owner}`);
      else hostPorts.set(port, name);
    }

    // URLs to other services: a known host, and for our services a port they listen on.
    for (const [key, value] of Object.entries(env)) {
      let url: URL;
      try {
        url = new URL(value);
      } catch {
        continue;
      }
      if (!['redis:', 'rediss:', 'http:', 'https:'].includes(url.protocol) || isLocal(url.hostname)) continue;
      const target = services[url.hostname];
      if (!target) {
        problems.push(`${name}: ${key} points at "${url.hostname}", which is not a service`);
        continue;
      }
      if (target.build === undefined) continue;
      const listening = Object.entries(resolvedEnvironment(target)).filter(([k]) => k.endsWith('_PORT')).map(([, v]) => v);
      if (!listening.includes(url.port)) problems.push(`${name}: ${key} uses port ${url.port || '(default)'}, but ${url.hostname} listens on ${listening.join(', ') || 'no configured port'}`);
    }

    if (service.build === undefined) continue;

    // A service of our image: its entry file, the settings it reads, its healthcheck.
    const entry = entryOf(service);
    if (entry === undefined) {
      problems.push(`${name}: runs no .ts entry file (command/entrypoint)`);
      continue;
    }
    if (!isFile(resolve(root, entry))) problems.push(`${name}: entry file ${entry} does not exist`);
    const known = ENTRIES[entry];
    if (!known) {
      problems.push(`${name}: no settings sources known for ${entry} (add it to ENTRIES in tools/compose-check)`);
      continue;
    }
    for (const path of known.settings) if (!isFile(resolve(root, path))) problems.push(`${name}: settings source ${path} does not exist`);
    const sources = known.settings.map(read).join('\n');
    for (const key of Object.keys(env)) {
      if (RUNTIME_KEYS.has(key)) continue;
      if (!new RegExp(`['"]${escape(key)}['"]`).test(sources)) problems.push(`${name}: sets ${key}, which ${known.settings.join(' / ')} never reads`);
    }
    for (const [, key] of sources.matchAll(/['"](FLUNQ_\w+_HOST)['"]/g)) {
      if (key && env[key] !== '0.0.0.0') problems.push(`${name}: ${key} must be 0.0.0.0 in a container (is ${env[key] === undefined ? 'unset' : `"${env[key]}"`})`);
    }
    if (known.profile !== undefined && !service.profiles?.includes(known.profile)) problems.push(`${name}: must be in profile "${known.profile}"`);
    if (service.profiles === undefined) {
      const test = words(service.healthcheck?.test).join(' ');
      const port = /https?:\/\/[^/:]+:(\d+)\/healthz/.exec(test)?.[1];
      const opsPorts = Object.entries(env).filter(([k]) => k.endsWith('_METRICS_PORT')).map(([, v]) => v);
      if (port === undefined) problems.push(`${name}: needs a healthcheck on /healthz of its ops port`);
      else if (!opsPorts.includes(port)) problems.push(`${name}: healthcheck probes port ${port}, but its ops port is ${opsPorts.join(', ') || 'not set'}`);
    }
  }

  // Clients of one store must agree on where and how it is laid out.
  const clients = Object.entries(services).filter(([, service]) => 'REDIS_URL' in environmentOf(service));
  for (const key of STORE_KEYS) {
    const values = new Set(clients.map(([, service]) => environmentOf(service)[key] ?? '(unset)'));
    if (values.size > 1) problems.push(`${clients.map(([n]) => n).join(', ')} disagree on ${key}: ${[...values].join(' vs ')}`);
  }
  return problems;
}

/** Problems of the Dockerfile and .dockerignore texts. */
export function checkDockerfile(dockerfile: string, dockerignore: string): string[] {
  const problems: string[] = [];
  const from = [...dockerfile.matchAll(/^ARG NODE_IMAGE=(\S+)/gm)].map((m) => m[1]);
  const bases = [...dockerfile.matchAll(/^FROM\s+(\S+)/gm)].map((m) => (m[1] === '${NODE_IMAGE}' ? from[0] : m[1]));
  if (bases.length === 0 || bases.some((base) => base !== 'node:20-bookworm-slim')) problems.push(`every stage must start FROM node:20-bookworm-slim (found ${bases.join(', ') || 'none'})`);
  for (const tool of ['g++', 'make', 'python3']) {
    if (!new RegExp(`apt-get install[^\\n]*\\s${escape(tool)}(\\s|$)`, 'm').test(dockerfile)) problems.push(`the build stage must apt-get install ${tool} (zstd-napi builds from source)`);
  }
  if (!/^RUN .*\bnpm ci\b/m.test(dockerfile)) problems.push('dependencies must be installed with npm ci');
  if (!/^COPY package-lock\.json /m.test(dockerfile)) problems.push('npm ci needs package-lock.json in the build stage');
  if (!/^COPY --from=deps \/app \.\/$/m.test(dockerfile)) problems.push('the runtime stage must take all of /app from deps (workspaces keep nested node_modules)');
  if (!/^ENTRYPOINT .*"--import", "tsx", "--conditions=@flunq\/source"/m.test(dockerfile)) problems.push('the entrypoint must run node with tsx and the @flunq/source condition');
  const ignored = dockerignore.split('\n').map((line) => line.trim());
  for (const path of ['**/node_modules', '.git']) if (!ignored.includes(path)) problems.push(`.dockerignore must exclude ${path}`);
  return problems;
}
