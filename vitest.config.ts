import { defineConfig } from 'vitest/config';

/** One run over every project's tests (`npm test`); each project has its own vitest.config.ts. */
export default defineConfig({
  test: {
    projects: ['libs/*/vitest.config.ts', 'apps/*/vitest.config.ts', 'tools/*/vitest.config.ts'],
  },
});
