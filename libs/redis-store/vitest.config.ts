import { projectConfig } from '../../tools/testing/vitest-shared.js';

export default projectConfig({ name: 'redis-store', redis: true });
