// Metric ingestion on PostgreSQL, two versions of the relay side by side in one run:
//   npx tsx bench/relay/ingest-compare.ts <old-repo-root> [<new-repo-root>]
// (the old root is e.g. a `git worktree add /tmp/relay-old <commit>` with node_modules linked).
// Each round starts bench/relay/server.ts of each root in turn (a fresh schema each, shared rate
// limits as in production) and posts batches of 20 turns from `connections` clients for
// BENCH_SECONDS; the order alternates round by round. Prints each run and the medians.
import { spawn } from 'node:child_process';
import { loadavg } from 'node:os';
import { createInterface } from 'node:readline';
import { dropSchema } from '../../relay/store/postgres.ts';
import { metricsIngestion, type ScenarioResult } from './scenarios.ts';

const [oldRoot, newRoot = process.cwd()] = process.argv.slice(2);
if (!oldRoot) throw new Error('usage: ingest-compare.ts <old-repo-root> [<new-repo-root>]');
const url = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const seconds = Number(process.env.BENCH_SECONDS ?? 8);
const rounds = Number(process.env.BENCH_ROUNDS ?? 2);
const connectionCounts = (process.env.BENCH_CONNECTIONS ?? '10').split(',').map(Number);

async function measure(root: string, connections: number): Promise<ScenarioResult> {
  const schema = `relay_bench_${Date.now()}`;
  const child = spawn(process.execPath, ['--import', 'tsx', 'bench/relay/server.ts', url, schema, '0'], { cwd: root, stdio: ['ignore', 'pipe', 'inherit'] });
  try {
    const line = await new Promise<string>((resolve, reject) => {
      child.once('exit', (code) => reject(new Error(`relay in ${root} exited with ${code}`)));
      createInterface({ input: child.stdout! }).once('line', resolve);
    });
    const { url: base } = JSON.parse(line) as { url: string };
    return await metricsIngestion({ url: base }, seconds, connections);
  } finally {
    const exited = new Promise((r) => child.once('exit', r));
    child.kill('SIGTERM');
    await exited;
    await dropSchema(url, schema);
  }
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor((xs.length - 1) / 2)]!;
const load = loadavg();
const runs: { version: string; connections: number; turnsPerSecond: number; p50: number; p99: number; errors: number }[] = [];
for (let round = 0; round < rounds; round++) {
  for (const connections of connectionCounts) {
    const order = round % 2 === 0 ? (['old', 'new'] as const) : (['new', 'old'] as const);
    for (const version of order) {
      const r = await measure(version === 'old' ? oldRoot : newRoot, connections);
      const run = { version, connections, turnsPerSecond: Number(r.extra.turnsPerSecond), p50: r.p50, p99: r.p99, errors: r.errors };
      runs.push(run);
      console.log(JSON.stringify({ round, ...run }));
    }
  }
}
console.log(`\nload average ${load.map((l) => l.toFixed(1)).join(' ')} before, ${loadavg().map((l) => l.toFixed(1)).join(' ')} after; ${seconds} s per run, ${rounds} rounds`);
console.log('| version | connections | turns/s (median) | p50 ms (median) | p99 ms (median) | errors |');
console.log('| --- | --- | --- | --- | --- | --- |');
for (const connections of connectionCounts) {
  for (const version of ['old', 'new']) {
    const mine = runs.filter((r) => r.version === version && r.connections === connections);
    console.log(`| ${version} | ${connections} | ${median(mine.map((r) => r.turnsPerSecond))} | ${median(mine.map((r) => r.p50))} | ${median(mine.map((r) => r.p99))} | ${mine.reduce((s, r) => s + r.errors, 0)} |`);
  }
}
