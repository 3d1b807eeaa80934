import type { MetricsSummary, StageStats } from '../../src/protocol/metrics.ts';
import type { Queryable } from '../store/types.ts';

const BUCKETS = { '1m': '1 minute', '5m': '5 minutes', '1h': '1 hour', '1d': '1 day' } as const;
export type Bucket = keyof typeof BUCKETS;

interface StatsRow {
  stage: string;
  model: string | null;
  backend: string | null;
  count: number;
  p50: number;
  p95: number;
  p99: number;
  mean: number;
  bucket?: Date;
}

/** Upper bounds (ms) of the buckets for the whole-turn latency distributions. */
export const DISTRIBUTION_BOUNDS_MS = [250, 500, 750, 1000, 1500, 2000, 3000, 5000, 10_000];
/**
 * Voice to voice from the user's last word (and text to voice). The old measure from
 * `speechEnd` (`voiceToVoiceFromSpeechEnd`, migration 004) is in `stages` under its own name only.
 */
const DISTRIBUTION_STAGES = ['voiceToVoice', 'textToVoice'];

const STATS = `stage, model, backend, count(*)::int as count,
  percentile_cont(0.5) within group (order by value) as p50,
  percentile_cont(0.95) within group (order by value) as p95,
  percentile_cont(0.99) within group (order by value) as p99,
  avg(value) as mean`;

const toStats = (r: StatsRow): StageStats => ({
  stage: r.stage, model: r.model, backend: r.backend, count: Number(r.count),
  p50: Number(r.p50), p95: Number(r.p95), p99: Number(r.p99), mean: Number(r.mean),
});

/** p50/p95/p99 per stage, model and backend in [from, to), optionally per time bucket; handoff figures alongside. */
export async function metricsSummary(db: Queryable, from: Date, to: Date, bucket?: Bucket): Promise<MetricsSummary> {
  const window = [from, to];
  const stages = await db.query<StatsRow>(
    `select ${STATS} from turn_metric_values where ended_at >= $1 and ended_at < $2
     group by stage, model, backend order by stage, model nulls first, backend nulls first`,
    window,
  );
  const turns = await db.query<{ turns: number; interrupted: number }>(
    `select count(*)::int as turns, count(*) filter (where interrupted)::int as interrupted
     from turn_metrics where ended_at >= $1 and ended_at < $2`,
    window,
  );
  const classes = await db.query<{ device_class: string; turns: number }>(
    `select coalesce(device_class, 'unknown') as device_class, count(*)::int as turns
     from turn_metrics where ended_at >= $1 and ended_at < $2 group by 1 order by 2 desc, 1`,
    window,
  );
  const versions = await db.query<{ app_version: string; turns: number }>(
    `select coalesce(app_version, 'unknown') as app_version, count(*)::int as turns
     from turn_metrics where ended_at >= $1 and ended_at < $2 group by 1 order by 2 desc, 1`,
    window,
  );
  const endOfTurn = await db.query<{ reason: string; turns: number }>(
    `select coalesce(end_of_turn, 'unknown') as reason, count(*)::int as turns
     from turn_metrics where ended_at >= $1 and ended_at < $2 group by 1 order by 2 desc, 1`,
    window,
  );
  const eager = await db.query<{ turns: number; started: number; kept: number; discarded: number }>(
    `select count(*)::int as turns, coalesce(sum(eager_started), 0)::int as started,
       coalesce(sum(eager_kept), 0)::int as kept, coalesce(sum(eager_discarded), 0)::int as discarded
     from turn_metrics where eager_started is not null and ended_at >= $1 and ended_at < $2`,
    window,
  );
  const distributions = await distributionsIn(db, window);
  const reasons = await db.query<{ reason: string; count: number }>(
    `select coalesce(data->'reason'->>'kind', 'unknown') as reason, count(*)::int as count
     from conversation_events where type = 'handoff' and created_at >= $1 and created_at < $2
     group by 1 order by 2 desc, 1`,
    window,
  );
  // Each claim against the handoff it answered (the latest one before it in that conversation).
  const claims = await db.query<{ count: number; p50: number | null; p95: number | null }>(
    `select count(*)::int as count,
       percentile_cont(0.5) within group (order by ms) as p50,
       percentile_cont(0.95) within group (order by ms) as p95
     from (
       select extract(epoch from (c.created_at - h.created_at)) * 1000 as ms
       from conversation_events c
       join lateral (
         select created_at from conversation_events h
         where h.conversation_id = c.conversation_id and h.type = 'handoff' and h.id < c.id
         order by h.id desc limit 1
       ) h on true
       where c.type = 'state' and c.data->>'cause' = 'claim' and c.created_at >= $1 and c.created_at < $2
     ) claims`,
    window,
  );

  const summary: MetricsSummary = {
    from: from.toISOString(),
    to: to.toISOString(),
    turns: turns.rows[0]?.turns ?? 0,
    interrupted: turns.rows[0]?.interrupted ?? 0,
    stages: stages.rows.map(toStats),
    deviceClasses: classes.rows.map((r) => ({ deviceClass: r.device_class, turns: Number(r.turns) })),
    appVersions: versions.rows.map((r) => ({ appVersion: r.app_version, turns: Number(r.turns) })),
    endOfTurn: endOfTurn.rows.map((r) => ({ reason: r.reason, turns: Number(r.turns) })),
    eager: {
      turns: Number(eager.rows[0]?.turns ?? 0),
      started: Number(eager.rows[0]?.started ?? 0),
      kept: Number(eager.rows[0]?.kept ?? 0),
      discarded: Number(eager.rows[0]?.discarded ?? 0),
    },
    distributions,
    handoffs: {
      byReason: reasons.rows.map((r) => ({ reason: r.reason, count: Number(r.count) })),
      timeToClaim: {
        count: claims.rows[0]?.count ?? 0,
        p50: claims.rows[0]?.p50 == null ? null : Number(claims.rows[0].p50),
        p95: claims.rows[0]?.p95 == null ? null : Number(claims.rows[0].p95),
      },
    },
  };

  if (bucket) {
    const interval = BUCKETS[bucket];
    const binned = await db.query<StatsRow>(
      `select date_bin($3::interval, ended_at, timestamptz '2000-01-01') as bucket, ${STATS}
       from turn_metric_values where ended_at >= $1 and ended_at < $2
       group by 1, stage, model, backend order by 1, stage, model nulls first, backend nulls first`,
      [...window, interval],
    );
    const perBucket = await db.query<{ bucket: Date; turns: number }>(
      `select date_bin($3::interval, ended_at, timestamptz '2000-01-01') as bucket, count(*)::int as turns
       from turn_metrics where ended_at >= $1 and ended_at < $2 group by 1 order by 1`,
      [...window, interval],
    );
    const series = new Map<string, { start: string; turns: number; stages: StageStats[] }>();
    for (const row of perBucket.rows) {
      const start = new Date(row.bucket).toISOString();
      series.set(start, { start, turns: Number(row.turns), stages: [] });
    }
    for (const row of binned.rows) series.get(new Date(row.bucket!).toISOString())?.stages.push(toStats(row));
    summary.series = [...series.values()];
  }
  return summary;
}

/** Counts per latency bucket (value in (previous bound, bound]) for the whole-turn stages, all models together. */
async function distributionsIn(db: Queryable, window: Date[]): Promise<MetricsSummary['distributions']> {
  const lower = [null, ...DISTRIBUTION_BOUNDS_MS];
  const upper = [...DISTRIBUTION_BOUNDS_MS, null];
  const columns = upper.map((hi, i) => {
    const lo = lower[i];
    const range = [lo === null ? null : `value > ${lo}`, hi === null ? null : `value <= ${hi}`].filter(Boolean).join(' and ');
    return `count(*) filter (where ${range})::int as b${i}`;
  });
  const { rows } = await db.query<Record<string, string | number>>(
    `select stage, ${columns.join(', ')}
     from turn_metric_values where stage = any($3::text[]) and ended_at >= $1 and ended_at < $2
     group by stage order by stage desc`,
    [...window, DISTRIBUTION_STAGES],
  );
  return rows.map((row) => ({
    stage: String(row.stage),
    bounds: DISTRIBUTION_BOUNDS_MS,
    counts: columns.map((_, i) => Number(row[`b${i}`])),
  }));
}
