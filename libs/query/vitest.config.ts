import { projectConfig } from '../../tools/testing/vitest-shared.js';

export default projectConfig({ name: 'query' });
