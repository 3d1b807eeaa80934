// The one definition of a turn's timing (issue 6, item 1). The voice loop records marks as the
// turn flows; the last-turn breakdown, the session medians and the metrics sent to the relay
// are all derived from the record built here, so there is no second way to measure.
//
// All marks are `performance.now()` milliseconds on the main thread. Stages that run in workers
// or the audio thread convert their clocks before reporting (a worker's `performance.now()` has
// its own time origin; the player maps audio-context time to `performance.now()`).
import type { Backend } from '../engines/types.ts';
import { median } from '../lib/median.ts';

/** Moments in a turn, in the order they normally happen. */
export const TURN_MARKS = [
  /** VAD: the user started speaking (voice turns). */
  'speechStart',
  /**
   * The last frame of actual speech (above the VAD threshold), in audio time: where the user
   * feels their turn ended, and where voice to voice starts.
   */
  'lastSpeech',
  /**
   * The turn is committed: the VAD's end of utterance after its silence wait, the end-of-turn
   * model's decision, or the maximum silence. Nothing of the reply may play before it.
   */
  'speechEnd',
  /**
   * The final transcript is known (voice), or the text was submitted (text turns). In an eager
   * turn (ASR and LLM started at a short pause) this may come before `speechEnd`.
   */
  'transcriptFinal',
  /** The LLM produced its first token (eager turns: possibly before `speechEnd`). */
  'llmFirstToken',
  /** The sentence splitter released the first speakable chunk (eager turns: possibly before `speechEnd`). */
  'firstSentenceReady',
  /** TTS returned audio for the first chunk (eager turns: possibly before `speechEnd`, held until it). */
  'firstAudioReady',
  /** The first sample of the reply reached the speaker (player's output timestamp); never before `speechEnd`. */
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

/** What committed a turn (ended the user's turn and let the reply play). */
export type EndOfTurnReason = 'turn-model' | 'silence' | 'text';

export interface EndOfTurn {
  /**
   * `turn-model`: the end-of-turn model judged the user done; `silence`: the silence wait (or
   * the maximum silence) ran out; `text`: a typed message was submitted.
   */
  reason: EndOfTurnReason;
  /** Inference time of the end-of-turn model over this user turn (all its calls), in ms. */
  turnModelMs?: number;
  /** How many times the end-of-turn model ran during this user turn. */
  turnModelCalls?: number;
  /** The model's end-of-turn probability at the commit (its latest call). */
  probability?: number;
  /**
   * The silence the VAD had heard after the last speech frame when the turn was committed, in
   * audio time (frames): the endpointing wait without the delays of processing and messaging.
   */
  silenceMs?: number;
}

/** Eager replies (ASR + LLM started at a short pause, before the commit) during one user turn. */
export interface EagerCounts {
  started: number;
  /** Kept at the commit: the reply heard is an eager one. */
  kept: number;
  /** Dropped because the user went on speaking (or the transcript changed). */
  discarded: number;
}
export type EagerOutcome = keyof EagerCounts;

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
  /** How the turn was committed (absent in records made before end-of-turn detection). */
  endOfTurn?: EndOfTurn;
  /** Eager replies during this user turn (absent when none was started, and in older records). */
  eager?: EagerCounts;
}

/**
 * Durations derived from the record, in ms. A duration is absent when a mark it needs is missing.
 *
 * The stacked breakdown. Voice to voice runs from the user's last speech frame (`lastSpeech`)
 * to the first reply audio heard. It splits into `endpointing` (the wait until the turn was
 * committed at `speechEnd`) and the stages after the commit, which measure only what was still
 * on the critical path: each stage ends at the later of its own mark and the end of the stage
 * before it, the first stage starting at the commit. In a plain turn (every mark after the
 * commit and in order) that is simply the time between consecutive marks. In an eager turn,
 * where ASR and the LLM started at a short pause, work already done by the commit counts 0
 * (e.g. `asr` = max(0, transcriptFinal - speechEnd)) and a stage that finished early only
 * counts its remainder after the commit. So, whenever every mark is present and the reply was
 * not heard before the commit,
 *
 *   endpointing + asr + llmTtft + firstSentence + ttsFirstAudio + playout = voiceToVoice
 *
 * exactly, eager or not (and llmTtft + ... + playout = textToVoice). Text turns are committed
 * at `transcriptFinal` (the submission) and have no `endpointing` or `asr`.
 */
export interface TurnDurations {
  /** lastSpeech -> speechEnd: the wait (silence, end-of-turn model) until the turn was committed. */
  endpointing?: number;
  /** speechEnd -> transcriptFinal, or 0 when the transcript was final before the commit (eager): ASR still waited for. */
  asr?: number;
  /** -> llmFirstToken, from the end of `asr` (the commit or the final transcript, whichever was later). */
  llmTtft?: number;
  /** -> firstSentenceReady, from the end of `llmTtft`. */
  firstSentence?: number;
  /** -> firstAudioReady, from the end of `firstSentence`. */
  ttsFirstAudio?: number;
  /** -> firstAudioAudible, from the end of `ttsFirstAudio`: player queue and output latency. */
  playout?: number;
  /**
   * lastSpeech -> firstAudioAudible: what the user experiences, from their last word. Only for
   * turns with a `lastSpeech` mark (never measured from `speechEnd` instead).
   */
  voiceToVoice?: number;
  /**
   * -> firstAudioAudible from the end of `asr` (voice), or from the submission (text turns):
   * the reply's own latency, without the user's pause and the ASR.
   */
  textToVoice?: number;
  /**
   * (speechEnd -> firstAudioAudible) minus model compute (ASR + LLM to first chunk + TTS of the
   * first chunk), voice turns only. Absent for eager turns: part of their model time was spent
   * before the commit, so subtracting it would not mean anything.
   */
  orchestrationOverhead?: number;
  /** Inference time of the end-of-turn model during the user's turn (inside `endpointing`, not a stage of its own). */
  turnModel?: number;
  /** Decoding speed after the first token. */
  tokensPerSecond?: number;
  /** From the turn's first mark to turnEnd. */
  total?: number;
}

export type DurationName = keyof TurnDurations;

/** The stages after the commit, in order: each ends at its mark. */
const CRITICAL_PATH = ['transcriptFinal', 'llmFirstToken', 'firstSentenceReady', 'firstAudioReady', 'firstAudioAudible'] as const;
type PathMark = (typeof CRITICAL_PATH)[number];

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

/** The moment the turn was committed: `speechEnd` for voice, the submission for text. */
function commitOf(record: TurnTimingRecord): number | undefined {
  return record.source === 'voice' ? record.marks.speechEnd : record.marks.transcriptFinal;
}

/**
 * When each present critical-path mark's stage was done, as far as the user waited for it: the
 * latest of the commit, the previous stage's end and the mark itself.
 */
function criticalPath(marks: TurnMarks, commit: number | undefined): Partial<Record<PathMark, number>> {
  const done: Partial<Record<PathMark, number>> = {};
  let latest = commit ?? -Infinity;
  for (const name of CRITICAL_PATH) {
    const at = marks[name];
    if (at === undefined) continue;
    latest = Math.max(latest, at);
    done[name] = latest;
  }
  return done;
}

export function deriveDurations(record: TurnTimingRecord): TurnDurations {
  const { marks, compute } = record;
  const commit = commitOf(record);
  const path = criticalPath(marks, commit);
  const stage = (from: PathMark, to: PathMark) => {
    const start = path[from];
    const end = path[to];
    return start === undefined || end === undefined ? undefined : end - start;
  };
  const voice = record.source === 'voice';
  const modelTime = (compute.asr ?? 0) + (compute.llmFirstSentence ?? compute.llmFirstToken ?? 0) + (compute.ttsFirstAudio ?? 0);
  const hasCompute = compute.asr !== undefined && (compute.llmFirstSentence ?? compute.llmFirstToken) !== undefined && compute.ttsFirstAudio !== undefined;
  const eager = (marks.transcriptFinal !== undefined && marks.speechEnd !== undefined && marks.transcriptFinal < marks.speechEnd) || (record.eager?.kept ?? 0) > 0;
  const afterCommit = between(marks, 'speechEnd', 'firstAudioAudible');
  const decodeMs = between(marks, 'llmFirstToken', 'llmDone');
  const start = firstMark(marks);
  return withoutUndefined({
    endpointing: voice ? between(marks, 'lastSpeech', 'speechEnd') : undefined,
    asr: voice && commit !== undefined && path.transcriptFinal !== undefined ? path.transcriptFinal - commit : undefined,
    llmTtft: stage('transcriptFinal', 'llmFirstToken'),
    firstSentence: stage('llmFirstToken', 'firstSentenceReady'),
    ttsFirstAudio: stage('firstSentenceReady', 'firstAudioReady'),
    playout: stage('firstAudioReady', 'firstAudioAudible'),
    voiceToVoice: voice ? between(marks, 'lastSpeech', 'firstAudioAudible') : undefined,
    textToVoice: stage('transcriptFinal', 'firstAudioAudible'),
    orchestrationOverhead: voice && afterCommit !== undefined && hasCompute && !eager ? afterCommit - modelTime : undefined,
    turnModel: record.endOfTurn?.turnModelMs,
    tokensPerSecond:
      decodeMs !== undefined && decodeMs > 0 && record.tokens > 1 ? ((record.tokens - 1) * 1000) / decodeMs : undefined,
    total: start !== undefined && marks.turnEnd !== undefined ? marks.turnEnd - start : undefined,
  });
}

/**
 * Marks an eager turn may legitimately record before the commit (`speechEnd`): the reply can be
 * transcribed, generated and even synthesised ahead, but never heard before it.
 */
const MAY_PRECEDE_COMMIT: ReadonlySet<TurnMark> = new Set(['transcriptFinal', 'llmFirstToken', 'firstSentenceReady', 'firstAudioReady']);

/**
 * Marks that are present but earlier than a mark that normally precedes them. Eager turns are
 * allowed their early transcript, first token, first sentence and first audio (they are still
 * checked against each other and against the user's speech), but `firstAudioAudible` before
 * `speechEnd` is flagged: nothing may play before the turn is committed.
 */
export function outOfOrderMarks(marks: TurnMarks): TurnMark[] {
  const wrong: TurnMark[] = [];
  let latest = -Infinity;
  // The same, leaving out the commit: what an eager mark must still follow.
  let latestButCommit = -Infinity;
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
    if (at < (MAY_PRECEDE_COMMIT.has(name) ? latestButCommit : latest)) wrong.push(name);
    latest = Math.max(latest, at);
    if (name !== 'speechEnd') latestButCommit = Math.max(latestButCommit, at);
  }
  return wrong;
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

/** Eager replies over the turns, added up; undefined when no turn reports any. */
export function eagerTotals(records: readonly TurnTimingRecord[]): EagerCounts | undefined {
  let totals: EagerCounts | undefined;
  for (const { eager } of records) {
    if (!eager) continue;
    totals ??= { started: 0, kept: 0, discarded: 0 };
    totals.started += eager.started;
    totals.kept += eager.kept;
    totals.discarded += eager.discarded;
  }
  return totals;
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
  /** End-of-turn model calls counted before the commit said why the turn ended. */
  private turnModelTally: { ms: number; calls: number; probability?: number } | undefined;

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

  /**
   * Says how the turn was committed (call it when marking `speechEnd`, or on submitting text).
   * Model figures given here replace those counted with `turnModelCall`; a later call replaces
   * the earlier one.
   */
  setEndOfTurn(reason: EndOfTurnReason, details: Omit<EndOfTurn, 'reason'> = {}): void {
    const tally = this.turnModelTally;
    this.record.endOfTurn = {
      reason,
      ...(tally ? { turnModelMs: tally.ms, turnModelCalls: tally.calls } : {}),
      ...(tally?.probability !== undefined ? { probability: tally.probability } : {}),
      ...definedOnly(details),
    };
  }

  /** Counts one run of the end-of-turn model (`ms` of inference, its end-of-turn probability). */
  turnModelCall(ms: number, probability?: number): void {
    const tally = (this.turnModelTally ??= { ms: 0, calls: 0 });
    tally.ms += ms;
    tally.calls += 1;
    if (probability !== undefined) tally.probability = probability;
    const endOfTurn = this.record.endOfTurn;
    if (endOfTurn) {
      endOfTurn.turnModelMs = tally.ms;
      endOfTurn.turnModelCalls = tally.calls;
      if (probability !== undefined) endOfTurn.probability = probability;
    }
  }

  /** Counts an eager reply of this user turn: one `started`, then `kept` or `discarded`. */
  countEager(outcome: EagerOutcome, n = 1): void {
    const eager = (this.record.eager ??= { started: 0, kept: 0, discarded: 0 });
    eager[outcome] += n;
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
      ...(this.record.endOfTurn ? { endOfTurn: { ...this.record.endOfTurn } } : {}),
      ...(this.record.eager ? { eager: { ...this.record.eager } } : {}),
    };
  }
}

function definedOnly<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>;
}
