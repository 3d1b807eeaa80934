// `npm run bench:relay`: load on the relay (127.0.0.1 only, bounded in time and count) on the
// embedded database and on PostgreSQL: metric batch ingestion, handoff message fan-out to SSE
// subscribers, claim contention. Prints req/s, p50/p99 latency, errors and peak relay RSS;
// writes JSON to bench/results/.
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { repoRoot } from '../../e2e/support/paths.ts';
import { dropSchema } from '../../relay/store/postgres.ts';
import { peakSampler, treeRss } from '../process-memory.ts';
import { fmt, table } from '../stats.ts';
import { startRelay } from './relay-process.ts';
import { claimContention, handoffFanOut, metricsIngestion, type ScenarioResult } from './scenarios.ts';

const seconds = Number(process.env.BENCH_SECONDS ?? 10);
const subscribers = Number(process.env.BENCH_SUBSCRIBERS ?? 50);
const agents = 4;
const conversations = Number(process.env.BENCH_CONVERSATIONS ?? 200);
const postgresUrl = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

interface Measured extends ScenarioResult {
  database: string;
  peakRssMiB: number;
}

async function postgresReachable(url: string): Promise<string | null> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 3000 });
  try {
    await client.connect();
    await client.query('select 1');
    return null;
  } catch (error) {
    return error instanceof Error ? error.message : String(error);
  } finally {
    await client.end().catch(() => undefined);
  }
}

async function onDatabase(database: string, target: string, schema: string): Promise<Measured[]> {
  const relay = await startRelay(target, schema, agents);
  const out: Measured[] = [];
  try {
    const scenarios = [
      () => metricsIngestion(relay, seconds),
      () => handoffFanOut(relay, seconds, subscribers),
      () => claimContention(relay, conversations),
    ];
    for (const scenario of scenarios) {
      const rss = peakSampler(() => treeRss(relay.pid), 250);
      const result = await scenario();
      out.push({ ...result, database, peakRssMiB: rss.stop() / 2 ** 20 });
      console.log(`  ${database}: ${result.name} done`);
    }
  } finally {
    await relay.stop();
  }
  return out;
}

async function main(): Promise<void> {
  const loadBefore = loadavg();
  const results: Measured[] = [];
  console.log('embedded database (PGlite)');
  results.push(...(await onDatabase('pglite', 'pglite', 'unused')));

  const unreachable = await postgresReachable(postgresUrl);
  let skipped: string | undefined;
  if (unreachable) {
    skipped = `PostgreSQL skipped: ${postgresUrl} not reachable (${unreachable})`;
    console.log(skipped);
  } else {
    // A fresh schema per run, dropped afterwards, so the shared database is left as it was.
    const schema = `relay_bench_${Date.now()}`;
    console.log(`PostgreSQL (${postgresUrl}, schema ${schema})`);
    try {
      results.push(...(await onDatabase('postgres', postgresUrl, schema)));
    } finally {
      await dropSchema(postgresUrl, schema);
    }
  }
  const loadAfter = loadavg();

  const rows = [['database', 'scenario', 'req/s', 'p50 ms', 'p99 ms', 'errors', 'requests', 'peak RSS MiB', 'notes']];
  for (const r of results) {
    const notes = Object.entries(r.extra).map(([k, v]) => `${k} ${v}`).join(', ');
    rows.push([r.database, r.name, fmt(r.requestsPerSecond), fmt(r.p50, 1), fmt(r.p99, 1), String(r.errors), String(r.requests), fmt(r.peakRssMiB), notes]);
  }
  console.log('');
  console.log(table(rows));
  for (const r of results.filter((r) => r.database === 'pglite')) console.log(`${r.name}: ${r.detail}`);
  console.log(
    `load average ${loadBefore.map((l) => l.toFixed(1)).join(' ')} before, ${loadAfter.map((l) => l.toFixed(1)).join(' ')} after (${cpus().length} cores)`,
  );

  const dir = join(repoRoot, 'bench/results');
  mkdirSync(dir, { recursive: true });
  const file = join(dir, `relay-${new Date().toISOString().replace(/[:.]/g, '-')}.json`);
  writeFileSync(file, JSON.stringify({ machine: { cores: cpus().length, loadBefore, loadAfter, node: process.version }, skipped, results }, null, 2));
  console.log(`wrote ${file}`);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
