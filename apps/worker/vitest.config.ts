import { projectConfig } from '../../tools/testing/vitest-shared.js';

export default projectConfig({ name: 'worker', redis: true });
