import type { Specification } from '@serverlessworkflow/sdk';
import { DefinitionError, type DefinitionProblem } from './definition-error.js';
import { DEFAULT_DEFINITION_LIMITS, readDefinitionSource, type DefinitionLimits } from './definition-source.js';
import { checkTaskLists } from './flow-checks.js';
import { checkSchema } from './schema-check.js';

/** A validated DSL 1.0 workflow definition (plain data, as written). */
export type WorkflowDefinition = Specification.Workflow;

const isObject = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

/** The document header must say DSL 1.0.x before anything else is worth checking. */
function checkHeader(value: Record<string, unknown>): DefinitionProblem[] {
  const document = value['document'];
  if (!isObject(document)) return [{ path: '/document', message: 'missing: a definition starts with document: { dsl, namespace, name, version }' }];
  const dsl = document['dsl'];
  if (typeof dsl !== 'string' || !/^1\.0\.\d+$/.test(dsl)) {
    return [{ path: '/document/dsl', message: `unsupported DSL version ${JSON.stringify(dsl)}: flunq-io runs 1.0.x` }];
  }
  return [];
}

// The SDK's schema pins `document.dsl` to 1.0.0; every 1.0.x document follows the same schema.
function forSchema(value: Record<string, unknown>): unknown {
  const document = value['document'] as Record<string, unknown>;
  return document['dsl'] === '1.0.0' ? value : { ...value, document: { ...document, dsl: '1.0.0' } };
}

/**
 * Parses and validates a Serverless Workflow DSL 1.0.x definition written in YAML or JSON.
 * Hostile sources are bounded (size, nesting, aliases). Every problem names its JSON
 * pointer and, when it can, the line and column in the source. The result is deeply frozen.
 * @throws DefinitionError listing every problem found
 */
export function parseDefinition(text: string, limits: Partial<DefinitionLimits> = {}): WorkflowDefinition {
  const source = readDefinitionSource(text, { ...DEFAULT_DEFINITION_LIMITS, ...limits });
  if (!isObject(source.value)) throw new DefinitionError([{ path: '', message: 'a definition is a YAML or JSON object' }]);
  // Header and structure first: the schema's oneOf errors about an unknown task type would bury them.
  const header = checkHeader(source.value);
  const structural = header.length ? header : checkTaskLists(source.value);
  const problems: DefinitionProblem[] = structural.length ? structural : checkSchema(forSchema(source.value));
  if (problems.length) {
    throw new DefinitionError(problems.map((p) => ({ ...p, ...source.locate(p.path) })));
  }
  return deepFreeze(source.value) as WorkflowDefinition;
}

/** Parsed definitions are immutable: the engine memoizes lookups into them. */
function deepFreeze(value: unknown): unknown {
  if (value !== null && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const child of Object.values(value)) deepFreeze(child);
  }
  return value;
}
