import type { TurnMetric } from '../protocol/metrics.ts';
import { deriveDurations, type DurationName, type TurnTimingRecord } from './turn-timing.ts';

/**
 * The definitions the durations follow, sent with every turn (`timingVersion` in
 * src/protocol/metrics.ts). 2: voice to voice from the user's last speech frame, and the stages
 * after the commit count only what was still on the critical path (eager turns). Turns without
 * it (app versions before 2, or turns they queued) measured voice to voice from `speechEnd`.
 */
export const TIMING_VERSION = 2;

// A finished turn's timing, as the relay receives it (issue 6, item 3). Only numbers, ids of
// models and coarse device facts leave the device: no transcript, no reply text, no audio, and
// no per-token timestamps. The limits mirror TurnMetricSchema in src/protocol/metrics.ts (kept
// out of the app bundle with zod); turn-metric.test.ts checks every output against the schema.

export interface MetricContext {
  /** Converts a `performance.now()` mark to wall-clock time. */
  wallClock(mark: number): Date;
  deviceClass?: string;
  appVersion?: string;
}

const MAX_MS = 600_000;
const RANGES: Record<DurationName, [number, number]> = {
  endpointing: [0, MAX_MS],
  asr: [0, MAX_MS],
  llmTtft: [0, MAX_MS],
  firstSentence: [0, MAX_MS],
  ttsFirstAudio: [0, MAX_MS],
  playout: [0, MAX_MS],
  voiceToVoice: [0, MAX_MS],
  textToVoice: [0, MAX_MS],
  // Stages overlap, so model time can exceed the wall time between marks.
  orchestrationOverhead: [-MAX_MS, MAX_MS],
  turnModel: [0, MAX_MS],
  tokensPerSecond: [0, 100_000],
  total: [0, MAX_MS],
};
const MODEL_ID = /^[A-Za-z0-9][A-Za-z0-9._-]*(\/[A-Za-z0-9][A-Za-z0-9._-]*)*$/;
const APP_VERSION = /^[0-9A-Za-z.+_-]{1,32}$/;
const DEVICE_CLASS = /^[a-z0-9_-]{1,32}$/;
const ENGINES = ['asr', 'llm', 'tts'] as const;
const MAX_EAGER = 1000;
const END_OF_TURN_REASONS: readonly string[] = ['turn-model', 'silence', 'text'];

/**
 * Whether a finished turn is worth reporting: the assistant started answering, or the user cut
 * the turn short. A turn the voice loop dropped as "no speech" (a cough, a door) is not a turn
 * the user had, and counting it would skew turns per device.
 */
export function isReportable(record: TurnTimingRecord): boolean {
  return record.marks.turnEnd !== undefined && (record.marks.llmFirstToken !== undefined || record.interrupted);
}

/** Durations are rounded to 0.1 ms: finer is noise, and the payload stays small. */
function durationsOf(record: TurnTimingRecord): TurnMetric['durations'] {
  const out: TurnMetric['durations'] = {};
  for (const [name, value] of Object.entries(deriveDurations(record)) as [DurationName, number][]) {
    const [min, max] = RANGES[name];
    // A value outside the protocol's range (clock trouble) would get the whole turn refused.
    if (value >= min && value <= max) out[name] = Math.round(value * 10) / 10;
  }
  return out;
}

function validModelId(id: string | undefined): id is string {
  return id !== undefined && id.length <= 200 && MODEL_ID.test(id) && !id.split('/').some((p) => p === '.' || p === '..');
}

export function toTurnMetric(record: TurnTimingRecord, context: MetricContext): TurnMetric {
  const models: NonNullable<TurnMetric['models']> = {};
  const backends: NonNullable<TurnMetric['backends']> = {};
  for (const engine of ENGINES) {
    const model = record.models[engine];
    if (validModelId(model)) models[engine] = model;
    const backend = record.backends[engine];
    if (backend === 'webgpu' || backend === 'wasm') backends[engine] = backend;
  }
  // Callers send finished turns; the latest mark stands in should one arrive without turnEnd.
  const ended = record.marks.turnEnd ?? Math.max(0, ...Object.values(record.marks).filter((v) => v !== undefined));
  const metric: TurnMetric = {
    turnId: record.turnId,
    endedAt: context.wallClock(ended).toISOString(),
    source: record.source,
    durations: durationsOf(record),
    tokens: Math.min(1_000_000, Math.max(0, Math.round(record.tokens))),
    models,
    backends,
    interrupted: record.interrupted,
    capped: record.capped,
    timingVersion: TIMING_VERSION,
  };
  const reason = record.endOfTurn?.reason;
  if (reason !== undefined && END_OF_TURN_REASONS.includes(reason)) metric.endOfTurn = reason;
  if (record.eager) {
    const count = (n: number) => (Number.isFinite(n) ? Math.min(MAX_EAGER, Math.max(0, Math.round(n))) : 0);
    metric.eager = { started: count(record.eager.started), kept: count(record.eager.kept), discarded: count(record.eager.discarded) };
  }
  if (context.deviceClass !== undefined && DEVICE_CLASS.test(context.deviceClass)) metric.deviceClass = context.deviceClass;
  if (context.appVersion !== undefined && APP_VERSION.test(context.appVersion)) metric.appVersion = context.appVersion;
  return metric;
}

/** `performance.now()` marks to wall-clock time, for this page. */
export function pageWallClock(mark: number): Date {
  return new Date(performance.timeOrigin + mark);
}
