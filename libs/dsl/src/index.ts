/**
 * `@flunq/dsl`: the Serverless Workflow DSL 1.0 as a pure library (no I/O).
 * Definitions (parse, bound, validate, check flow), durations, errors, retry delays, flow
 * navigation, a jq compiler, and the engine: a reducer over events plus a decision step
 * (`do`, `set`, `switch`, `for`, `fork` with concurrent branches and `compete`, `call`,
 * `wait`, `emit`, `raise`, `try`/`catch` with retry; input.from/output.as/export.as).
 * `listen` and `run` are refused with a runtime error (not supported yet).
 */
export { DefinitionError, formatProblem } from './definitions/definition-error.js';
export type { DefinitionProblem } from './definitions/definition-error.js';
export { DEFAULT_DEFINITION_LIMITS } from './definitions/definition-source.js';
export type { DefinitionLimits } from './definitions/definition-source.js';
export { parseDefinition } from './definitions/parse-definition.js';
export type { WorkflowDefinition } from './definitions/parse-definition.js';
export { TASK_KINDS, forEachTaskList, kindsOf } from './definitions/task-lists.js';
export type { TaskEntry, TaskKind } from './definitions/task-lists.js';
export { addDuration, DurationError, durationMs, parseDuration } from './time/duration.js';
export type { Duration, DurationObject } from './time/duration.js';
export { errorTypeMatches, STANDARD_ERROR_TYPES, standardErrorUri, workflowError, WorkflowError } from './errors/workflow-error.js';
export type { StandardErrorType, WorkflowProblem } from './errors/workflow-error.js';
export { nextRetryDelay } from './retry/retry-delay.js';
export type { RetryPolicy, RetryState } from './retry/retry-delay.js';
export { afterTask, firstOfList, FlowError } from './flow/task-navigation.js';
export type { FlowTarget } from './flow/task-navigation.js';
export { ownerOfList, parseTaskPointer, resolvePointer, taskPointer } from './flow/task-pointer.js';
export type { TaskAddress } from './flow/task-pointer.js';
export { completeTask, decide, decideAll, failTask, startExecution } from './engine/decide.js';
export { INITIAL_STATE, SYSTEM_CLOCK } from './engine/engine-types.js';
export type { Cursor, Decision, EngineClock, EngineEvent, ExecutionState, ForkScope, LoopScope, RetryScope } from './engine/engine-types.js';
export { activeThreads, cursorOf, isBranchTask, ROOT_THREAD, threadOf, viewFor } from './engine/threads.js';
export { applyEvent, foldEvents } from './engine/reducer.js';
export { evaluateValue, expressionOf } from './engine/runtime-values.js';
export type { Evaluate } from './engine/runtime-values.js';
export { evaluateJq } from './engine/jq-evaluate.js';
export { clearExpressionCache, compileCached, compileExpression, DEFAULT_EXPRESSION_LIMITS, EXPRESSION_CACHE_SIZE, ExpressionError } from './expressions/index.js';
export type { CompiledExpression, ExpressionLimits } from './expressions/index.js';
