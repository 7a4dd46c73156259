import { configDefaults, defineProject, type ViteUserConfig } from 'vitest/config';

/**
 * Shared vitest settings of every project: resolve workspace libs from source through the
 * `@flunq/source` export condition, and (with `redis: true`) start a private Redis for the run.
 */
export function projectConfig(options: { name: string; redis?: boolean; setupFiles?: string[] }): ViteUserConfig {
  const conditions = ['@flunq/source', 'module', 'node', 'import', 'default'];
  return defineProject({
    resolve: { conditions },
    ssr: { resolve: { conditions, externalConditions: ['@flunq/source'] } },
    test: {
      name: options.name,
      environment: 'node',
      include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
      exclude: [...configDefaults.exclude, 'dist/**'],
      globalSetup: options.redis ? [new URL('./redis-global-setup.ts', import.meta.url).pathname] : [],
      setupFiles: options.setupFiles ?? [],
      testTimeout: 20_000,
      hookTimeout: 30_000,
    },
  });
}
