import type { MetricsBatchResponse, TurnMetric } from '../protocol/metrics.ts';
import type { KeyValueStorage } from './metrics-queue.ts';
import type { FetchLike } from './metrics-transport.ts';
import type { TurnMarks, TurnTimingRecord } from './turn-timing.ts';

// Fakes for the metrics unit tests (node has no localStorage, and no relay).

export class MemoryStorage implements KeyValueStorage {
  readonly items = new Map<string, string>();
  getItem(key: string): string | null {
    return this.items.get(key) ?? null;
  }
  setItem(key: string, value: string): void {
    this.items.set(key, value);
  }
  removeItem(key: string): void {
    this.items.delete(key);
  }
}

export interface SentRequest {
  url: string;
  init: RequestInit;
  turns: unknown[];
}

/**
 * A relay that stores turns by id as the real one does. `next` decides the fate of the coming
 * requests in order: `'ok'`, `'offline'` (fetch rejects), `'lost'` (stored, but the answer never
 * arrives), or an HTTP status to answer with instead (429 comes with `Retry-After: 120`).
 */
/** The JSON text a metrics request carried (the transport always sends a string). */
export function sentBody(init: RequestInit): string {
  if (typeof init.body !== 'string') throw new Error(`metrics request body is ${typeof init.body}, not JSON text`);
  return init.body;
}

export class FakeRelay {
  readonly stored = new Map<string, TurnMetric>();
  readonly requests: SentRequest[] = [];
  readonly next: ('ok' | 'offline' | 'lost' | number)[] = [];
  duplicates = 0;

  readonly fetch: FetchLike = async (url, init) => {
    const turns = (JSON.parse(sentBody(init)) as { turns: unknown[] }).turns;
    this.requests.push({ url, init, turns });
    const fate = this.next.shift() ?? 'ok';
    if (fate === 'offline') throw new TypeError('Failed to fetch');
    if (typeof fate === 'number') return response(fate, { error: { code: 'x', message: 'x' } }, fate === 429 ? { 'Retry-After': '120' } : {});
    const result: MetricsBatchResponse = { accepted: 0, duplicates: 0, rejected: [] };
    for (const turn of turns as TurnMetric[]) {
      if (this.stored.has(turn.turnId)) result.duplicates++;
      else {
        this.stored.set(turn.turnId, turn);
        result.accepted++;
      }
    }
    this.duplicates += result.duplicates;
    if (fate === 'lost') throw new TypeError('network changed');
    return response(200, result);
  };
}

function response(status: number, body: unknown, headers: Record<string, string> = {}): Awaited<ReturnType<FetchLike>> {
  return { status, ok: status >= 200 && status < 300, json: async () => body, headers: new Headers(headers) };
}

export const FULL_MARKS: TurnMarks = {
  speechStart: 0,
  lastSpeech: 1000,
  speechEnd: 1500,
  transcriptFinal: 1700,
  llmFirstToken: 1900,
  firstSentenceReady: 2100,
  firstAudioReady: 2250,
  firstAudioAudible: 2300,
  llmDone: 3900,
  turnEnd: 6000,
};

/**
 * An eager turn: ASR and the LLM started at a short pause (~200 ms after the last word), so the
 * transcript and the first token come before the commit (`speechEnd`); the reply is heard after it.
 */
export const EAGER_MARKS: TurnMarks = {
  speechStart: 0,
  lastSpeech: 1000,
  transcriptFinal: 1300,
  llmFirstToken: 1450,
  speechEnd: 1500,
  firstSentenceReady: 1600,
  firstAudioReady: 1700,
  firstAudioAudible: 1720,
  llmDone: 2500,
  turnEnd: 4000,
};

let counter = 0;

export function timingRecord(extra: Partial<TurnTimingRecord> = {}): TurnTimingRecord {
  counter++;
  return {
    turnId: `00000000-0000-4000-8000-${String(counter).padStart(12, '0')}`,
    source: 'voice',
    marks: { ...FULL_MARKS },
    compute: { asr: 150, llmFirstToken: 180, llmFirstSentence: 380, ttsFirstAudio: 140 },
    tokens: 41,
    models: { asr: 'fixtures/whisper-ask', llm: 'fixtures/chat-lm', tts: 'fixtures/kokoro' },
    backends: { asr: 'wasm', llm: 'webgpu', tts: 'wasm' },
    interrupted: false,
    capped: false,
    ...extra,
  };
}
