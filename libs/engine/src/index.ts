/**
 * `@flunq/engine`: the orchestration core shared by the worker (which advances executions)
 * and io-api / the CLI (which register definitions and start, cancel, resume executions).
 * It maps DSL engine events to stored records (the seed's event and state shapes), folds
 * stored events back into engine state, records every step atomically through the
 * `IoStore`, and schedules steps on BullMQ.
 */
export { EngineClient, ExecutionNotFoundError } from './client/engine-client.js';
export type { EngineClientOptions, StartedExecution, StartExecutionInput } from './client/engine-client.js';
export { ExecutionAdvancer } from './execution/advancer.js';
export type { AdvanceResult, AdvancerOptions } from './execution/advancer.js';
export { DEFINITION_CACHE_SIZE, DefinitionCache, DefinitionNotFoundError } from './execution/definitions.js';
export type { ResolvedDefinition } from './execution/definitions.js';
export { loadExecution } from './execution/load-execution.js';
export { ExecutorUnavailableError } from './execution/ports.js';
export type { StepScheduler, TaskRunner, TaskRunOutcome, TaskRunRequest } from './execution/ports.js';
export { StepRecorder } from './execution/step-recorder.js';
export type { RecordedStep, StepListener } from './execution/step-recorder.js';
export { cancellationChannel, publishCancellation, subscribeToCancellations } from './queue/cancellation.js';
export { buildStep } from './records/build-step.js';
export type { ExecutionSnapshot, StepOptions } from './records/build-step.js';
export { EVENT_SOURCE, fromWorkflowEvent, toWorkflowEvent, UnreadableEventError } from './records/event-mapping.js';
export type { ExecutionIdentity } from './records/event-mapping.js';
export { emptyWorkflowState, projectState } from './records/state-projection.js';
export { BullStepScheduler, createStepQueue, createStepWorker, DEFAULT_QUEUE_PREFIX, STEP_JOB_OPTIONS, STEP_QUEUE, stepJobId } from './queue/step-queue.js';
export type { StepJobData, StepQueueOptions, StepWorkerOptions } from './queue/step-queue.js';
export { statusName, toSeedEvent, toSeedEventHeader, toSeedState } from './views/seed-view.js';
export type { ProblemView, SeedEventHeader, SeedEventView, SeedStateView, SeedTaskView } from './views/seed-view.js';
export type { ReplayOptions } from './client/replay.js';
export { DEFAULT_SNAPSHOT_EVERY } from './execution/step-recorder.js';
export { engineSnapshotValue, stateAt } from './execution/time-travel.js';
export type { TimeTravelSources } from './execution/time-travel.js';
export { taskRecordsFromEvents, withAllTasks } from './views/all-tasks.js';
export { RECENT_TASKS_KEPT } from './records/state-projection.js';
export { indexExecution, rebuildSearchIndex } from './search/search-indexer.js';
export { equalityPlan, indexTermsOf, searchPlanOf } from './search/query-plan.js';
export { searchDocument } from './search/search-document.js';
/** Retention, archival and maintenance jobs (issue #7). */
export { ArchiveFallbackStore } from './maintenance/archive-fallback-store.js';
export { createArchiveAccess } from './maintenance/archive-access.js';
export type { ArchiveAccess } from './maintenance/archive-access.js';
export type { ArchiveReadCache } from './maintenance/archive-fallback-store.js';
export { ArchiveVerificationError, ExecutionArchiver } from './maintenance/execution-archiver.js';
export type { ArchiveOutcome, ArchiveRequest, ExecutionArchiverDeps, RetentionStage } from './maintenance/execution-archiver.js';
export { sweepRetention } from './maintenance/retention-sweep.js';
export { recompressFinished } from './maintenance/cold-compression-job.js';
export type { ColdCompressionJobOptions, ColdCompressionReport } from './maintenance/cold-compression-job.js';
export { migrateLegacy } from './maintenance/legacy-migration-job.js';
export type { LegacyMigrationDeps, LegacyMigrationOptions, LegacyMigrationReport } from './maintenance/legacy-migration-job.js';
export type { RetentionPolicy, SweepOptions, SweepReport } from './maintenance/retention-sweep.js';
export {
  createMaintenanceQueue,
  createMaintenanceWorker,
  describeRun,
  MAINTENANCE_JOBS,
  MAINTENANCE_QUEUE,
  maintenanceRun,
  maintenanceStatus,
  runMaintenanceNow,
  scheduleMaintenance,
} from './maintenance/maintenance-queue.js';
export type { MaintenanceHandler, MaintenanceJobData, MaintenanceJobName, MaintenanceQueueOptions, MaintenanceRun } from './maintenance/maintenance-queue.js';
