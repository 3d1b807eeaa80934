import type { MetricsSummary, StageStats } from '../../protocol/metrics.ts';

// Shapes the relay's summary into what the charts draw. Pure, so the dashboard's numbers can be
// checked without a browser.

/**
 * Stages in the order a turn flows, with the words an operator reads. Voice to voice runs from
 * the user's last word; endpointing + the stages after it add up to it (eager turns count only
 * what was left to wait for once the turn was committed: src/metrics/turn-timing.ts).
 */
export const STAGES: readonly { stage: string; label: string }[] = [
  { stage: 'voiceToVoice', label: 'Voice to voice (from last word)' },
  { stage: 'textToVoice', label: 'Text to voice' },
  { stage: 'endpointing', label: 'Pause detection (end-of-turn wait)' },
  { stage: 'turnModel', label: 'End-of-turn model' },
  { stage: 'asr', label: 'Speech → transcript' },
  { stage: 'llmTtft', label: 'Transcript → first token' },
  { stage: 'firstSentence', label: 'First token → first sentence' },
  { stage: 'ttsFirstAudio', label: 'Sentence → first audio' },
  { stage: 'playout', label: 'Audio → speaker' },
  { stage: 'orchestrationOverhead', label: 'Pipeline overhead' },
  { stage: 'total', label: 'Whole turn' },
  // Sent by app versions that measured voice to voice from the end of the silence wait
  // (relay migration 004): not comparable with the stage above.
  { stage: 'voiceToVoiceFromSpeechEnd', label: 'Voice to voice, old measure (from end of pause detection)' },
];

export function stageLabel(stage: string): string {
  return STAGES.find((s) => s.stage === stage)?.label ?? stage;
}

/** Stages present in the summary (tokens/s aside: it is a rate, not a duration), in turn order. */
export function latencyStages(summary: MetricsSummary): string[] {
  const present = new Set(summary.stages.map((s) => s.stage));
  const known = STAGES.map((s) => s.stage).filter((stage) => present.has(stage));
  const unknown = [...present].filter((stage) => stage !== 'tokensPerSecond' && !known.includes(stage)).sort();
  return [...known, ...unknown];
}

export function groupKey(row: Pick<StageStats, 'model' | 'backend'>): string {
  return `${row.model ?? ''}|${row.backend ?? ''}`;
}

/** `fixtures/chat-lm on wasm`; stages that no model drives (pause detection, playout) read "all". */
export function groupLabel(row: Pick<StageStats, 'model' | 'backend'>): string {
  if (row.model === null && row.backend === null) return 'all models';
  return `${row.model ?? 'unknown model'} on ${row.backend ?? 'unknown backend'}`;
}

/** A stage's model/backend groups, busiest first. */
export function groupsOf(summary: MetricsSummary, stage: string): StageStats[] {
  return summary.stages.filter((s) => s.stage === stage).sort((a, b) => b.count - a.count || groupKey(a).localeCompare(groupKey(b)));
}

export interface SeriesPoint {
  start: Date;
  count: number;
  p50: number;
  p95: number;
  p99: number;
}

/** One stage and group over the summary's time buckets (buckets without such turns are skipped). */
export function seriesFor(summary: MetricsSummary, stage: string, key: string): SeriesPoint[] {
  const points: SeriesPoint[] = [];
  for (const bucket of summary.series ?? []) {
    const row = bucket.stages.find((s) => s.stage === stage && groupKey(s) === key);
    if (row) points.push({ start: new Date(bucket.start), count: row.count, p50: row.p50, p95: row.p95, p99: row.p99 });
  }
  return points;
}

export function formatMs(ms: number): string {
  if (Math.abs(ms) < 1000) return `${Math.round(ms)} ms`;
  return `${(ms / 1000).toFixed(ms < 10_000 ? 2 : 1)} s`;
}

function boundLabel(ms: number): string {
  return ms < 1000 ? `${ms} ms` : `${ms / 1000} s`;
}

export interface BarRow {
  label: string;
  value: number;
  /** Shown beside the bar and in the table. */
  text: string;
}

/** A distribution's buckets as bars: `≤ 250 ms`, `250 ms–500 ms`, … `> 10 s`. */
export function distributionBars(distribution: MetricsSummary['distributions'][number]): BarRow[] {
  const { bounds, counts } = distribution;
  return counts.map((count, i) => {
    const hi = bounds[i];
    const lo = bounds[i - 1];
    const label = hi === undefined ? `> ${boundLabel(lo ?? 0)}` : lo === undefined ? `≤ ${boundLabel(hi)}` : `${boundLabel(lo)}–${boundLabel(hi)}`;
    return { label, value: count, text: String(count) };
  });
}

export function tokensPerSecondBars(summary: MetricsSummary): (BarRow & { row: StageStats })[] {
  return groupsOf(summary, 'tokensPerSecond').map((row) => ({ label: groupLabel(row), value: row.p50, text: `${row.p50.toFixed(1)} tokens/s`, row }));
}

/** `1 kept, 2 discarded of 3 (over 2 turns)`, or undefined when no turn reported eager replies. */
export function eagerText(eager: MetricsSummary['eager']): string | undefined {
  if (eager.turns === 0) return undefined;
  return `${eager.kept} kept, ${eager.discarded} discarded of ${eager.started} (${eager.turns} turns)`;
}

export function countBars(items: readonly { label: string; count: number }[]): BarRow[] {
  return items.map(({ label, count }) => ({ label, value: count, text: String(count) }));
}
