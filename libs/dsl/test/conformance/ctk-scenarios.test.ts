// The spec's conformance scenarios that need no network (ctk/features/*.feature in
// serverlessworkflow/specification; definitions and expectations copied as test data).
// Status of each one: docs/dsl-conformance.md.
import { describe, expect, test } from 'vitest';
import { at, drive, missingProperties } from './drive.js';

describe('branch.feature', () => {
  test('Fork Task With Competing Concurrent Sub Tasks', async () => {
    const { state } = await drive(
      `document:
  dsl: '1.0.3'
  namespace: default
  name: fork
  version: '1.0.0'
do:
  - branchColors:
      fork:
        compete: true
        branches:
          - setRed:
              set:
                colors: \${ .colors + ["red"] }
          - setGreen:
              set:
                colors: \${ .colors + ["green"] }
          - setBlue:
              set:
                colors: \${ .colors + ["blue"] }
`,
      {},
    );
    expect(state.status).toBe('completed');
    expect((state.output as { colors: unknown[] }).colors).toHaveLength(1);
  });
});

describe('do.feature', () => {
  test('Task With Sequential Sub Tasks', async () => {
    const { state } = await drive(
      `document:
  dsl: '1.0.3'
  namespace: default
  name: do
  version: '1.0.0'
do:
  - compositeExample:
      do:
        - setRed:
            set:
              colors: \${ .colors + ["red"] }
        - setGreen:
            set:
              colors: \${ .colors + ["green"] }
        - setBlue:
            set:
              colors: \${ .colors + ["blue"] }
`,
      {},
    );
    expect(state.status).toBe('completed');
    expect(state.output).toEqual({ colors: ['red', 'green', 'blue'] });
  });
});

describe('emit.feature', () => {
  test('Emit Task', async () => {
    const { state } = await drive(
      `document:
  dsl: '1.0.3'
  namespace: default
  name: emit
  version: '1.0.0'
do:
  - emitEvent:
      emit:
        event:
          with:
            source: https://fake-source.com
            type: com.fake-source.user.greeted.v1
            data:
              greetings: '\${ "Hello \\(.user.firstName) \\(.user.lastName)!" }'
`,
      { user: { firstName: 'John', lastName: 'Doe' } },
    );
    expect(state.status).toBe('completed');
    expect(missingProperties(state.output, 'id', 'specversion', 'time', 'source', 'type', 'data')).toEqual([]);
    expect(at(state.output, 'source')).toBe('https://fake-source.com');
    expect(at(state.output, 'type')).toBe('com.fake-source.user.greeted.v1');
    expect(at(state.output, 'data')).toEqual({ greetings: 'Hello John Doe!' });
  });
});

describe('flow.feature', () => {
  test('Implicit Sequence Flow', async () => {
    const { state, taskOrder } = await drive(
      `document:
  dsl: '1.0.3'
  namespace: default
  name: implicit-sequence
  version: '1.0.0'
do:
  - setRed:
      set:
        colors: '\${ .colors + [ "red" ] }'
  - setGreen:
      set:
        colors: '\${ .colors + [ "green" ] }'
  - setBlue:
      set:
        colors: '\${ .colors + [ "blue" ] }'
`,
      {},
    );
    expect(state.status).toBe('completed');
    expect(state.output).toEqual({ colors: ['red', 'green', 'blue'] });
    expect(taskOrder[0]).toBe('setRed');
    expect(taskOrder.indexOf('setGreen')).toBeGreaterThan(taskOrder.indexOf('setRed'));
    expect(taskOrder.indexOf('setBlue')).toBeGreaterThan(taskOrder.indexOf('setGreen'));
  });

  test('Explicit Sequence Flow', async () => {
    const { state, taskOrder } = await drive(
      `document:
  dsl: '1.0.3'
  namespace: default
  name: explicit-sequence
  version: '1.0.0'
do:
  - setRed:
      set:
        colors: '\${ .colors + [ "red" ] }'
      then: setGreen
  - setBlue:
      set:
        colors: '\${ .colors + [ "blue" ] }'
      then: end
  - setGreen:
      set:
        colors: '\${ .colors + [ "green" ] }'
      then: setBlue
`,
      {},
    );
    expect(state.status).toBe('completed');
    expect(state.output).toEqual({ colors: ['red', 'green', 'blue'] });
    expect(taskOrder[0]).toBe('setRed');
    expect(taskOrder.indexOf('setGreen')).toBeGreaterThan(taskOrder.indexOf('setRed'));
    expect(taskOrder.indexOf('setBlue')).toBeGreaterThan(taskOrder.indexOf('setGreen'));
  });
});

describe('for.feature', () => {
  test('For Task', async () => {
    const { state } = await drive(
      `document:
  dsl: '1.0.0'
  namespace: default
  name: for
  version: '1.0.0'
do:
  - loopColors:
      for:
        each: color
        in: '.colors'
      do:
        - markProcessed:
            set:
              processed: '\${ { colors: (.processed.colors + [ $color ]), indexes: (.processed.indexes + [ $index ])} }'
`,
      { colors: ['red', 'green', 'blue'] },
    );
    expect(state.status).toBe('completed');
    expect(state.output).toEqual({ processed: { colors: ['red', 'green', 'blue'], indexes: [0, 1, 2] } });
  });
});

describe('raise.feature', () => {
  test('Raise task with inline error', async () => {
    const { state } = await drive(
      `document:
  dsl: '1.0.3'
  namespace: default
  name: raise-custom-error
  version: '1.0.0'
do:
  - raiseError:
      raise:
        error:
          status: 400
          type: https://open-workflow-specification.org/errors/types/compliance
          title: Compliance Error
`,
      {},
    );
    expect(state.status).toBe('failed');
    expect(state.error).toEqual({
      status: 400,
      type: 'https://open-workflow-specification.org/errors/types/compliance',
      title: 'Compliance Error',
      instance: '/do/0/raiseError',
    });
  });
});

describe('set.feature', () => {
  // The newest stored copy is alpha1 (`do` as a map, no document.version); written here in DSL 1.0 form.
  test('Set Task', async () => {
    const { state } = await drive(
      `document:
  dsl: '1.0.0'
  namespace: default
  name: set
  version: '1.0.0'
do:
  - initialize:
      set:
        shape: circle
        size: \${ .configuration.size }
        fill: \${ .configuration.fill }
`,
      { configuration: { size: { width: 6, height: 6 }, fill: { red: 69, green: 69, blue: 69 } } },
    );
    expect(state.status).toBe('completed');
    expect(state.output).toEqual({ shape: 'circle', size: { width: 6, height: 6 }, fill: { red: 69, green: 69, blue: 69 } });
  });
});

const SWITCH_HEAD = (name: string) => `document:
  dsl: '1.0.3'
  namespace: default
  name: ${name}
  version: '1.0.0'
do:
  - switchColor:
      switch:
        - red:
            when: '.color == "red"'
            then: setRed
        - green:
            when: '.color == "green"'
            then: setGreen
        - blue:
            when: '.color == "blue"'
            then: setBlue
`;
const SET = (color: string, value: string, then: string) => `  - set${color}:
      set:
        colors: '\${ .colors + [ ${value} ] }'
${then}`;

const SWITCH_MATCH = `${SWITCH_HEAD('switch-match')}${SET('Red', '"red"', '      then: end\n')}${SET('Green', '"green"', '      then: end\n')}${SET('Blue', '"blue"', '      then: end\n')}`;
const SWITCH_IMPLICIT_DEFAULT = `${SWITCH_HEAD('switch-default-implicit')}      then: end
${SET('Red', '"red"', '')}${SET('Green', '"green"', '')}${SET('Blue', '"blue"', '')}`;
const SWITCH_EXPLICIT_DEFAULT = `${SWITCH_HEAD('switch-default-implicit')}        - anyOtherColor:
            then: setCustomColor
${SET('Red', '"red"', '')}${SET('Green', '"green"', '')}${SET('Blue', '"blue"', '')}${SET('CustomColor', '$input.color', '')}`;

describe('switch.feature', () => {
  test('Switch task with matching case', async () => {
    const { state, taskOrder } = await drive(SWITCH_MATCH, { color: 'red' });
    expect(state.status).toBe('completed');
    expect(state.output).toEqual({ colors: ['red'] });
    expect(taskOrder[0]).toBe('switchColor');
    expect(taskOrder.at(-1)).toBe('setRed');
  });

  test('Switch task with implicit default case', async () => {
    const { state, taskOrder } = await drive(SWITCH_IMPLICIT_DEFAULT, { color: 'yellow' });
    expect(state.status).toBe('completed');
    expect(state.output).toEqual({ color: 'yellow' });
    expect(taskOrder[0]).toBe('switchColor');
    expect(taskOrder.at(-1)).toBe('switchColor');
  });

  test('Switch task with explicit default case', async () => {
    const { state, taskOrder } = await drive(SWITCH_EXPLICIT_DEFAULT, { color: 'yellow' });
    expect(state.status).toBe('completed');
    expect(state.output).toEqual({ colors: ['yellow'] });
    expect(taskOrder[0]).toBe('switchColor');
    expect(taskOrder.at(-1)).toBe('setCustomColor');
  });
});
