import { spawnSync } from 'node:child_process';
import { describe, expect, test } from 'vitest';

const root = new URL('../../../', import.meta.url).pathname;

/** Lints `source` as if it were the file at `path`, returning the rule ids reported. */
function lint(path: string, source: string): string[] {
  const run = spawnSync('npx', ['eslint', '--stdin', '--stdin-filename', path, '-f', 'json'], {
    cwd: root,
    input: source,
    encoding: 'utf8',
    env: { ...process.env, NX_DAEMON: 'false' },
  });
  const [result] = JSON.parse(run.stdout) as { messages: { ruleId: string | null; message: string }[] }[];
  return (result?.messages ?? []).map((m) => `${m.ruleId}: ${m.message.split('\n')[0]}`);
}

describe('layers point one way (proto-types <- serializer <- redis-store <- apps)', () => {
  test.each([
    ['a codec lib importing an app', 'libs/serializer/src/wrong.ts', "import { SERVICE_NAME } from '@flunq/io-api';\nexport const x = SERVICE_NAME;\n"],
    ['the generated contracts importing the serializer', 'libs/proto-types/src/wrong.ts', "import { toJsonBytes } from '@flunq/serializer';\nexport const x = toJsonBytes;\n"],
    ['an app importing another app', 'apps/worker/src/wrong.ts', "import { SERVICE_NAME } from '@flunq/executor';\nexport const x = SERVICE_NAME;\n"],
    ['the web app importing server code', 'apps/ui/src/wrong.ts', "import { toJsonBytes } from '@flunq/serializer';\nexport const x = toJsonBytes;\n"],
    ['the web app importing ioredis', 'apps/ui/src/wrong.ts', "import { Redis } from 'ioredis';\nexport const x = Redis;\n"],
    ['the web app importing node built-ins', 'apps/ui/src/wrong.ts', "import { readFileSync } from 'node:fs';\nexport const x = readFileSync;\n"],
  ])('lint fails on %s', (_, path, source) => {
    const messages = lint(path, source);
    expect(messages.some((m) => /^(@nx\/enforce-module-boundaries|no-restricted-imports):/.test(m))).toBe(true);
  });

  test.each([
    ['the store importing the serializer and contracts', 'libs/redis-store/src/ok.ts', "import { toJsonBytes } from '@flunq/serializer';\nimport { PayloadSchema } from '@flunq/proto-types';\nexport const x = [toJsonBytes, PayloadSchema];\n"],
    ['an app importing the store', 'apps/worker/src/ok.ts', "import { RedisIoStore } from '@flunq/redis-store';\nexport const x = RedisIoStore;\n"],
    ['the web app importing the generated contracts', 'apps/ui/src/ok.ts', "import { PayloadSchema } from '@flunq/proto-types';\nexport const x = PayloadSchema;\n"],
  ])('lint accepts %s', (_, path, source) => {
    expect(lint(path, source)).toEqual([]);
  });
});
