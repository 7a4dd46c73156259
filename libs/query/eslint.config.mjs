import { builtinModules } from 'node:module';
import baseConfig from '../../eslint.config.mjs';

export default [
  ...baseConfig,
  {
    // scope:shared: this library may run in the browser (the UI), so no Node built-ins.
    files: ['src/**/*.ts'],
    ignores: ['**/*.test.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            { group: ['@flunq/worker', '@flunq/executor', '@flunq/io-api', '@flunq/ui'], message: 'Apps are not importable; move shared code to a lib.' },
            { group: ['@flunq/stack-testing'], message: 'Test support is for tests only.' },
            { group: ['node:*', ...builtinModules], message: '@flunq/query is scope:shared (browser too): no Node built-ins.' },
          ],
        },
      ],
    },
  },
];
