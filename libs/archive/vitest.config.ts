import { projectConfig } from '../../tools/testing/vitest-shared.js';

// vitest hands resolve.conditions to Node as --conditions, so they also pick the builds of
// dependencies Node loads itself. The shared list's `module` picks the AWS SDK's
// bundler-only builds (extension-less imports), which Node cannot load: leave it out.
const conditions = ['@flunq/source', 'node', 'import', 'default'];
const base = projectConfig({ name: 'archive' });

export default {
  ...base,
  resolve: { ...base.resolve, conditions },
  ssr: { ...base.ssr, resolve: { ...base.ssr?.resolve, conditions } },
};
