// Fixed phrases (the handoff announcements) spoken from stored audio instead of the TTS: they
// play at once, even while the TTS worker is busy, and the same words are not synthesised every
// time. The cache wraps the engine the voice loop speaks through; every other sentence goes
// straight to the engine.
import type { AudioChunk, SynthesizeOptions, TtsEngine } from '../../engines/types.ts';
import { median } from '../../lib/median.ts';
import { raceAbort } from '../abortable.ts';
import { SentenceSplitter, type SentenceSplitterOptions } from '../sentence-splitter.ts';
import { speakableText } from '../speakable-text.ts';
import { DEFAULT_SPEED, phraseKey, type PhraseVoice } from './phrase-key.ts';
import { PhraseAudioStore, type PhraseCacheStorage } from './phrase-store.ts';

/** One sentence's way to audio: from the TTS engine or from the cache, for speech or to fill it. */
export interface TtsCallRecord {
  text: string;
  voice: string;
  from: 'engine' | 'phrase-cache';
  purpose: 'speech' | 'prefill';
  /** Length of the audio that came from the cache or was made for it. */
  seconds?: number;
  /** How long reading it from the cache (`phrase-cache`) or making it (`prefill`) took. */
  ms?: number;
  at: number;
}

export interface PhraseCacheOptions {
  engine: Pick<TtsEngine, 'synthesize'>;
  /** Cache Storage; undefined where the page has none (not a secure context): no cache at all. */
  storage: PhraseCacheStorage | undefined;
  /** Whole messages to keep audio for; each is stored per sentence, as the speech pipeline speaks it. */
  phrases: readonly string[];
  /** True while a turn or a spoken message runs or the user speaks: the fill makes nothing then. */
  busy: () => boolean;
  /** Resolves at the browser's next idle moment. */
  idle?: () => Promise<void>;
  now?: () => number;
}

/**
 * The sentences the speech pipeline would hand the TTS for `phrases`: split as a spoken message
 * is (its whole text as one token, then the rest) and made speakable the same way.
 */
export function phraseSentences(phrases: readonly string[], splitter: SentenceSplitterOptions = {}): Set<string> {
  const sentences = new Set<string>();
  for (const phrase of phrases) {
    const split = new SentenceSplitter(splitter);
    for (const chunk of [...split.push(phrase.trim()), ...split.flush()]) {
      const spoken = speakableText(chunk);
      if (spoken !== '') sentences.add(spoken);
    }
  }
  return sentences;
}

function browserIdle(): Promise<void> {
  return new Promise((resolve) => {
    // The timeout keeps a page that is never idle (an animation) from never filling at all.
    if (typeof requestIdleCallback === 'function') requestIdleCallback(() => resolve(), { timeout: 5000 });
    else setTimeout(resolve, 50);
  });
}

/**
 * The fill runs only where the TTS makes a second of audio in at most this many seconds: kokoro-js
 * cannot stop mid-sentence, so a reply that starts during a fill sentence waits for it. At 0.5
 * that wait is under 1.5 s for the longest phrase sentence (~3 s of audio); on a GPU it is a
 * fraction of that. Slower devices (Kokoro on a phone's CPU takes several seconds per second of
 * audio) keep each phrase as it is first spoken instead.
 */
export const MAX_PREFILL_REAL_TIME_FACTOR = 0.5;
/**
 * A TTS warm-up ("Hello.", about half a second of audio, first-run costs included) this quick
 * means a device about inside MAX_PREFILL_REAL_TIME_FACTOR, before any sentence has been timed.
 * A heuristic: Kokoro-82M on this project's 2-core machines warms up in ~2.7 s; a GPU compiling
 * its shaders may take longer than this too, and then fills after the first reply is timed.
 */
export const FAST_WARM_UP_MS = 500;
/** The real-time factor is the median of this many last timings: one slow sentence (a busy moment, a pause for garbage collection) does not stop the fill, nor one quick one start it. */
const TIMINGS_KEPT = 3;

export class PhraseCache implements Pick<TtsEngine, 'synthesize'> {
  private readonly store: PhraseAudioStore | undefined;
  /** What the next turn speaks with, and the sentences to keep for it (set by `refresh`). */
  private target: { voice: PhraseVoice; sentences: Set<string> } | undefined;
  /** Bumped by every `refresh`: a fill for an older target stops at its next step. */
  private generation = 0;
  private filling: Promise<void> = Promise.resolve();
  /** The fill's synthesis in flight: speech waits for it rather than running beside it in the TTS worker. */
  private prefill: Promise<unknown> | undefined;
  private readonly listeners = new Set<(record: TtsCallRecord) => void>();
  /** Seconds of synthesis per second of audio, for the last sentences the engine made (at most TIMINGS_KEPT). */
  private readonly timings: number[] = [];
  /** A warm-up at load quick enough to fill before any sentence was timed (noteWarmUp). */
  private quickWarmUp = false;
  /** Voices the engine has spoken with: the first sentence in a voice also fetches or blends its style, so it is not timed. */
  private readonly voicesUsed = new Set<string>();
  private readonly idle: () => Promise<void>;
  private readonly now: () => number;

  constructor(private readonly options: PhraseCacheOptions) {
    this.store = options.storage && new PhraseAudioStore(options.storage);
    this.idle = options.idle ?? browserIdle;
    this.now = options.now ?? (() => performance.now());
  }

  /** Hears of every sentence synthesised or served from the cache; returns the unsubscribe function. */
  subscribe(listener: (record: TtsCallRecord) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  async synthesize(text: string, options: SynthesizeOptions): Promise<AudioChunk> {
    const model = this.target?.voice.model;
    // Only a known sentence costs a lookup: any other goes to the engine without delay.
    if (this.store && model !== undefined && this.target?.sentences.has(text)) {
      const voice = { voice: options.voice, speed: options.speed ?? DEFAULT_SPEED, model };
      const startedAt = this.now();
      const stored = await this.store.get(text, voice).catch(() => undefined);
      if (stored) {
        const seconds = stored.samples.length / stored.sampleRate;
        this.report({ text, voice: options.voice, from: 'phrase-cache', purpose: 'speech', seconds, ms: this.now() - startedAt });
        return stored;
      }
    }
    // kokoro-js cannot stop mid-sentence: a fill's one sentence finishes before speech starts.
    const prefill = this.prefill?.catch(() => undefined);
    if (prefill) await (options.signal ? raceAbort(prefill, options.signal) : prefill);
    this.report({ text, voice: options.voice, from: 'engine', purpose: 'speech' });
    const startedAt = this.now();
    const chunk = await this.options.engine.synthesize(text, options);
    this.timed(options.voice, this.now() - startedAt, chunk);
    this.keepAsSpoken(text, options, chunk);
    return chunk;
  }

  /** The warm-up's time at load: a quick one lets the fill start before any sentence was timed. */
  noteWarmUp(ms: number): void {
    this.quickWarmUp = ms <= FAST_WARM_UP_MS;
  }

  private timed(voice: string, ms: number, chunk: AudioChunk): void {
    const firstInVoice = !this.voicesUsed.has(voice);
    this.voicesUsed.add(voice);
    if (firstInVoice || chunk.samples.length === 0) return;
    this.timings.push(ms / 1000 / (chunk.samples.length / chunk.sampleRate));
    if (this.timings.length > TIMINGS_KEPT) this.timings.shift();
  }

  /** A phrase sentence the engine just spoke for the next turn's voice is kept: the next time it plays from the cache. */
  private keepAsSpoken(text: string, options: SynthesizeOptions, chunk: AudioChunk): void {
    const target = this.target;
    if (!this.store || !target?.sentences.has(text)) return;
    const voice = { voice: options.voice, speed: options.speed ?? DEFAULT_SPEED, model: target.voice.model };
    if (phraseKey(text, voice) !== phraseKey(text, target.voice)) return;
    void this.store.put(text, voice, chunk).catch((error: unknown) => console.warn('Phrase audio cache:', error));
  }

  /** Whether this device makes audio fast enough for the fill not to hold up a reply (see MAX_PREFILL_REAL_TIME_FACTOR). */
  private fastEnough(): boolean {
    const factor = median(this.timings);
    return factor === undefined ? this.quickWarmUp : factor <= MAX_PREFILL_REAL_TIME_FACTOR;
  }

  /**
   * Brings the cache in line with `voice` (the voice, speed and TTS model the next turn speaks
   * with): deletes every other entry, then makes the missing ones at idle moments, one sentence
   * at a time, where the TTS is fast enough (fastEnough). The fill stops when a turn starts; call
   * this again when one ends, and whenever the voice, speed or model may have changed.
   */
  refresh(voice: PhraseVoice, splitter?: SentenceSplitterOptions): Promise<void> {
    const generation = ++this.generation;
    this.target = { voice, sentences: phraseSentences(this.options.phrases, splitter) };
    // A failed fill costs only the cache (speech still reaches the engine); the next refresh tries again.
    this.filling = this.filling.then(() => this.fill(generation)).catch((error: unknown) => console.warn('Phrase audio cache:', error));
    return this.filling;
  }

  private async fill(generation: number): Promise<void> {
    const { store, target } = this;
    const current = () => generation === this.generation;
    if (!store || !target || !current()) return;
    const sentences = [...target.sentences];
    await store.keepOnly(new Set(sentences.map((text) => phraseKey(text, target.voice))));
    for (const text of sentences) {
      if (!current()) return;
      if (await store.has(text, target.voice)) continue;
      await this.idle();
      if (!current() || this.options.busy() || !this.fastEnough()) return;
      const { voice, speed } = target.voice;
      const startedAt = this.now();
      const request = this.options.engine.synthesize(text, { voice, speed });
      this.prefill = request;
      const chunk = await request.finally(() => (this.prefill = undefined));
      this.timed(voice, this.now() - startedAt, chunk);
      this.report({ text, voice, from: 'engine', purpose: 'prefill', seconds: chunk.samples.length / chunk.sampleRate, ms: this.now() - startedAt });
      // A refresh meanwhile (a turn ended, the microphone opened) that kept the voice keeps the
      // audio too; audio for a voice no longer wanted is dropped.
      if (this.target && phraseKey(text, this.target.voice) === phraseKey(text, target.voice)) await store.put(text, target.voice, chunk);
    }
  }

  private report(record: Omit<TtsCallRecord, 'at'>): void {
    const full = { ...record, at: this.now() };
    for (const listener of this.listeners) listener(full);
  }
}
