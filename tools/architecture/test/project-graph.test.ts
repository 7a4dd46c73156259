import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';

const root = new URL('../../../', import.meta.url).pathname;
const RANK: Record<string, number> = { 'type:proto': 0, 'type:codec': 1, 'type:store': 2, 'type:lib': 3, 'type:engine': 4, 'type:testing': 4.5, 'type:app': 5, 'type:tool': 5 };

interface Graph {
  nodes: Record<string, { data: { tags?: string[] } }>;
  dependencies: Record<string, { target: string }[]>;
}

describe('the Nx project graph', () => {
  let graph: Graph;
  const dir = mkdtempSync(join(tmpdir(), 'flunq-graph-'));
  beforeAll(() => {
    const file = join(dir, 'graph.json');
    const run = spawnSync('npx', ['nx', 'graph', `--file=${file}`], { cwd: root, encoding: 'utf8', env: { ...process.env, NX_DAEMON: 'false' } });
    expect(run.status, run.stderr).toBe(0);
    graph = (JSON.parse(readFileSync(file, 'utf8')) as { graph: Graph }).graph;
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  const rankOf = (project: string): number => {
    const tag = graph.nodes[project]?.data.tags?.find((t) => t.startsWith('type:'));
    return tag === undefined ? Number.NaN : (RANK[tag] ?? Number.NaN);
  };

  test('every workspace project has a type and a scope tag', () => {
    for (const [name, node] of Object.entries(graph.nodes)) {
      expect(Number.isNaN(rankOf(name)), `${name} has no known type:* tag`).toBe(false);
      expect(node.data.tags?.some((t) => t.startsWith('scope:')), `${name} has no scope:* tag`).toBe(true);
    }
  });

  test('layers point one way: proto-types <- serializer <- redis-store <- engine <- apps', () => {
    const edges = Object.entries(graph.dependencies).flatMap(([source, deps]) =>
      deps.filter((d) => graph.nodes[d.target]).map((d) => [source, d.target] as const),
    );
    expect(edges).toContainEqual(['@flunq/redis-store', '@flunq/serializer']);
    expect(edges).toContainEqual(['@flunq/serializer', '@flunq/proto-types']);
    for (const [source, target] of edges) expect(rankOf(target), `${source} -> ${target}`).toBeLessThan(rankOf(source));
  });
});
