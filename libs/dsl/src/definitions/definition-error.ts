/** One thing wrong with a workflow definition, located as precisely as the source allows. */
export interface DefinitionProblem {
  /** JSON pointer into the document, e.g. `/do/2/fetchUser/call`; `` for the whole document. */
  readonly path: string;
  readonly message: string;
  /** 1-based position in the source text, when known. */
  readonly line?: number;
  readonly column?: number;
}

/**
 * A workflow definition cannot be used: not YAML/JSON, too large or deep, not valid
 * against the DSL 1.0 schema, or inconsistent (a `then` to a missing task, ...). Nothing
 * was registered. `problems` lists every finding, most specific first.
 */
export class DefinitionError extends Error {
  readonly code = 'INVALID_DEFINITION';

  constructor(readonly problems: readonly DefinitionProblem[]) {
    super(`invalid workflow definition: ${problems.map(formatProblem).join('; ')}`);
    this.name = 'DefinitionError';
  }
}

/** `/do/1/x (line 12:7): message`, or just the message for the whole document. */
export function formatProblem(problem: DefinitionProblem): string {
  const where = problem.line === undefined ? '' : ` (line ${problem.line}:${problem.column ?? 1})`;
  return problem.path || where ? `${problem.path || '/'}${where}: ${problem.message}` : problem.message;
}
