// Two versions of the relay side by side in one run:
//   npx tsx bench/relay/ingest-compare.ts <old-repo-root> [<new-repo-root>]
// (the old root is e.g. a `git worktree add /tmp/relay-old <commit>` with node_modules linked).
// Each round starts bench/relay/server.ts of each root in turn (its own server, a fresh database
// each: an in-memory PGlite or a fresh PostgreSQL schema with shared rate limits as in
// production) and drives it with this checkout's client code (bench/relay/scenarios.ts), so both
// servers get the same load; the order alternates round by round. Prints each run and the medians.
//
//   BENCH_SCENARIO   ingest (default): POST /api/v1/metrics, batches of 20 turns, for each of
//                    BENCH_CONNECTIONS (comma list, default 10) autocannon connections;
//                    fanout: the handoff fan-out of `npm run bench:relay` (an agent posts on 4
//                    connections to one conversation, BENCH_SUBSCRIBERS SSE streams, default 50,
//                    half device, half dashboard). The old server must accept what this client
//                    sends: the device stream authenticates with `Authorization: Bearer`.
//   BENCH_DATABASES  comma list of postgres (default) and pglite.
//   BENCH_SECONDS    per run (default 8); BENCH_ROUNDS (default 2).
import { loadavg } from 'node:os';
import { dropSchema } from '../../relay/store/postgres.ts';
import { startRelay } from './relay-process.ts';
import { handoffFanOut, metricsIngestion, type ScenarioResult } from './scenarios.ts';

const [oldRoot, newRoot = process.cwd()] = process.argv.slice(2);
if (!oldRoot) throw new Error('usage: ingest-compare.ts <old-repo-root> [<new-repo-root>]');
const url = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const scenario = process.env.BENCH_SCENARIO ?? 'ingest';
if (scenario !== 'ingest' && scenario !== 'fanout') throw new Error(`BENCH_SCENARIO must be ingest or fanout, not ${scenario}`);
const databases = (process.env.BENCH_DATABASES ?? 'postgres').split(',');
const seconds = Number(process.env.BENCH_SECONDS ?? 8);
const rounds = Number(process.env.BENCH_ROUNDS ?? 2);
const connectionCounts = (process.env.BENCH_CONNECTIONS ?? '10').split(',').map(Number);
const subscribers = Number(process.env.BENCH_SUBSCRIBERS ?? 50);

/** One load on one server: ingestion at some connection count, or the fan-out. */
interface Case {
  database: string;
  label: string;
  run(relay: Awaited<ReturnType<typeof startRelay>>): Promise<ScenarioResult>;
}
const cases: Case[] = databases.flatMap((database) =>
  scenario === 'ingest'
    ? connectionCounts.map((connections) => ({ database, label: `${connections} conns`, run: (relay) => metricsIngestion(relay, seconds, connections) }))
    : [{ database, label: `${subscribers} subs`, run: (relay) => handoffFanOut(relay, seconds, subscribers) }],
);

async function measure(root: string, c: Case): Promise<ScenarioResult> {
  const schema = `relay_bench_${Date.now()}`;
  // The fan-out logs an agent in; ingestion needs no account.
  const relay = await startRelay(c.database === 'pglite' ? 'pglite' : url, schema, scenario === 'fanout' ? 1 : 0, root);
  try {
    return await c.run(relay);
  } finally {
    await relay.stop();
    if (c.database !== 'pglite') await dropSchema(url, schema);
  }
}

interface Run {
  version: 'old' | 'new';
  database: string;
  label: string;
  result: ScenarioResult;
}

/** The figures compared: throughput, request latency, and for the fan-out the delivery. */
const figures: [string, (r: ScenarioResult) => number][] =
  scenario === 'ingest'
    ? [
        ['turns/s', (r) => Number(r.extra.turnsPerSecond)],
        ['p50 ms', (r) => r.p50],
        ['p99 ms', (r) => r.p99],
      ]
    : [
        ['req/s', (r) => Math.round(r.requestsPerSecond)],
        ['p50 ms', (r) => r.p50],
        ['p99 ms', (r) => r.p99],
        ['deliveries/s', (r) => Number(r.extra.deliveredPerSecond)],
        ['delivery p50 ms', (r) => Number(r.extra.deliveryP50)],
        ['delivery p99 ms', (r) => Number(r.extra.deliveryP99)],
      ];

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor((xs.length - 1) / 2)]!;
const fmtLoad = (l: number[]) => l.map((x) => x.toFixed(1)).join(' ');
const load = loadavg();
const runs: Run[] = [];
for (let round = 0; round < rounds; round++) {
  for (const c of cases) {
    const order = round % 2 === 0 ? (['old', 'new'] as const) : (['new', 'old'] as const);
    for (const version of order) {
      const result = await measure(version === 'old' ? oldRoot : newRoot, c);
      runs.push({ version, database: c.database, label: c.label, result });
      const shown = Object.fromEntries(figures.map(([name, get]) => [name, get(result)]));
      console.log(JSON.stringify({ round, version, database: c.database, case: c.label, ...shown, errors: result.errors, ...(scenario === 'fanout' ? { delivered: result.extra.deliveredOfExpected, perSubscriberMinMax: result.extra.perSubscriberMinMax } : {}), load1: Number(loadavg()[0]!.toFixed(1)) }));
    }
  }
}
console.log(`\n${scenario}: load average ${fmtLoad(load)} before, ${fmtLoad(loadavg())} after; ${seconds} s per run, ${rounds} rounds, old = ${oldRoot}, new = ${newRoot}`);
console.log(`| version | database | case | ${figures.map(([name]) => `${name} (median)`).join(' | ')} | errors |`);
console.log(`| --- | --- | --- | ${figures.map(() => '---').join(' | ')} | --- |`);
for (const c of cases) {
  for (const version of ['old', 'new']) {
    const mine = runs.filter((r) => r.version === version && r.database === c.database && r.label === c.label).map((r) => r.result);
    const medians = figures.map(([, get]) => median(mine.map(get)));
    console.log(`| ${version} | ${c.database} | ${c.label} | ${medians.join(' | ')} | ${mine.reduce((s, r) => s + r.errors, 0)} |`);
  }
}
