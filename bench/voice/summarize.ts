// Turns timing records into the benchmark's figures: per-stage durations (the app's own
// definitions in src/metrics/turn-timing.ts, so the bench and the latency panel agree) and the
// model compute on the critical path to first audio.
import { deriveDurations, type TurnDurations, type TurnTimingRecord } from '../../src/metrics/turn-timing.ts';
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
