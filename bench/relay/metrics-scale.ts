// `tsx bench/relay/metrics-scale.ts [postgres-url]`: how `/metrics` and the summary behave as
// the turn metric tables grow (issue 15 item 3). For each size (SCALE_SIZES, default 1000 and
// 1000000 turns, each with SCALE_STAGES stage values) it fills a fresh schema with SQL
// (generate_series; turns spread evenly over the last 30 days, inside the default retention),
// VACUUM ANALYZEs it as autovacuum would, serves the relay on 127.0.0.1 and times:
//  - a `/metrics` scrape (over HTTP, the new per-process exposition);
//  - the queries the old `/metrics` ran on every scrape (full-table aggregates, before issue 15);
//  - `GET /api/v1/metrics/summary` for the dashboard's four windows (1 h, 24 h, 7 d, 30 d);
//  - one retention prune that deletes the oldest day.
// Prints a table and writes JSON to bench/results/. The schemas are dropped afterwards.
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { repoRoot } from '../../e2e/support/paths.ts';
import { addAgent } from '../../relay/agents/accounts.ts';
import { createApp } from '../../relay/app.ts';
import { DAY_MS, pruneTurnMetrics } from '../../relay/metrics/retention.ts';
import { resolveModels } from '../../relay/models/resolve-models.ts';
import { migrate } from '../../relay/store/migrate.ts';
import { dropSchema, openPostgres } from '../../relay/store/postgres.ts';
import type { Db } from '../../relay/store/types.ts';
import { listen } from '../../relay/test-support/raw-http.ts';
import { makeDist } from '../../relay/test-support/temp-dirs.ts';
import { AGENT_SESSION_COOKIE } from '../../src/protocol/api.ts';

const url = process.argv[2] ?? process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const sizes = (process.env.SCALE_SIZES ?? '1000,1000000').split(',').map(Number);
const stagesPerTurn = Number(process.env.SCALE_STAGES ?? 4);
const runs = Number(process.env.SCALE_RUNS ?? 5);
const STAGES = ['voiceToVoice', 'asr', 'llmTtft', 'tokensPerSecond', 'endpointing', 'firstSentence', 'ttsFirstAudio', 'playout'].slice(0, stagesPerTurn);

export async function fill(db: Db, turns: number): Promise<void> {
  // Three LLMs, two backends, most turns by voice; stage values in plausible ranges.
  await db.query(
    `insert into turn_metrics (turn_id, session_id, device_class, source, ended_at, received_at,
       asr_model, llm_model, tts_model, asr_backend, llm_backend, tts_backend, tokens, interrupted, app_version,
       timing_version, end_of_turn)
     select 'turn-' || g, 'session-' || (g % 5000), (array['desktop','mobile','tablet'])[1 + g % 3],
       case when g % 10 = 0 then 'text' else 'voice' end,
       now() - (g::float8 / $1) * interval '30 days', now() - (g::float8 / $1) * interval '30 days',
       'onnx-community/whisper-base.en', (array['onnx-community/Qwen2.5-0.5B-Instruct','HuggingFaceTB/SmolLM2-135M-Instruct','fixtures/chat-lm'])[1 + g % 3],
       'onnx-community/Kokoro-82M-v1.0-ONNX', 'wasm', (array['webgpu','wasm'])[1 + g % 2], 'wasm', 40, g % 17 = 0, '0.1.0',
       2, (array['turn-model','silence','text'])[1 + g % 3]
     from generate_series(1, $1::int) g`,
    [turns],
  );
  await db.query(
    `insert into turn_metric_values (turn_id, stage, value, model, backend, ended_at)
     select t.turn_id, s.stage,
       case s.stage when 'tokensPerSecond' then 5 + random() * 40 else 50 + random() * 1500 end,
       case when s.stage in ('endpointing', 'playout') then null when s.stage = 'asr' then t.asr_model else t.llm_model end,
       case when s.stage in ('endpointing', 'playout') then null when s.stage = 'asr' then t.asr_backend else t.llm_backend end,
       t.ended_at
     from turn_metrics t cross join unnest($1::text[]) as s(stage)`,
    [STAGES],
  );
  // Conversations: mostly closed history, a few open (the scrape's gauges read the open ones).
  await db.query(
    `insert into conversations (id, token_hash, state, reason, summary, created_at, updated_at, pending_since, sla_deadline)
     select gen_random_uuid(), md5(g::text), case when g <= 20 then 'pending' else 'resolved' end, '{"kind":"keyword"}', '',
       now() - interval '1 hour', now(), case when g <= 20 then now() - interval '1 minute' end, case when g <= 20 then now() + interval '1 minute' end
     from generate_series(1, greatest(100, $1::int / 10)) g`,
    [turns],
  );
  for (const table of ['turn_metrics', 'turn_metric_values', 'conversations']) await db.query(`vacuum analyze ${table}`);
}

/** The queries `/metrics` ran on every scrape before issue 15 (relay/metrics/prometheus.ts, removed). */
async function oldScrape(db: Db): Promise<void> {
  const bounds = [0.05, 0.1, 0.2, 0.3, 0.5, 0.75, 1, 1.5, 2, 3, 5, 10, 30];
  const columns = bounds.map((b, i) => `count(*) filter (where value <= ${b * 1000})::int as b${i}`).join(', ');
  await db.query(`select stage, model, backend, count(*)::int as count, sum(value) as sum, ${columns}
    from turn_metric_values where stage <> 'tokensPerSecond' and value >= 0 group by stage, model, backend order by stage, model, backend`);
  const tps = [1, 2, 5, 10, 20, 50, 100, 200, 500].map((b, i) => `count(*) filter (where value <= ${b})::int as b${i}`).join(', ');
  await db.query(`select stage, model, backend, count(*)::int as count, sum(value) as sum, ${tps}
    from turn_metric_values where stage = 'tokensPerSecond' group by stage, model, backend order by stage, model, backend`);
  await db.query('select source, interrupted, count(*)::int as n from turn_metrics group by 1, 2 order by 1, 2');
  await db.query(`select coalesce(end_of_turn, 'unknown') as reason, count(*)::int as n from turn_metrics group by 1 order by 1`);
  await db.query(`select coalesce(sum(eager_started), 0)::int, coalesce(sum(eager_kept), 0)::int, coalesce(sum(eager_discarded), 0)::int from turn_metrics`);
  await db.query(`select coalesce(data->'reason'->>'kind', 'unknown') as reason, count(*)::int from conversation_events where type = 'handoff' group by 1`);
  await db.query('select state, count(*)::int as n from conversations group by 1 order by 1');
}

async function time(fn: () => Promise<unknown>, n: number): Promise<{ median: number; max: number }> {
  await fn(); // warm-up
  const ms: number[] = [];
  for (let i = 0; i < n; i++) {
    const start = performance.now();
    await fn();
    ms.push(performance.now() - start);
  }
  ms.sort((a, b) => a - b);
  return { median: ms[Math.floor(ms.length / 2)]!, max: ms[ms.length - 1]! };
}

interface Row {
  turns: number;
  values: number;
  fillSeconds: number;
  measure: string;
  medianMs: number;
  maxMs: number;
}

async function atSize(turns: number): Promise<Row[]> {
  const schema = `relay_scale_${Date.now()}_${turns}`;
  const db = await openPostgres({ connectionString: url, schema });
  const rows: Row[] = [];
  try {
    await migrate(db);
    const started = performance.now();
    await fill(db, turns);
    const fillSeconds = (performance.now() - started) / 1000;
    const values = turns * STAGES.length;
    console.log(`  ${turns} turns, ${values} stage values: filled in ${fillSeconds.toFixed(1)} s`);
    const { password } = await addAgent(db, { email: 'scale@example.com', name: 'Scale' });
    const app = createApp({ db, models: resolveModels(undefined), distDir: makeDist(), log: () => {} });
    const server = await listen(app);
    try {
      const login = await fetch(`${server.url}/api/v1/agent/login`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', Origin: server.url },
        body: JSON.stringify({ email: 'scale@example.com', password }),
      });
      const cookie = `${AGENT_SESSION_COOKIE}=${new RegExp(`${AGENT_SESSION_COOKIE}=([^;]+)`).exec(login.headers.get('set-cookie') ?? '')![1]}`;
      const get = async (path: string, headers: Record<string, string> = {}) => {
        const res = await fetch(`${server.url}${path}`, { headers });
        if (res.status !== 200) throw new Error(`${path}: ${res.status} ${await res.text()}`);
        return res.text();
      };
      const record = (measure: string, t: { median: number; max: number }) => {
        rows.push({ turns, values, fillSeconds, measure, medianMs: t.median, maxMs: t.max });
        console.log(`  ${measure}: median ${t.median.toFixed(1)} ms, max ${t.max.toFixed(1)} ms`);
      };
      record('GET /metrics (per process, issue 15)', await time(() => get('/metrics'), runs * 4));
      record('old /metrics queries (full-table aggregates)', await time(() => oldScrape(db), Math.min(runs, 3)));
      const now = Date.now();
      for (const [label, ms, bucket] of [['1 h', 3600_000, '1m'], ['24 h', DAY_MS, '1h'], ['7 d', 7 * DAY_MS, '1h'], ['30 d', 30 * DAY_MS, '1d']] as const) {
        const q = `from=${new Date(now - ms).toISOString()}&to=${new Date(now).toISOString()}&bucket=${bucket}`;
        record(`summary, last ${label} (bucket ${bucket})`, await time(() => get(`/api/v1/agent/metrics/summary?${q}`, { Cookie: cookie }), label === '30 d' ? Math.min(runs, 3) : runs));
      }
      const pruneStart = performance.now();
      const pruned = await pruneTurnMetrics(db, new Date(now - 29 * DAY_MS));
      const pruneMs = performance.now() - pruneStart;
      rows.push({ turns, values, fillSeconds, measure: `prune the oldest day (${pruned} turns)`, medianMs: pruneMs, maxMs: pruneMs });
      console.log(`  prune the oldest day: ${pruned} turns in ${pruneMs.toFixed(0)} ms`);
    } finally {
      await server.close();
    }
  } finally {
    await db.close();
    await dropSchema(url, schema);
  }
  return rows;
}

async function main(): Promise<void> {
const load = loadavg();
console.log(`PostgreSQL ${url}; ${cpus().length} cores, load ${load.map((l) => l.toFixed(1)).join(' ')}; ${STAGES.length} stage values per turn`);
const all: Row[] = [];
for (const size of sizes) all.push(...(await atSize(size)));
console.log('\n| measure | ' + sizes.map((s) => `${s.toLocaleString('en')} turns (median / max ms)`).join(' | ') + ' |');
console.log('| --- | ' + sizes.map(() => '---').join(' | ') + ' |');
for (const measure of [...new Set(all.map((r) => r.measure.replace(/ \(\d+ turns\)$/, '')))]) {
  const cells = sizes.map((s) => {
    const r = all.find((x) => x.turns === s && x.measure.replace(/ \(\d+ turns\)$/, '') === measure);
    return r ? `${r.medianMs.toFixed(1)} / ${r.maxMs.toFixed(1)}` : '-';
  });
  console.log(`| ${measure} | ${cells.join(' | ')} |`);
}
const dir = join(repoRoot, 'bench/results');
mkdirSync(dir, { recursive: true });
const file = join(dir, `relay-metrics-scale-${new Date().toISOString().replace(/[:.]/g, '-')}.json`);
writeFileSync(file, JSON.stringify({ url: url.replace(/\/\/[^@]*@/, '//'), loadBefore: load, loadAfter: loadavg(), stagesPerTurn: STAGES.length, rows: all }, null, 2));
console.log(`\n${file}`);
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) await main();
