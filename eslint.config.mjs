import { builtinModules } from 'node:module';
import nx from '@nx/eslint-plugin';

const APP_PACKAGES = ['@flunq/worker', '@flunq/executor', '@flunq/io-api', '@flunq/ui'];
const TESTING_PACKAGES = ['@flunq/stack-testing'];

/**
 * Layers point one way: proto-types <- serializer <- redis-store <- engine <- apps
 * (libs/dsl and other `type:lib` libraries sit beside the store: no storage, no apps).
 * Every project carries a `type:*` and a `scope:*` tag (see its package.json "nx.tags").
 */
export default [
  ...nx.configs['flat/base'],
  ...nx.configs['flat/typescript'],
  ...nx.configs['flat/javascript'],
  {
    ignores: ['**/dist', '**/node_modules', '**/src/gen/**', '**/out-tsc', '**/*.timestamp*'],
  },
  {
    files: ['**/*.ts', '**/*.tsx', '**/*.js', '**/*.jsx', '**/*.mjs'],
    rules: {
      '@nx/enforce-module-boundaries': [
        'error',
        {
          enforceBuildableLibDependency: false,
          allow: [],
          depConstraints: [
            { sourceTag: 'type:proto', onlyDependOnLibsWithTags: [] },
            { sourceTag: 'type:codec', onlyDependOnLibsWithTags: ['type:proto'] },
            { sourceTag: 'type:store', onlyDependOnLibsWithTags: ['type:proto', 'type:codec'] },
            { sourceTag: 'type:lib', onlyDependOnLibsWithTags: ['type:proto', 'type:codec', 'type:lib'] },
            { sourceTag: 'type:engine', onlyDependOnLibsWithTags: ['type:proto', 'type:codec', 'type:store', 'type:lib'] },
            { sourceTag: 'type:testing', onlyDependOnLibsWithTags: ['type:proto', 'type:codec', 'type:store', 'type:lib', 'type:engine'] },
            {
              sourceTag: 'type:app',
              onlyDependOnLibsWithTags: ['type:proto', 'type:codec', 'type:store', 'type:lib', 'type:engine', 'type:testing'],
            },
            { sourceTag: 'type:tool', onlyDependOnLibsWithTags: ['type:proto', 'type:codec', 'type:store', 'type:lib', 'type:engine', 'type:testing'] },
            { sourceTag: 'scope:shared', onlyDependOnLibsWithTags: ['scope:shared'] },
            { sourceTag: 'scope:server', onlyDependOnLibsWithTags: ['scope:server', 'scope:shared'] },
            {
              sourceTag: 'scope:web',
              onlyDependOnLibsWithTags: ['scope:web', 'scope:shared'],
              bannedExternalImports: ['ioredis', 'bullmq', 'zstd-napi', 'node:*'],
            },
          ],
        },
      ],
    },
  },
  {
    // Apps are entry points, never libraries: nothing imports them.
    files: ['**/*.ts', '**/*.tsx', '**/*.mjs'],
    rules: {
      'no-restricted-imports': [
        'error',
        { patterns: [{ group: APP_PACKAGES, message: 'Apps are not importable; move shared code to a lib.' }] },
      ],
    },
  },
  {
    // Test support (type:testing) is for tests: an app's or a library's own code never imports it.
    files: ['apps/*/src/**/*.ts', 'libs/*/src/**/*.ts'],
    ignores: ['**/*.test.ts', '**/testing/**'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            { group: APP_PACKAGES, message: 'Apps are not importable; move shared code to a lib.' },
            { group: TESTING_PACKAGES, message: 'Test support is for tests only.' },
          ],
        },
      ],
    },
  },
  {
    // scope:web runs in the browser: no Node built-ins, whatever the import spelling.
    files: ['apps/ui/**/*.ts', 'apps/ui/**/*.tsx'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            { group: APP_PACKAGES, message: 'Apps are not importable; move shared code to a lib.' },
            { group: TESTING_PACKAGES, message: 'Test support is for tests only.' },
            { group: ['node:*', ...builtinModules], message: 'The UI runs in the browser (scope:web): no Node built-ins.' },
          ],
        },
      ],
    },
  },
  {
    // Tool configuration may reach the shared root config and the test setup in tools/testing.
    files: ['**/vitest.config.ts', '**/eslint.config.mjs'],
    rules: { '@nx/enforce-module-boundaries': 'off' },
  },
  {
    files: ['**/*.ts'],
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
    },
  },
];
