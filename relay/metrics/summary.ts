import type { MetricsSummary, StageStats } from '../../src/protocol/metrics.ts';
import type { Queryable } from '../store/types.ts';

const BUCKETS = { '1m': '1 minute', '5m': '5 minutes', '1h': '1 hour', '1d': '1 day' } as const;
export type Bucket = keyof typeof BUCKETS;

interface StatsRow {
  stage: string;
  model: string | null;
  backend: string | null;
  count: number;
  /** p50, p95, p99 (one sort per group for all three). */
  ps: (number | string)[];
  mean: number;
  bucket?: Date;
  /** Distribution bucket counts (the stage query only). */
  [bucket: `b${number}`]: number | string;
}

/** Upper bounds (ms) of the buckets for the whole-turn latency distributions. */
export const DISTRIBUTION_BOUNDS_MS = [250, 500, 750, 1000, 1500, 2000, 3000, 5000, 10_000];
/**
 * Voice to voice from the user's last word (and text to voice). The old measure from
 * `speechEnd` (`voiceToVoiceFromSpeechEnd`, migration 004) is in `stages` under its own name only.
 */
const DISTRIBUTION_STAGES = ['voiceToVoice', 'textToVoice'];

const STATS = `stage, model, backend, count(*)::int as count,
  percentile_cont(array[0.5, 0.95, 0.99]::float8[]) within group (order by value) as ps,
  avg(value) as mean`;

const toStats = (r: StatsRow): StageStats => ({
  stage: r.stage, model: r.model, backend: r.backend, count: Number(r.count),
  p50: Number(r.ps[0]), p95: Number(r.ps[1]), p99: Number(r.ps[2]), mean: Number(r.mean),
});

/** Count columns b0..bN of the whole-turn distribution: value in (previous bound, bound]. */
const DISTRIBUTION_COLUMNS = (() => {
  const lower = [null, ...DISTRIBUTION_BOUNDS_MS];
  const upper = [...DISTRIBUTION_BOUNDS_MS, null];
  return upper.map((hi, i) => {
    const lo = lower[i];
    const range = [lo === null ? null : `value > ${lo}`, hi === null ? null : `value <= ${hi}`].filter(Boolean).join(' and ');
    return `count(*) filter (where ${range})::int as b${i}`;
  });
})();

/** Where the turn figures' grouping sets put a row (`grouping(device_class, app_version, end_of_turn)`). */
const ALL_TURNS = 7;
const BY_DEVICE_CLASS = 3;
const BY_APP_VERSION = 5;
const BY_END_OF_TURN = 6;

interface TurnFiguresRow {
  g: number;
  name: string;
  turns: number;
  interrupted: number;
  eager_turns: number;
  started: number;
  kept: number;
  discarded: number;
}

/** p50/p95/p99 per stage, model and backend in [from, to), optionally per time bucket; handoff figures alongside. */
export async function metricsSummary(db: Queryable, from: Date, to: Date, bucket?: Bucket): Promise<MetricsSummary> {
  const window = [from, to];
  // Each table's window is read once: the stage statistics carry the distribution's counts, and
  // one grouping-sets query gives every per-turn figure.
  const stages = await db.query<StatsRow>(
    `select ${STATS}, ${DISTRIBUTION_COLUMNS.join(', ')}
     from turn_metric_values where ended_at >= $1 and ended_at < $2
     group by stage, model, backend order by stage, model nulls first, backend nulls first`,
    window,
  );
  const figures = await db.query<TurnFiguresRow>(
    `select grouping(device_class, app_version, end_of_turn)::int as g,
       coalesce(case grouping(device_class, app_version, end_of_turn)
         when ${BY_DEVICE_CLASS} then device_class when ${BY_APP_VERSION} then app_version when ${BY_END_OF_TURN} then end_of_turn end, 'unknown') as name,
       count(*)::int as turns, count(*) filter (where interrupted)::int as interrupted,
       count(*) filter (where eager_started is not null)::int as eager_turns,
       coalesce(sum(eager_started), 0)::int as started, coalesce(sum(eager_kept), 0)::int as kept,
       coalesce(sum(eager_discarded), 0)::int as discarded
     from turn_metrics where ended_at >= $1 and ended_at < $2
     group by grouping sets ((), (device_class), (app_version), (end_of_turn))
     order by 1, 3 desc, 2`,
    window,
  );
  const figuresOf = (g: number) => figures.rows.filter((r) => Number(r.g) === g);
  const all = figuresOf(ALL_TURNS)[0];
  const distributions = DISTRIBUTION_STAGES.flatMap((stage) => {
    const rows = stages.rows.filter((r) => r.stage === stage);
    if (rows.length === 0) return [];
    const counts = DISTRIBUTION_COLUMNS.map((_, i) => rows.reduce((n, r) => n + Number(r[`b${i}`]), 0));
    return [{ stage, bounds: DISTRIBUTION_BOUNDS_MS, counts }];
  }).sort((a, b) => (a.stage < b.stage ? 1 : -1));
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
    turns: Number(all?.turns ?? 0),
    interrupted: Number(all?.interrupted ?? 0),
    stages: stages.rows.map(toStats),
    deviceClasses: figuresOf(BY_DEVICE_CLASS).map((r) => ({ deviceClass: r.name, turns: Number(r.turns) })),
    appVersions: figuresOf(BY_APP_VERSION).map((r) => ({ appVersion: r.name, turns: Number(r.turns) })),
    endOfTurn: figuresOf(BY_END_OF_TURN).map((r) => ({ reason: r.name, turns: Number(r.turns) })),
    eager: {
      turns: Number(all?.eager_turns ?? 0),
      started: Number(all?.started ?? 0),
      kept: Number(all?.kept ?? 0),
      discarded: Number(all?.discarded ?? 0),
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
