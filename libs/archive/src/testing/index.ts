/**
 * Test support for projects that use `@flunq/archive`: the contract suite every
 * `ArchiveBackend` passes, a real S3-compatible server to run it against, and sample
 * archives (fixed and seeded-random).
 */
export { describeArchiveBackendContract, INVALID_BACKEND_KEYS } from './archive-backend-contract.js';
export type { ArchiveBackendContractOptions } from './archive-backend-contract.js';
export { startS3TestServer } from './s3-test-server.js';
export type { S3TestServer } from './s3-test-server.js';
export { randomExecutionArchive, sampleExecutionArchive, seededRandom } from './sample-archives.js';
