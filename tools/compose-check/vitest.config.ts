import { projectConfig } from '../testing/vitest-shared.js';

export default projectConfig({ name: 'compose-check' });
