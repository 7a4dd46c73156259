/** `@flunq/query`: the execution query language (`GET /executions?q=`). Pure: no I/O, browser-safe. */
export { CMP_OPS, ORDER_OPS, PATH_ROOTS, pathDepth, QUERY_LIMITS } from './ast.js';
export type { CmpOp, PathRoot, QueryNode, QueryValue } from './ast.js';
export { describeQuery } from './describe.js';
export type { QueryDescription, QueryTouch } from './describe.js';
export { MAX_ARRAY_NESTING } from './document.js';
export type { QueryDocument, Scalar, ScalarKind, SearchOptions } from './document.js';
export { formatQueryError, QueryError, QueryLimitError, QuerySyntaxError } from './errors.js';
export type { QueryLimit } from './errors.js';
export { matches } from './evaluate.js';
export { indexDocument, indexPaths, indexTerms, kindOf, pathKey, termKey } from './index-terms.js';
export type { DocumentIndex, IndexTerm } from './index-terms.js';
export { parseIsoTimestamp, parseQuery } from './parser.js';
export { printPath, printQuery, printValue } from './printer.js';
