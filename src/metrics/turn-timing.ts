// The one definition of a turn's timing (issue 6, item 1). The voice loop records marks as the
// turn flows; the last-turn breakdown, the session medians and the metrics sent to the relay
// are all derived from the record built here, so there is no second way to measure.
//
// All marks are `performance.now()` milliseconds on the main thread. Stages that run in workers
// or the audio thread convert their clocks before reporting (a worker's `performance.now()` has
// its own time origin; the player maps audio-context time to `performance.now()`).
import type { Backend } from '../engines/types.ts';

/** Moments in a turn, in the order they normally happen. */
export const TURN_MARKS = [
  /** VAD: the user started speaking (voice turns). */
  'speechStart',
  /** The last frame of actual speech, when the VAD reports it (before its silence timeout). */
  'lastSpeech',
  /** VAD: end of the utterance declared (after the silence timeout). */
  'speechEnd',
  /** The final transcript is known (voice), or the text was submitted (text turns). */
  'transcriptFinal',
  /** The LLM produced its first token. */
  'llmFirstToken',
  /** The sentence splitter released the first speakable chunk. */
  'firstSentenceReady',
  /** TTS returned audio for the first chunk. */
  'firstAudioReady',
  /** The first sample of the reply reached the speaker (player's output timestamp). */
  'firstAudioAudible',
  /** The LLM produced its last token. */
  'llmDone',
  /** The turn is over: playback finished, or the turn was interrupted or failed. */
  'turnEnd',
] as const;

export type TurnMark = (typeof TURN_MARKS)[number];
export type TurnMarks = Partial<Record<TurnMark, number>>;

/**
 * Time spent inside each model, as opposed to waiting between stages. `asr` comes from the
 * engine itself; the LLM and TTS figures are measured around the call when the engine does not
 * report its own, so they include the worker round trip.
 */
export interface StageCompute {
  /** ASR model time for the utterance. */
  asr?: number;
  /** From the generate call to the first token. */
  llmFirstToken?: number;
  /** From the generate call until the first speakable chunk was complete. */
  llmFirstSentence?: number;
  /** Synthesis of the first chunk. */
  ttsFirstAudio?: number;
}

export type TurnSource = 'voice' | 'text';

export interface TurnModels {
  asr?: string;
  llm?: string;
  tts?: string;
}

export interface TurnTimingRecord {
  turnId: string;
  source: TurnSource;
  marks: TurnMarks;
  compute: StageCompute;
  /** Tokens the LLM produced for this turn. */
  tokens: number;
  models: TurnModels;
  /** Backend per stage (webgpu / wasm). */
  backends: Partial<Record<'asr' | 'llm' | 'tts', Backend>>;
  /** The user spoke over the reply (or otherwise cut it short). */
  interrupted: boolean;
  /** The reply stopped at the token limit. */
  capped: boolean;
  /** Token timestamps, only when recorded for debugging (never sent by default). */
  tokenTimes?: number[];
}

/** Durations derived from the marks, in ms. A duration is absent when a mark it needs is missing. */
export interface TurnDurations {
  /** lastSpeech -> speechEnd: how long the VAD waited to be sure the user had finished. */
  endpointing?: number;
  /** speechEnd -> transcriptFinal. */
  asr?: number;
  /** transcriptFinal -> llmFirstToken. */
  llmTtft?: number;
  /** llmFirstToken -> firstSentenceReady. */
  firstSentence?: number;
  /** firstSentenceReady -> firstAudioReady. */
  ttsFirstAudio?: number;
  /** firstAudioReady -> firstAudioAudible: player queue and output latency. */
  playout?: number;
  /** speechEnd -> firstAudioAudible: what the user experiences. */
  voiceToVoice?: number;
  /** transcriptFinal -> firstAudioAudible: the same for text turns (and voice turns minus ASR). */
  textToVoice?: number;
  /** voiceToVoice minus model compute (ASR + LLM to first chunk + TTS of first chunk). */
  orchestrationOverhead?: number;
  /** Decoding speed after the first token. */
  tokensPerSecond?: number;
  /** From the turn's first mark to turnEnd. */
  total?: number;
}

export type DurationName = keyof TurnDurations;

function between(marks: TurnMarks, from: TurnMark, to: TurnMark): number | undefined {
  const start = marks[from];
  const end = marks[to];
  return start === undefined || end === undefined ? undefined : end - start;
}

function firstMark(marks: TurnMarks): number | undefined {
  for (const name of TURN_MARKS) {
    const at = marks[name];
    if (at !== undefined) return at;
  }
  return undefined;
}

function withoutUndefined(durations: TurnDurations): TurnDurations {
  const out: TurnDurations = {};
  for (const [name, value] of Object.entries(durations) as [DurationName, number | undefined][]) {
    if (value !== undefined && Number.isFinite(value)) out[name] = value;
  }
  return out;
}

export function deriveDurations(record: TurnTimingRecord): TurnDurations {
  const { marks, compute } = record;
  const voiceToVoice = between(marks, 'speechEnd', 'firstAudioAudible');
  const modelTime = (compute.asr ?? 0) + (compute.llmFirstSentence ?? compute.llmFirstToken ?? 0) + (compute.ttsFirstAudio ?? 0);
  const hasCompute = compute.asr !== undefined && (compute.llmFirstSentence ?? compute.llmFirstToken) !== undefined && compute.ttsFirstAudio !== undefined;
  const decodeMs = between(marks, 'llmFirstToken', 'llmDone');
  const start = firstMark(marks);
  return withoutUndefined({
    endpointing: between(marks, 'lastSpeech', 'speechEnd'),
    asr: between(marks, 'speechEnd', 'transcriptFinal'),
    llmTtft: between(marks, 'transcriptFinal', 'llmFirstToken'),
    firstSentence: between(marks, 'llmFirstToken', 'firstSentenceReady'),
    ttsFirstAudio: between(marks, 'firstSentenceReady', 'firstAudioReady'),
    playout: between(marks, 'firstAudioReady', 'firstAudioAudible'),
    voiceToVoice,
    textToVoice: between(marks, 'transcriptFinal', 'firstAudioAudible'),
    orchestrationOverhead: voiceToVoice !== undefined && hasCompute ? voiceToVoice - modelTime : undefined,
    tokensPerSecond:
      decodeMs !== undefined && decodeMs > 0 && record.tokens > 1 ? ((record.tokens - 1) * 1000) / decodeMs : undefined,
    total: start !== undefined && marks.turnEnd !== undefined ? marks.turnEnd - start : undefined,
  });
}

/** Marks that are present but earlier than a mark that normally precedes them. */
export function outOfOrderMarks(marks: TurnMarks): TurnMark[] {
  const wrong: TurnMark[] = [];
  let latest = -Infinity;
  for (const name of TURN_MARKS) {
    const at = marks[name];
    if (at === undefined) continue;
    // llmDone may come after the first audio (long replies) but never before the first token;
    // it is checked against the LLM marks only.
    if (name === 'llmDone') {
      const first = marks.llmFirstToken;
      if (first !== undefined && at < first) wrong.push(name);
      continue;
    }
    if (at < latest) wrong.push(name);
    latest = Math.max(latest, at);
  }
  return wrong;
}

function median(values: number[]): number | undefined {
  if (values.length === 0) return undefined;
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  const upper = sorted[middle] as number;
  return sorted.length % 2 === 1 ? upper : ((sorted[middle - 1] as number) + upper) / 2;
}

export interface SessionMedians {
  /** Turns considered. */
  turns: number;
  /** Median of each duration over the turns where it is defined. */
  medians: TurnDurations;
  /** How many turns each median is over. */
  counts: Partial<Record<DurationName, number>>;
}

export function sessionMedians(records: readonly TurnTimingRecord[]): SessionMedians {
  const samples = new Map<DurationName, number[]>();
  for (const record of records) {
    for (const [name, value] of Object.entries(deriveDurations(record)) as [DurationName, number][]) {
      const list = samples.get(name) ?? [];
      list.push(value);
      samples.set(name, list);
    }
  }
  const medians: TurnDurations = {};
  const counts: Partial<Record<DurationName, number>> = {};
  for (const [name, values] of samples) {
    medians[name] = median(values);
    counts[name] = values.length;
  }
  return { turns: records.length, medians, counts };
}

export interface TurnTimerOptions {
  turnId: string;
  source: TurnSource;
  models?: TurnModels;
  backends?: TurnTimingRecord['backends'];
  /** Keep every token's timestamp (debugging only). */
  recordTokenTimes?: boolean;
  now?: () => number;
}

/** Collects one turn's marks as they happen. The first value of a mark wins. */
export class TurnTimer {
  private readonly record: TurnTimingRecord;
  private readonly now: () => number;

  constructor(options: TurnTimerOptions) {
    this.now = options.now ?? (() => performance.now());
    this.record = {
      turnId: options.turnId,
      source: options.source,
      marks: {},
      compute: {},
      tokens: 0,
      models: { ...options.models },
      backends: { ...options.backends },
      interrupted: false,
      capped: false,
      ...(options.recordTokenTimes ? { tokenTimes: [] } : {}),
    };
  }

  /** Records `name` at `at` (default now) unless it is already set; returns the recorded time. */
  mark(name: TurnMark, at: number = this.now()): number {
    const existing = this.record.marks[name];
    if (existing !== undefined) return existing;
    this.record.marks[name] = at;
    return at;
  }

  has(name: TurnMark): boolean {
    return this.record.marks[name] !== undefined;
  }

  get(name: TurnMark): number | undefined {
    return this.record.marks[name];
  }

  compute(stage: keyof StageCompute, ms: number): void {
    if (this.record.compute[stage] === undefined) this.record.compute[stage] = ms;
  }

  /** Counts a token; marks the first and (provisionally) the last. */
  token(at: number = this.now()): void {
    this.record.tokens += 1;
    this.record.tokenTimes?.push(at);
    this.mark('llmFirstToken', at);
    this.record.marks.llmDone = at;
  }

  flag(name: 'interrupted' | 'capped'): void {
    this.record[name] = true;
  }

  /** A copy of the record as it stands. */
  snapshot(): TurnTimingRecord {
    return {
      ...this.record,
      marks: { ...this.record.marks },
      compute: { ...this.record.compute },
      models: { ...this.record.models },
      backends: { ...this.record.backends },
      ...(this.record.tokenTimes ? { tokenTimes: [...this.record.tokenTimes] } : {}),
    };
  }
}
