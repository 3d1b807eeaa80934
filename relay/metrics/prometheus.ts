import type { Queryable } from '../store/types.ts';

// Prometheus text exposition (version 0.0.4), computed from the database on each scrape, so
// every relay on one PostgreSQL reports the same totals: scrape one of them.

const DURATION_BUCKETS_S = [0.05, 0.1, 0.2, 0.3, 0.5, 0.75, 1, 1.5, 2, 3, 5, 10, 30];
const TPS_BUCKETS = [1, 2, 5, 10, 20, 50, 100, 200, 500];

function label(value: string | null): string {
  return (value ?? '').replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n');
}

function labels(pairs: Record<string, string | null>): string {
  return Object.entries(pairs).map(([k, v]) => `${k}="${label(v)}"`).join(',');
}

function num(n: number): string {
  return Number.isFinite(n) ? String(n) : n > 0 ? '+Inf' : n < 0 ? '-Inf' : 'NaN';
}

interface HistogramRow {
  stage: string;
  model: string | null;
  backend: string | null;
  count: string | number;
  sum: string | number;
  [bucket: `b${number}`]: string | number;
}

async function histogram(
  db: Queryable,
  out: string[],
  name: string,
  help: string,
  where: string,
  bounds: number[],
  scale: number,
): Promise<void> {
  const columns = bounds.map((b, i) => `count(*) filter (where value <= ${b * scale})::int as b${i}`).join(', ');
  const { rows } = await db.query<HistogramRow>(
    `select stage, model, backend, count(*)::int as count, sum(value) as sum, ${columns}
     from turn_metric_values where ${where} group by stage, model, backend order by stage, model, backend`,
  );
  out.push(`# HELP ${name} ${help}`, `# TYPE ${name} histogram`);
  for (const row of rows) {
    const base = { stage: row.stage, model: row.model, backend: row.backend };
    bounds.forEach((b, i) => out.push(`${name}_bucket{${labels({ ...base, le: String(b) })}} ${Number(row[`b${i}`])}`));
    out.push(`${name}_bucket{${labels({ ...base, le: '+Inf' })}} ${Number(row.count)}`);
    out.push(`${name}_sum{${labels(base)}} ${num(Number(row.sum) / scale)}`);
    out.push(`${name}_count{${labels(base)}} ${Number(row.count)}`);
  }
}

export async function prometheusText(db: Queryable): Promise<string> {
  const out: string[] = [];
  await histogram(db, out, 'relay_turn_stage_duration_seconds',
    'Turn stage durations reported by devices; stage voiceToVoice runs from the user\'s last speech frame to the first reply audio heard (voiceToVoiceFromSpeechEnd: older apps, from the end of the silence wait).',
    `stage <> 'tokensPerSecond' and value >= 0`, DURATION_BUCKETS_S, 1000);
  await histogram(db, out, 'relay_llm_tokens_per_second', 'LLM decoding speed reported by devices.',
    `stage = 'tokensPerSecond'`, TPS_BUCKETS, 1);

  const turns = await db.query<{ source: string; interrupted: boolean; n: number }>(
    'select source, interrupted, count(*)::int as n from turn_metrics group by 1, 2 order by 1, 2',
  );
  out.push('# HELP relay_turns_total Turns reported by devices.', '# TYPE relay_turns_total counter');
  for (const r of turns.rows) out.push(`relay_turns_total{${labels({ source: r.source, interrupted: String(r.interrupted) })}} ${r.n}`);

  const reasons = await db.query<{ reason: string; n: number }>(
    `select coalesce(end_of_turn, 'unknown') as reason, count(*)::int as n from turn_metrics group by 1 order by 1`,
  );
  out.push('# HELP relay_turn_commits_total Turns by what ended the user\'s turn (turn-model, silence, text; unknown from older apps).', '# TYPE relay_turn_commits_total counter');
  for (const r of reasons.rows) out.push(`relay_turn_commits_total{${labels({ reason: r.reason })}} ${r.n}`);

  // Eager replies: started at a short pause before the turn was committed, then kept or discarded.
  const eager = await db.query<{ started: number; kept: number; discarded: number }>(
    `select coalesce(sum(eager_started), 0)::int as started, coalesce(sum(eager_kept), 0)::int as kept,
       coalesce(sum(eager_discarded), 0)::int as discarded from turn_metrics`,
  );
  out.push('# HELP relay_eager_replies_total Eager replies (started before the end of the user\'s turn), by outcome.', '# TYPE relay_eager_replies_total counter');
  for (const outcome of ['started', 'kept', 'discarded'] as const) {
    out.push(`relay_eager_replies_total{${labels({ outcome })}} ${Number(eager.rows[0]?.[outcome] ?? 0)}`);
  }

  const handoffs = await db.query<{ reason: string; n: number }>(
    `select coalesce(data->'reason'->>'kind', 'unknown') as reason, count(*)::int as n
     from conversation_events where type = 'handoff' group by 1 order by 1`,
  );
  out.push('# HELP relay_handoffs_total Handoffs to a human agent, by reason.', '# TYPE relay_handoffs_total counter');
  for (const r of handoffs.rows) out.push(`relay_handoffs_total{${labels({ reason: r.reason })}} ${r.n}`);

  const states = await db.query<{ state: string; n: number }>('select state, count(*)::int as n from conversations group by 1 order by 1');
  out.push('# HELP relay_conversations Handoff conversations by current state.', '# TYPE relay_conversations gauge');
  for (const r of states.rows) out.push(`relay_conversations{${labels({ state: r.state })}} ${r.n}`);
  return `${out.join('\n')}\n`;
}
