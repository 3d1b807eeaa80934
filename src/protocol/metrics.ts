import { z } from 'zod';
import { ModelIdSchema } from './model-set.ts';

// What a device sends about its turns (issue 6). Durations come from
// src/metrics/turn-timing.ts `deriveDurations` (one definition of each); no transcript
// text and no audio: unknown fields are dropped by the relay, never stored.

const ms = z.number().finite().min(0).max(600_000);

/**
 * The names match `TurnDurations` in src/metrics/turn-timing.ts, which defines each. With
 * `timingVersion` 2, `voiceToVoice` runs from the user's last speech frame (`lastSpeech`) to the
 * first reply audio heard, and `endpointing + asr + llmTtft + firstSentence + ttsFirstAudio +
 * playout` adds up to it (stages after the commit count only what was left to wait for).
 * Without `timingVersion` (older apps), `voiceToVoice` ran from `speechEnd`, the end of the
 * silence wait: the relay stores those as `voiceToVoiceFromSpeechEnd` (LEGACY_VOICE_TO_VOICE).
 */
export const TurnDurationsSchema = z.object({
  endpointing: ms.optional(),
  asr: ms.optional(),
  llmTtft: ms.optional(),
  firstSentence: ms.optional(),
  ttsFirstAudio: ms.optional(),
  playout: ms.optional(),
  voiceToVoice: ms.optional(),
  textToVoice: ms.optional(),
  /** Can be slightly negative when stages overlap. */
  orchestrationOverhead: z.number().finite().min(-600_000).max(600_000).optional(),
  /** Inference time of the end-of-turn model during the user's turn (part of `endpointing`). */
  turnModel: ms.optional(),
  tokensPerSecond: z.number().finite().min(0).max(100_000).optional(),
  total: ms.optional(),
});
export type TurnDurationsWire = z.infer<typeof TurnDurationsSchema>;
export const DURATION_NAMES = Object.keys(TurnDurationsSchema.shape) as (keyof TurnDurationsWire)[];

/** The stage old apps' voice to voice (from `speechEnd`, without `timingVersion`) is stored and reported under. */
export const LEGACY_VOICE_TO_VOICE = 'voiceToVoiceFromSpeechEnd';
/** The first `timingVersion` whose `voiceToVoice` runs from the last speech frame. */
export const VOICE_TO_VOICE_FROM_LAST_SPEECH = 2;

export const END_OF_TURN_REASONS = ['turn-model', 'silence', 'text'] as const;
const eagerCount = z.number().int().min(0).max(1000);

const BackendSchema = z.enum(['webgpu', 'wasm']);
const IdSchema = z.string().regex(/^[A-Za-z0-9_-]{8,64}$/, '8-64 letters, digits, _ or - (a UUID works)');

export const TurnMetricSchema = z.object({
  /** Unique per turn (a UUID): sending a turn twice stores it once. */
  turnId: IdSchema,
  sessionId: IdSchema.optional(),
  /** Wall-clock time the turn ended on the device; the relay clamps it to its own clock. */
  endedAt: z.iso.datetime({ offset: true }),
  source: z.enum(['voice', 'text']),
  durations: TurnDurationsSchema,
  tokens: z.number().int().min(0).max(1_000_000).default(0),
  models: z.object({ asr: ModelIdSchema.optional(), llm: ModelIdSchema.optional(), tts: ModelIdSchema.optional() }).default({}),
  backends: z.object({ asr: BackendSchema.optional(), llm: BackendSchema.optional(), tts: BackendSchema.optional() }).default({}),
  /** Coarse device class chosen by the app, e.g. `desktop`, `mobile`, `tablet`. */
  deviceClass: z.string().regex(/^[a-z0-9_-]{1,32}$/).optional(),
  /** The app's version (package.json), so a regression can be traced to a release. */
  appVersion: z.string().regex(/^[0-9A-Za-z.+_-]{1,32}$/).optional(),
  interrupted: z.boolean().default(false),
  capped: z.boolean().default(false),
  /**
   * Which definitions the durations follow (src/metrics/turn-metric.ts TIMING_VERSION). Absent:
   * an app from before version 2, whose `voiceToVoice` ran from `speechEnd`.
   */
  timingVersion: z.number().int().min(1).max(1000).optional(),
  /** What committed the turn: the end-of-turn model, the silence wait, or a typed message. */
  endOfTurn: z.enum(END_OF_TURN_REASONS).optional(),
  /** Eager replies (started at a short pause, before the commit) during this user turn. */
  eager: z.object({ started: eagerCount, kept: eagerCount, discarded: eagerCount }).optional(),
});
export type TurnMetric = z.input<typeof TurnMetricSchema>;

export const MAX_TURNS_PER_BATCH = 100;

/**
 * A batch: each turn is validated on its own, so one bad turn does not cost the good ones.
 * Send with `Content-Type: application/json` (fetch keepalive, or sendBeacon with a JSON
 * Blob); `text/plain` is accepted too for sendBeacon with a string.
 */
export const MetricsBatchSchema = z.object({
  turns: z.array(z.unknown()).min(1).max(MAX_TURNS_PER_BATCH),
});

export const MetricsBatchResponseSchema = z.object({
  /** Newly stored turns. */
  accepted: z.number().int(),
  /** Turns already stored earlier (same turnId): ignored, not an error. */
  duplicates: z.number().int(),
  /** Turns refused, by index in the batch: retrying them will not help. */
  rejected: z.array(z.object({ index: z.number().int(), message: z.string() })),
});
export type MetricsBatchResponse = z.infer<typeof MetricsBatchResponseSchema>;

export const SummaryQuerySchema = z.object({
  /** ISO times; default: the last 24 hours. */
  from: z.iso.datetime({ offset: true }).optional(),
  to: z.iso.datetime({ offset: true }).optional(),
  /** Also split into time buckets of this size. */
  bucket: z.enum(['1m', '5m', '1h', '1d']).optional(),
});

export const StageStatsSchema = z.object({
  /**
   * A duration name (`voiceToVoice`, `asr`, ...) or `tokensPerSecond`; `voiceToVoice` is from
   * the user's last word, `voiceToVoiceFromSpeechEnd` the older measure sent by apps before it.
   */
  stage: z.string(),
  /** The model of the engine behind this stage (`llm` model for whole-pipeline durations), or null. */
  model: z.string().nullable(),
  backend: z.string().nullable(),
  count: z.number().int(),
  p50: z.number(),
  p95: z.number(),
  p99: z.number(),
  mean: z.number(),
});
export type StageStats = z.infer<typeof StageStatsSchema>;

export const MetricsSummarySchema = z.object({
  from: z.string(),
  to: z.string(),
  turns: z.number().int(),
  interrupted: z.number().int(),
  stages: z.array(StageStatsSchema),
  deviceClasses: z.array(z.object({ deviceClass: z.string(), turns: z.number().int() })),
  appVersions: z.array(z.object({ appVersion: z.string(), turns: z.number().int() })),
  /** Turns by what committed them (`unknown`: apps that did not say). */
  endOfTurn: z.array(z.object({ reason: z.string(), turns: z.number().int() })).default([]),
  /** Eager replies over the window's turns; `turns`: how many turns reported them. */
  eager: z
    .object({ turns: z.number().int(), started: z.number().int(), kept: z.number().int(), discarded: z.number().int() })
    .default({ turns: 0, started: 0, kept: 0, discarded: 0 }),
  /**
   * How whole-turn latencies (`voiceToVoice` from the last word, `textToVoice`) are spread:
   * counts per bucket (not cumulative) over all models and backends. `bounds` are upper bounds in ms; `counts` has one more entry, for values above the last.
   */
  distributions: z.array(z.object({ stage: z.string(), bounds: z.array(z.number()), counts: z.array(z.number().int()) })),
  handoffs: z.object({
    byReason: z.array(z.object({ reason: z.string(), count: z.number().int() })),
    /** Time from handoff to claim, in ms, for claims in the window. */
    timeToClaim: z.object({ count: z.number().int(), p50: z.number().nullable(), p95: z.number().nullable() }),
  }),
  /** Present when `bucket` was asked for: the same per-stage stats per time bucket. */
  series: z.array(z.object({ start: z.string(), turns: z.number().int(), stages: z.array(StageStatsSchema) })).optional(),
});
export type MetricsSummary = z.infer<typeof MetricsSummarySchema>;
