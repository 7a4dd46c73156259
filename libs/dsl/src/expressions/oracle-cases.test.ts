import { loadJq } from 'jq-wasm';
import { beforeAll, describe, expect, it } from 'vitest';
import { compileExpression } from './index.js';

type Case = [expr: string, input: unknown, vars?: Record<string, unknown>];

const pet = { id: 1, category: { id: 1, name: 'dog' }, name: 'doggie', photoUrls: [], tags: [{ id: 0, name: 'string' }], status: 'available' };
const pet2 = { ...pet, id: 2, name: 'rex' };
const err404 = { type: 'https://serverlessworkflow.io/dsl/errors/types/communication', status: 404, title: 'Not Found', instance: '/do/0/tryGetPet/try/0/getPet' };

/** The 25 CTK probes of docs/jq-choice.md (C, O, V). */
const CTK: Case[] = [
  ['.colors + ["red"]', {}],
  ['.colors + ["green"]', { colors: ['red'] }],
  ['.colors + [ "blue" ]', { colors: ['red', 'green'] }],
  ['.[0]', [pet, pet2]],
  ['.username', { username: 'serverless-workflow', password: 'conformance-test' }],
  ['.password', { username: 'serverless-workflow', password: 'conformance-test' }],
  ['. | length', [pet, pet2, pet]],
  ['.status', { status: 'available' }],
  ['.petId', { petId: 1 }],
  ['.user.claims.subject', { user: { claims: { subject: '6AsnRgGEB0q2O7ux9JXFAw' } } }],
  ['.', '6AsnRgGEB0q2O7ux9JXFAw'],
  ['.id', pet],
  ['{ ids: [ $input, .id ] }', pet2, { input: 1 }],
  ['"Hello \\(.user.firstName) \\(.user.lastName)!"', { user: { firstName: 'John', lastName: 'Doe' } }],
  ['.colors', { colors: ['red', 'green', 'blue'] }],
  ['{ colors: (.processed.colors + [ $color ]), indexes: (.processed.indexes + [ $index ])}', { colors: ['red'] }, { color: 'red', index: 0 }],
  ['{ colors: (.processed.colors + [ $color ]), indexes: (.processed.indexes + [ $index ])}', { processed: { colors: ['red'], indexes: [0] } }, { color: 'green', index: 1 }],
  ['.configuration.size', { configuration: { size: { width: 6, height: 6 }, fill: { red: 69 } } }],
  ['.configuration.fill', { configuration: { size: { width: 6, height: 6 }, fill: { red: 69, green: 69, blue: 69 } } }],
  ['.color == "red"', { color: 'red' }],
  ['.color == "green"', { color: 'yellow' }],
  ['.colors + [ $input.color ]', { color: 'yellow' }, { input: { color: 'yellow' } }],
  ['$err', { petName: 'Milou' }, { err: err404 }],
  ['Hello \\(.name)!', { name: 'John' }],
  ['$taskError', {}, { taskError: err404 }],
  ['$error.status == 404', {}, { error: err404 }],
];

/** The DSL text's examples (S) and semantics probes (X) of the doc, plus our own per feature. */
const MORE: Case[] = [
  ['"Executing task \'\\($task.reference)\'..."', {}, { task: { reference: '/do/0/getAvailablePets' } }],
  ['$input + { availablePets: [.[] | select(.category.name == "dog" and (.tags[] | .breed == $input.order.breed))] }',
    [{ ...pet, tags: [{ breed: 'lab' }] }, { ...pet2, category: { name: 'cat' }, tags: [{ breed: 'lab' }] }], { input: { order: { breed: 'lab' } } }],
  ['.pets | map("-\\(.name)") | join("\\n")', { pets: [{ name: 'rex' }, { name: 'milou' }] }],
  ['. == $workflow.input.chat.roomId', 'room-1', { workflow: { input: { chat: { roomId: 'room-1' } } } }],
  ['.pets + [{ "id": $pet.id }]', { pets: [{ id: 1 }] }, { pet: { id: 7 } }],
  ['.vet != null', { vet: null }],
  ['.bpm < 60 or .bpm > 100', { bpm: 55 }],
  ['$task.call == "http" and ($task.with.uri != null and ($task.with.uri | startswith("https://mocked.service.com"))) or ($task.with.endpoint.uri != null and ($task.with.endpoint.uri | startswith("https://mocked.service.com")))',
    {}, { task: { call: 'http', with: { endpoint: { uri: 'https://mocked.service.com/x' } } } }],
  ['$context+.', { b: 2 }, { context: { a: 1 } }],
  ['($context.messages | length) == 5', {}, { context: { messages: [1, 2, 3, 4, 5] } }],
  ['$workflow.input[0]', {}, { workflow: { input: [{ type: 'e1' }, { type: 'e2' }] } }],
  ['.missing // "default"', { missing: null }],
  ['.f // "default"', { f: false }],
  ['[.[] // 9]', [null, false, 1, 2]],
  ['error("x") // 1', null],
  ['(1, error("x")) // 2', null],
  ['.name.first', { name: 'x' }],
  ['try error("boom") catch .', null],
  ['try error({a: 1}) catch .a', null],
  ['[.[] | try (if . > 1 then error("big") else . end) catch "caught"]', [1, 2, 3]],
  ['[try (1, error("x"), 2) catch .]', null],
  ['[.[] | (1 / .)?]', [1, 0, 2]],
  ['. as {a: $x, b: [$y]} | [$x, $y]', { a: 1, b: [2] }],
  ['. as [$a, {c: $c}] | {$a, $c}', [1, { c: 3 }]],
  ['if .n > 2 then "big" elif .n > 0 then "small" else "none" end', { n: 1 }],
  ['[.[] | if . then 1 end]', [true, false, null, 0]],
  ['reduce .[] as $x (0; . + $x)', [1, 2, 3]],
  ['[foreach .[] as $x (0; . + $x)]', [1, 2, 3]],
  ['[foreach .[] as $x (0; . + $x; [$x, .])]', [1, 2, 3]],
  ['now | type', null],
  ['.[] | .id', [{ id: 1 }, { id: 2 }]],
  ['empty', null],
  ['.a.b?', { a: 'str' }],
  ['[.[]?]', 3],
  ['{a: {b: 1}} * {a: {c: 2}}', null],
  ['[tojson, (.s | @base64), (.s | @base64 | @base64d), @json "v=\\(.s)"]', { s: 'hi' }],
  ['.a | | .b', {}],
  ['[null + [1], null + {a:1}, null + null, 1 + null]', null],
  ['["ab" * 0, ("a,b" / ","), "ab" * 2.5, "x" * -1]', null],
  ['[has("a"), keys, keys_unsorted, (to_entries | length)]', { b: 1, a: 2 }],
  ['[sort_by(.n) | .[].n, (group_by(.g) | length), ([.[].g] | unique), (unique_by(.g) | length), (min_by(.n) | .n), (max_by(.n) | .n)]',
    [{ n: 3, g: 'x' }, { n: 1, g: 'y' }, { n: 2, g: 'x' }]],
  ['.s | test("^a.c$")', { s: 'abc' }],
  ['[.[] | test("B"; "i")]', ['abc', 'xyz']],
  ['"\\(.a)-\\(.b)-\\(.c)-\\(.d)"', { a: 1, b: [1], c: null, d: 'x' }],
  ['[1 / 3, 10 % 3, 0.1 + 0.2, -5 % 3, 5 % -3, 7 - 2, 2 * 3]', null],
  ['.x[]', {}],
  ['[limit(2; .[]), first(.[]), last(.[]), first, last, isempty(empty)]', [5, 6, 7]],
  ['[(1,2) + (10,20)]', null],
  ['"\\(1,2)-\\(3,4)"', null],
  ['{a: (1,2), b: (3,4)}', null],
  ['{a: 1 + 1, "b": 2, ("c" + "d"): 3, $x, e: .e | length}', { e: 'abc', x: 'no' }, { x: 9 }],
  ['{a, "b", c: 1}', { a: 1, b: 2 }],
  ['. as $v | $v.a', { a: 4 }],
  ['[.[] as $x | $x * 2]', [1, 2]],
  ['[.[1:3], .[:-1], .[-2:], .[5:], .[1.5:2.5]]', [1, 2, 3, 4]],
  ['.[2:4], .[:1]', 'abcdef'],
  ['[.[] | type]', [null, true, 1, 'a', [], {}]],
  ['sort', [{ a: 1 }, [2], 'b', 3, true, false, null, 'a', { a: 0 }, [1]]],
  ['[.[] | [. < 1, . == 1, . >= "a", . != null]]', [null, 0, 1, 'a', [], {}]],
  ['[.[] | not]', [null, false, 0, '']],
  ['[true and false, true or error("x"), false and error("x"), (true, false) and true]', null],
  ['[.[] | length]', [null, -3, 'héllo', [1, 2], { a: 1 }]],
  ['true | length', null],
  ['[map(. * 2), map_values?]', [1, 2]],
  ['map(. + 1)', { a: 1, b: 2 }],
  ['[.[] | select(.n > 1) | .name]', [{ n: 1, name: 'a' }, { n: 2, name: 'b' }, { n: 3, name: 'c' }]],
  ['[add, (map(tostring) | add), ([] | add), ({a: [1], b: [2]} | add)]', [1, 2, 3]],
  ['[.[] | tostring]', [1, 'a', null, [1, 'b'], { x: 1 }]],
  ['[.[] | tonumber]', ['1', '2.5', 3, '-1e3']],
  ['"abc" | tonumber', null],
  ['[.[] | (tojson | fromjson) == .]', [1, 'a', null, [1, { b: 2 }]]],
  ['"[1,2" | fromjson', null],
  ['error', 'custom'],
  ['error(null)', null],
  ['to_entries, (to_entries | from_entries), with_entries({key, value: (.value + 1)})', { a: 1, b: 2 }],
  ['from_entries', [{ key: 'a', value: 1 }, { name: 'b', Value: 2 }, { Name: 'c', value: null }, { key: false, Key: 'd' }]],
  ['from_entries', [{ key: 1, value: 1 }]],
  ['with_entries(select(.value > 1) | {key: (.key | ascii_upcase), value})', { a: 1, b: 2 }],
  ['[join(", "), join("")]', ['a', 1, null, true]],
  ['[split(", "), split("x"), ("" | split(","))]', 'a, b, c'],
  ['[ascii_downcase, ascii_upcase]', 'AbC-é'],
  ['[contains("bar"), ([1, [2, 3]] | contains([[2]])), ({a: {b: 1, c: 2}} | contains({a: {b: 1}})), ("x" | inside("xy"))]', 'foobar'],
  ['[1] | contains("a")', null],
  ['[startswith("ab"), endswith("yz"), ltrimstr("ab"), rtrimstr("yz")]', 'abxyz'],
  ['startswith(1)', 'ab'],
  ['[min, max, (map(-.) | min), ([] | min), unique, reverse, sort]', [3, 1, 2, 3]],
  ['[range(3), range(1; 3), range(0; 10; 4), range(3; 0; -1)]', null],
  ['[.[] | floor, sqrt, ceil, round, fabs]', [4.5, -2.5]],
  ['[.[] | tojson]', [1.5, 'x"y', [null], { a: true }]],
  ['[.. | numbers]', { a: [1, { b: 2 }], c: 'x' }],
  ['[.[] | values, nulls, strings, booleans, arrays, objects, numbers]', [null, 1, 'a', true, [], {}]],
  ['[any, all, any(. > 2), all(. > 0), flatten, flatten(1)]', [1, [2, [3]]]],
  ['{(1): 2}', null],
  ['{} | .a.b.c', null],
  ['-.a, -(1, 2)', { a: 3 }],
  ['null | -.', null],
  ['[.[] | @text, @html, @uri, @csv?, @sh?]', ['<a b>&"\'', [1, 'a,b', null]]],
  ['[getpath(["a", "b"]), getpath(["x", "y"])]', { a: { b: 5 } }],
  ['[explode, (explode | implode), utf8bytelength]', 'aé'],
  ['[.a[.i], .a[-1], .a[10], .["a"][0]]', { a: [1, 2, 3], i: 1 }],
  ['[.[] | .[0, 1]]', [[1, 2], [3, 4]]],
  ['.[] | {name, id: (.id // "none")}', [{ name: 'a', id: 1 }, { name: 'b' }]],
  ['$input | keys', null, { input: { z: 1, a: 2, é: 3, B: 4 } }],
  ['$context.a.b', 1, { context: { a: null } }],
  ['.a."b-c"', { a: { 'b-c': 1 } }],
  ['.[] as [$a, $b] | $a + $b', [[1, 2], [3, 4]]],
  ['{"a": 1} | has("b"), (["x"] | has(0, 1))', null],
  ['{} | has(1)', null],
  ['[1, 2] | .["a"]', null],
  ['{"a": 1} | .[0]', null],
  ['[(1, 2) as $x | $x * 10]', null],
  ['"x" * 0 + "y"', null],
  ['[splits]?', null],
  ['[.[] | ltrimstr(1)]', ['1a', 'a']],
  ['.s | reverse', { s: 'ab' }],
  ['"Hello" | @base64d', null],
  ['.a.b[0] |= . + 10', { a: { b: [1, 2] } }],
  ['[.n += 1, .n -= 1, .n *= 2, .n /= 2, .n %= 2]', { n: 3 }],
  ['[.missing //= "x", .f //= "x"]', { f: false }],
  ['.l[] |= . * 2', { l: [1, 2] }],
  ['.o |= with_entries(.value //= 0)', { o: { z: 1, y: null } }],
  ['.new.deep = 1, (.l[4] = 1), (.l[-1] = 9)', { l: [1, 2] }],
  ['[.n = (1, 2)], ((.n, .f) = 7)', { n: 0, f: 1 }],
  ['.n as $x | .o.z = $x', { n: 5, o: {} }],
  ['del(.a), del(.l[0, 2]), del(.l[] | select(. == 1)), del(.o.z, .n)', { a: 1, n: 2, l: [1, 2, 1, 3], o: { z: 1 } }],
  ['[paths], [paths(type == "number")], [path(.a.b[0])], [path(..)], [path(.a[].c?)]', { a: { b: [1, { c: 2 }] } }],
  ['map_values(type), (.l | map_values(empty)), (.l | map_values(. + 1))', { l: [3, 1, 2] }],
  ['.a.b |= map(select(type == "number")) | .a.b[0] |= empty', { a: { b: [1, 'x', 2] } }],
  ['.s.x = 1', { s: 'str' }],
  ['.[] = 1', { a: 0, b: 0 }],
  ['null | .a = 1, (.b += 1)', null],
  ['[.a.b?], [(.a).b?], [.a?.b?], [.a[]?], [(error("x"))?]', { a: 1 }],
  ['[.b.c?]', 1],
  ['[(error("x")).a?]', null],
  ['[1, 2 as $x | $x * 10], [1 + 2 as $x | $x * 10, 4], [.a // 3 as $x | $x], [.a = 1 as $x | $x]', null],
  ['[-2 | . * 3], (try -2 catch .), -1 + 2, [-(1, 2)]', null],
  ['"abcdefghijklmnopqrstuvwxyz0123456789" - 1', null],
  ['{a: [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14]} - 1', null],
  ['[5 % 0]', null],
  ['{} % 1', null],
  ['[.[] | @base64d]', ['aGk=', 'aGk']],
];

let jq: Awaited<ReturnType<typeof loadJq>>;
beforeAll(async () => { jq = await loadJq(); });

type Outcome = { outputs: unknown[] } | { error: string };

function ours(c: Case): Outcome {
  try {
    return { outputs: JSON.parse(JSON.stringify(compileExpression(c[0]).evaluate(c[1], c[2]))) as unknown[] };
  } catch (e) {
    return { error: (e as Error).message };
  }
}

function reference(c: Case): Outcome {
  const flags: string[] = [];
  for (const [k, v] of Object.entries(c[2] ?? {})) flags.push('--argjson', k, JSON.stringify(v));
  try {
    return { outputs: jq.json(JSON.stringify(c[1]), c[0], flags) };
  } catch (e) {
    const m = /^jq: error \(at [^)]*\)( \(not a string\))?: (.*)$/s.exec((e as Error).message.trim());
    if (!m) return { error: 'compile error' };
    return { error: m[1] ? `${m[2]} (not a string)` : (m[2] ?? '') };
  }
}

/** Compares all outputs; for runtime errors also jq's message. */
function check(c: Case): void {
  const want = reference(c);
  const got = ours(c);
  if ('outputs' in want) {
    expect(got).toEqual(want);
  } else {
    expect(got, `expected an error like jq's: ${want.error}`).toHaveProperty('error');
    if (want.error !== 'compile error' && !/while parsing/.test(want.error)) {
      expect((got as { error: string }).error).toBe(want.error);
    }
  }
}

describe('runtime expressions agree with jq 1.8.2 (jq-wasm)', () => {
  it.each(CTK.map((c, i) => [i, c[0], c] as const))('CTK %i: %s', (_i, _e, c) => check(c));
  it.each(MORE.map((c, i) => [i, c[0], c] as const))('feature %i: %s', (_i, _e, c) => check(c));
});
