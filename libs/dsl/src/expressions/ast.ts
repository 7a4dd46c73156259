/** Destructuring pattern of `as`, `reduce`, `foreach`. */
export type Pattern =
  | { t: 'pvar'; name: string }
  | { t: 'parray'; items: Pattern[] }
  | { t: 'pobject'; entries: { key: Node; bind?: string; value?: Pattern }[] };

/** Syntax tree of a jq expression. */
export type Node =
  | { t: 'identity' }
  | { t: 'recurse' }
  | { t: 'lit'; v: unknown }
  | { t: 'str'; parts: (string | Node)[]; fmt?: string }
  | { t: 'format'; name: string }
  | { t: 'var'; name: string }
  | { t: 'index'; target: Node; key: Node; opt?: boolean }
  | { t: 'slice'; target: Node; from?: Node; to?: Node; opt?: boolean }
  | { t: 'each'; target: Node; opt?: boolean }
  | { t: 'pipe'; l: Node; r: Node }
  | { t: 'comma'; l: Node; r: Node }
  | { t: 'neg'; e: Node }
  | { t: 'bin'; op: string; l: Node; r: Node }
  | { t: 'and' | 'or' | 'alt'; l: Node; r: Node }
  | { t: 'array'; e?: Node }
  | { t: 'object'; entries: { key: Node; value: Node }[] }
  | { t: 'if'; cond: Node; then: Node; else?: Node }
  | { t: 'try'; body: Node; handler?: Node }
  | { t: 'as'; source: Node; pattern: Pattern; body: Node }
  | { t: 'reduce'; source: Node; pattern: Pattern; init: Node; update: Node }
  | { t: 'foreach'; source: Node; pattern: Pattern; init: Node; update: Node; extract?: Node }
  | { t: 'assign'; op: string; lhs: Node; rhs: Node }
  | { t: 'call'; name: string; args: Node[]; pos: number };
