// Turns timing records into the benchmark's figures: per-stage durations (the app's own
// definitions in src/metrics/turn-timing.ts, so the bench and the latency panel agree), the
// model compute on the critical path to first audio, and how the turns were ended (end-of-turn
// reasons, the turn model's inference time, eager replies).
import {
  deriveDurations,
  eagerTotals,
  type EagerCounts,
  type TurnDurations,
  type TurnTimingRecord,
} from '../../src/metrics/turn-timing.ts';
import { spread, type Spread } from '../stats.ts';

export const METRICS = [
  'endpointing',
  'asr',
  'llmTtft',
  'firstSentence',
  'ttsFirstAudio',
  'playout',
  'voiceToVoice',
  'textToVoice',
  'modelCompute',
  'orchestrationOverhead',
  'turnModel',
  'tokensPerSecond',
  'total',
] as const;
export type Metric = (typeof METRICS)[number];

export const METRIC_NOTES: Record<Metric, string> = {
  // Stages after the commit (speechEnd) count only what was left to wait for (eager turns: work
  // done before the commit counts 0), so endpointing + asr + ... + playout = voiceToVoice.
  endpointing: 'lastSpeech -> speechEnd (wait until the turn was committed)',
  asr: 'speechEnd -> transcriptFinal (0 if final before the commit)',
  llmTtft: 'transcript (or commit) -> first token',
  firstSentence: 'first token -> first text handed to TTS',
  ttsFirstAudio: 'that text -> its audio',
  playout: 'audio ready -> audible',
  // Results written before timing version 2 measured voiceToVoice from speechEnd.
  voiceToVoice: 'lastSpeech (last speech frame) -> first reply audio audible',
  textToVoice: 'transcript (or commit) -> first reply audio audible (without endpointing and ASR)',
  modelCompute: 'asr + llm to first TTS text + tts of it',
  orchestrationOverhead: '(speechEnd -> audible) - modelCompute, not for eager turns',
  turnModel: "end-of-turn model's inference over the user turn, all its calls (inside endpointing)",
  tokensPerSecond: 'LLM decode rate',
  total: 'first mark -> reply finished playing',
};

function modelCompute(record: TurnTimingRecord): number | undefined {
  const { asr, llmFirstSentence, llmFirstToken, ttsFirstAudio } = record.compute;
  const llm = llmFirstSentence ?? llmFirstToken;
  return asr === undefined || llm === undefined || ttsFirstAudio === undefined ? undefined : asr + llm + ttsFirstAudio;
}

export type Summary = Record<Metric, Spread>;

export function summarize(turns: readonly TurnTimingRecord[]): Summary {
  const values = Object.fromEntries(METRICS.map((m) => [m, [] as number[]])) as Record<Metric, number[]>;
  for (const turn of turns) {
    const durations: TurnDurations & { modelCompute?: number } = { ...deriveDurations(turn), modelCompute: modelCompute(turn) };
    for (const metric of METRICS) {
      const value = durations[metric];
      if (value !== undefined) values[metric].push(value);
    }
  }
  return Object.fromEntries(METRICS.map((m) => [m, spread(values[m])])) as Summary;
}

/** How a pipeline's turns were ended. */
export interface TurnTaking {
  /** Turns per end-of-turn reason (`turn-model`, `silence`; `none` for records without one). */
  reasons: Record<string, number>;
  /** Eager replies over all turns (zeros when none was started). */
  eager: EagerCounts;
  /** End-of-turn model calls over all turns. */
  turnModelCalls: number;
  /**
   * The turn model's time per call, ms: each turn's turnModelMs / turnModelCalls (the record keeps
   * the sum and the count, not each call), one value per turn that called it. Features + inference.
   */
  turnModelPerCall: Spread;
  /** Its probability at the commit. */
  probability: Spread;
  /** Silence heard after the last speech frame at the commit, in audio time (endOfTurn.silenceMs). */
  silenceMs: Spread;
}

export function turnTaking(turns: readonly TurnTimingRecord[]): TurnTaking {
  const reasons: Record<string, number> = {};
  const perCall: number[] = [];
  const probability: number[] = [];
  const silence: number[] = [];
  let calls = 0;
  for (const { endOfTurn } of turns) {
    const reason = endOfTurn?.reason ?? 'none';
    reasons[reason] = (reasons[reason] ?? 0) + 1;
    if (endOfTurn?.turnModelCalls && endOfTurn.turnModelMs !== undefined) {
      calls += endOfTurn.turnModelCalls;
      perCall.push(endOfTurn.turnModelMs / endOfTurn.turnModelCalls);
    }
    if (endOfTurn?.probability !== undefined) probability.push(endOfTurn.probability);
    if (endOfTurn?.silenceMs !== undefined) silence.push(endOfTurn.silenceMs);
  }
  return {
    reasons,
    eager: eagerTotals(turns) ?? { started: 0, kept: 0, discarded: 0 },
    turnModelCalls: calls,
    turnModelPerCall: spread(perCall),
    probability: spread(probability),
    silenceMs: spread(silence),
  };
}
