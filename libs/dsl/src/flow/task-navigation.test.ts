import { describe, expect, test } from 'vitest';
import { parseDefinition } from '../definitions/parse-definition.js';
import { afterTask, firstOfList, FlowError } from './task-navigation.js';
import { ownerOfList, parseTaskPointer, resolvePointer, taskPointer } from './task-pointer.js';

const definition = parseDefinition(`document: { dsl: '1.0.0', namespace: t, name: nav, version: '1.0.0' }
do:
  - first:
      set: { a: 1 }
  - outer:
      do:
        - inner1:
            set: { b: 2 }
            then: inner3
        - inner2:
            set: { c: 3 }
        - inner3:
            set: { d: 4 }
  - last:
      set: { e: 5 }
      then: end
`);

describe('task navigation', () => {
  test('pointers round-trip and name their owner', () => {
    expect(parseTaskPointer(taskPointer('/do/1/outer/do', 2, 'a/b~c'))).toEqual({ list: '/do/1/outer/do', index: 2, name: 'a/b~c' });
    expect(ownerOfList('/do')).toBe('');
    expect(ownerOfList('/do/1/outer/do')).toBe('/do/1/outer');
    expect(ownerOfList('/do/2/race/fork/branches')).toBe('/do/2/race');
    expect(ownerOfList('/do/3/guard/catch/do')).toBe('/do/3/guard');
    expect(resolvePointer(definition, '/do/1/outer/do/0/inner1/set')).toEqual({ b: 2 });
  });

  test('continue, jump, exit and end', () => {
    expect(firstOfList(definition, '/do')).toEqual({ kind: 'task', pointer: '/do/0/first' });
    expect(afterTask(definition, '/do/0/first')).toEqual({ kind: 'task', pointer: '/do/1/outer' });
    expect(firstOfList(definition, '/do/1/outer/do')).toEqual({ kind: 'task', pointer: '/do/1/outer/do/0/inner1' });
    expect(afterTask(definition, '/do/1/outer/do/0/inner1', 'inner3')).toEqual({ kind: 'task', pointer: '/do/1/outer/do/2/inner3' });
    expect(afterTask(definition, '/do/1/outer/do/2/inner3')).toEqual({ kind: 'list-done', owner: '/do/1/outer', list: '/do/1/outer/do' });
    expect(afterTask(definition, '/do/1/outer/do/1/inner2', 'exit')).toEqual({ kind: 'list-done', owner: '/do/1/outer', list: '/do/1/outer/do' });
    expect(afterTask(definition, '/do/1/outer')).toEqual({ kind: 'task', pointer: '/do/2/last' });
    expect(afterTask(definition, '/do/2/last', 'end')).toEqual({ kind: 'workflow-end' });
    expect(afterTask(definition, '/do/2/last')).toEqual({ kind: 'list-done', owner: '', list: '/do' });
  });

  test('pointers that are not tasks, and jumps to nowhere, are typed errors', () => {
    expect(() => afterTask(definition, '/do/7/ghost')).toThrow(FlowError);
    expect(() => afterTask(definition, '/do/0/wrongName')).toThrow(FlowError);
    expect(() => afterTask(definition, '/do/0/first', 'nowhere')).toThrow(FlowError);
    expect(() => firstOfList(definition, '/do/0/first')).toThrow(FlowError);
  });
});
