import { describe, expect, test } from 'vitest';
import { DefinitionError, type DefinitionProblem } from './definition-error.js';
import { parseDefinition } from './parse-definition.js';

const HEADER = `document:
  dsl: '1.0.0'
  namespace: flunq
  name: seed-example
  version: '1.0.0'
`;

const SEED = `${HEADER}do:
  - initialize:
      set:
        message: \${ .message }
        user_id: \${ .user_id }
  - fetchUser:
      call: http
      with:
        method: get
        endpoint: http://localhost:8080/users/{user_id}
  - pause:
      wait:
        seconds: 1
  - finalize:
      set:
        result: workflow completed successfully
`;

function problemsOf(text: string, limits = {}): DefinitionProblem[] {
  try {
    parseDefinition(text, limits);
  } catch (error) {
    expect(error).toBeInstanceOf(DefinitionError);
    return [...(error as DefinitionError).problems];
  }
  throw new Error('expected a DefinitionError');
}

describe('parseDefinition', () => {
  test('accepts a valid DSL 1.0 definition in YAML and the same in JSON', () => {
    const definition = parseDefinition(SEED);
    expect(definition.document.name).toBe('seed-example');
    expect(parseDefinition(JSON.stringify(definition))).toEqual(definition);
  });

  test('accepts any 1.0.x dsl version', () => {
    expect(parseDefinition(SEED.replace("dsl: '1.0.0'", "dsl: '1.0.2'")).document.dsl).toBe('1.0.2');
  });

  test('a malformed task points at its path and line, without the schema noise', () => {
    const problems = problemsOf(`${HEADER}do:\n  - first:\n      set:\n        a: 1\n  - bad:\n      set: 5\n`);
    expect(problems).toEqual([{ path: '/do/1/bad/set', message: 'must be object', line: 11, column: 12 }]);
  });

  test('an unknown task type is named as such', () => {
    const [problem] = problemsOf(`${HEADER}do:\n  - launch:\n      rocket: { to: moon }\n`);
    expect(problem).toMatchObject({ path: '/do/0/launch', line: 8 });
    expect(problem?.message).toMatch(/^unknown task type: expected one of call, do, .*; found rocket$/);
  });

  test('a then to a missing task, and duplicate names, are refused (the schema allows both)', () => {
    const problems = problemsOf(`${HEADER}do:\n  - a:\n      set: { x: 1 }\n      then: nowhere\n  - a:\n      set: { y: 2 }\n`);
    expect(problems.map((p) => p.path)).toEqual(['/do/1/a', '/do/0/a/then']);
    expect(problems[1]?.message).toContain('"then: nowhere" names no task of this list');
  });

  test('nested lists are checked too (for, try/catch, fork branches, switch cases)', () => {
    const text = `${HEADER}do:
  - loop:
      for:
        each: item
        in: \${ .items }
      do:
        - inner:
            wait: { seconds: 1 }
            then: missing
  - route:
      switch:
        - big:
            when: \${ .n > 1 }
            then: ghost
`;
    expect(problemsOf(text).map((p) => p.path)).toEqual(['/do/1/route/switch/0/big/then', '/do/0/loop/do/0/inner/then']);
  });

  test('not YAML, not an object, a missing document: typed errors with positions', () => {
    expect(problemsOf('do: [\n  - a')[0]?.message).toMatch(/^not valid YAML\/JSON/);
    expect(problemsOf('[1, 2]')[0]?.message).toBe('a definition is a YAML or JSON object');
    expect(problemsOf('do: []\n')).toEqual([{ path: '/document', message: expect.stringMatching(/^missing/) }]);
    expect(problemsOf(SEED.replace("dsl: '1.0.0'", "dsl: '0.8'"))).toEqual([{ path: '/document/dsl', message: 'unsupported DSL version "0.8": flunq-io runs 1.0.x', line: 2, column: 8 }]);
    expect(problemsOf(`${HEADER}${HEADER}do: []`)[0]?.message).toMatch(/not valid YAML\/JSON: .*unique/i);
  });

  test('hostile documents are bounded: size, depth, alias expansion', () => {
    expect(problemsOf(`${HEADER}do: []\n#${'x'.repeat(2_000_000)}`)[0]?.message).toMatch(/over the limit of 1048576/);
    const deep = `${HEADER}do: [{ a: { set: ${'{ x: '.repeat(200)}1${' }'.repeat(200)} } }]`;
    expect(problemsOf(deep)[0]?.message).toBe('nested deeper than 64 levels');
    const laughs = ['a: &a [x, x, x, x, x, x, x, x, x, x]'];
    for (let i = 1; i < 12; i++) laughs.push(`${String.fromCharCode(97 + i)}: &${String.fromCharCode(97 + i)} [${Array(10).fill(`*${String.fromCharCode(96 + i)}`).join(', ')}]`);
    const started = Date.now();
    expect(problemsOf(laughs.join('\n'))[0]?.message).toMatch(/^not usable YAML/);
    expect(Date.now() - started).toBeLessThan(2000);
  });
});

test('a YAML syntax error names its line, and an unquoted expression gets a hint', () => {
  const text = `document: { dsl: '1.0.0', namespace: t, name: x, version: '1.0.0' }\ndo:\n  - a:\n      set:\n        g: \${ { id: .x } }\n`;
  expect(() => parseDefinition(text)).toThrow("invalid workflow definition: / (line 5:12): not valid YAML/JSON: Nested mappings are not allowed in compact mappings (quote runtime expressions in YAML: '${ ... }')");
  expect(() => parseDefinition(text.replace('g: ${ { id: .x } }', "g: '${ { id: .x } }'"))).not.toThrow();
});
