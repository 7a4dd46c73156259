import sdk from '@serverlessworkflow/sdk';
import type { DefinitionProblem } from './definition-error.js';

// `- <instancePath> | <schemaPath> | <message> | <params>` lines of the SDK's error text.
const LINE = /^- (\S*) \| (\S+) \| (.+?) \| (.*)$/;

interface SchemaError {
  readonly path: string;
  readonly message: string;
}

function parseErrors(text: string): SchemaError[] {
  return text
    .split('\n')
    .map((line) => LINE.exec(line))
    .filter((m): m is RegExpExecArray => m !== null)
    .map((m) => ({ path: m[1] ?? '', message: m[3] ?? '' }));
}

const isDepth = (path: string): number => (path === '' ? 0 : path.split('/').length);

/**
 * Validates against the DSL 1.0 JSON schema (through `@serverlessworkflow/sdk`) and keeps
 * what a person can act on: the errors at the deepest paths, where the schema's `oneOf`
 * alternatives have narrowed to the one that was meant, without the alternatives' noise.
 */
export function checkSchema(workflow: unknown): DefinitionProblem[] {
  try {
    sdk.validate('Workflow', workflow);
    return [];
  } catch (error) {
    const errors = parseErrors(error instanceof Error ? error.message : String(error));
    if (errors.length === 0) return [{ path: '', message: error instanceof Error ? error.message : String(error) }];
    const deepest = Math.max(...errors.map((e) => isDepth(e.path)));
    const specific = errors.filter((e) => isDepth(e.path) === deepest && !e.message.startsWith('must match exactly one schema'));
    const unique = new Map((specific.length ? specific : errors).map((e) => [`${e.path}|${e.message}`, e]));
    return [...unique.values()].map((e) => ({ path: e.path, message: e.message }));
  }
}
