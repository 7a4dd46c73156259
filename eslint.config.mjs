import nx from '@nx/eslint-plugin';

/**
 * Layers point one way: proto-types <- serializer <- redis-store <- apps.
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
            {
              sourceTag: 'type:app',
              onlyDependOnLibsWithTags: ['type:proto', 'type:codec', 'type:store', 'type:lib'],
            },
            { sourceTag: 'type:tool', onlyDependOnLibsWithTags: ['type:proto', 'type:codec', 'type:store', 'type:lib'] },
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
    files: ['**/*.ts'],
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
    },
  },
];
