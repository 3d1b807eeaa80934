import { describe, expect, it } from 'vitest';
import { FakeTts } from '../testing/fakes.ts';
import { MAX_PREFILL_REAL_TIME_FACTOR, PhraseCache, phraseSentences, type TtsCallRecord } from './phrase-cache.ts';
import { parsePhraseKey, PHRASE_AUDIO_CACHE, phraseKey, type PhraseVoice } from './phrase-key.ts';
import { PhraseAudioStore, type PhraseCacheStorage } from './phrase-store.ts';

/** Cache Storage in memory, keyed by URL as the browser's is. */
function fakeCaches(): PhraseCacheStorage & { urls(): string[] } {
  const entries = new Map<string, Response>();
  const url = (key: RequestInfo | URL) => new Request(key).url;
  const cache = {
    match: async (key: RequestInfo | URL) => entries.get(url(key))?.clone(),
    put: async (key: RequestInfo | URL, response: Response) => void entries.set(url(key), response),
    delete: async (key: RequestInfo | URL) => entries.delete(url(key)),
    keys: async () => [...entries.keys()].map((key) => new Request(key)),
  };
  return {
    open: async (name) => (name === PHRASE_AUDIO_CACHE ? cache : Promise.reject(new Error(`unexpected cache ${name}`))),
    urls: () => [...entries.keys()],
  };
}

const CONNECTING = 'Connecting you to a person…';
const NOBODY = "Sorry, no one is free to take your call right now. You're back with the assistant.";
const heart: PhraseVoice = { voice: 'af_heart', speed: 1, model: 'kokoro@q8' };

/** A cache in front of a fake engine that a quick warm-up showed fast enough to fill. */
function setup(busy = () => false) {
  const engine = new FakeTts();
  const storage = fakeCaches();
  const cache = new PhraseCache({ engine, storage, phrases: [CONNECTING, NOBODY], busy, idle: async () => {} });
  cache.noteWarmUp(20);
  const records: TtsCallRecord[] = [];
  cache.subscribe((record) => records.push(record));
  return { engine, storage, cache, records };
}

describe('phrase audio cache', () => {
  it('keeps each phrase per sentence, as the speech pipeline speaks it', () => {
    expect([...phraseSentences([CONNECTING, NOBODY])]).toEqual([
      CONNECTING,
      'Sorry, no one is free to take your call right now.',
      "You're back with the assistant.",
    ]);
  });

  it('fills at idle time, then plays a phrase from the cache without calling the engine', async () => {
    const { engine, cache, records } = setup();
    await cache.refresh(heart);
    expect(engine.calls.map((call) => call.text)).toEqual([...phraseSentences([CONNECTING, NOBODY])]);
    expect(engine.calls[0]!.options).toMatchObject({ voice: 'af_heart', speed: 1 });

    const chunk = await cache.synthesize(CONNECTING, { voice: 'af_heart' });
    expect(engine.calls).toHaveLength(3);
    expect(chunk.samples.length).toBe(CONNECTING.length * engine.samplesPerChar);
    expect(chunk.sampleRate).toBe(24000);
    expect(records.at(-1)).toMatchObject({ text: CONNECTING, from: 'phrase-cache', purpose: 'speech', seconds: chunk.samples.length / 24000 });
  });

  it('sends any other sentence, and a phrase in a voice or speed not stored, to the engine', async () => {
    const { engine, cache, records } = setup();
    await cache.refresh(heart);
    const filled = engine.calls.length;
    await cache.synthesize('The capital of France is Paris.', { voice: 'af_heart' });
    await cache.synthesize(CONNECTING, { voice: 'af_bella' });
    await cache.synthesize(CONNECTING, { voice: 'af_heart', speed: 1.2 });
    expect(engine.calls.slice(filled).map((call) => [call.text, call.options.voice])).toEqual([
      ['The capital of France is Paris.', 'af_heart'],
      [CONNECTING, 'af_bella'],
      [CONNECTING, 'af_heart'],
    ]);
    expect(records.slice(-3).map((record) => record.from)).toEqual(['engine', 'engine', 'engine']);
  });

  it('keys the audio by text, voice, speed and model', async () => {
    const store = new PhraseAudioStore(fakeCaches());
    await store.put(CONNECTING, heart, { samples: new Float32Array([0.5, -0.25]), sampleRate: 24000 });
    expect(Array.from((await store.get(CONNECTING, heart))!.samples)).toEqual([0.5, -0.25]);
    for (const other of [{ voice: 'af_bella' }, { speed: 1.1 }, { model: 'kokoro@fp32' }]) {
      expect(await store.get(CONNECTING, { ...heart, ...other })).toBeUndefined();
    }
    expect(await store.get('Connecting you to a person.', heart)).toBeUndefined();
    expect(parsePhraseKey(phraseKey(CONNECTING, heart))).toEqual({ ...heart, text: CONNECTING });
  });

  it('evicts the old voice and refills for the new one when the voice changes', async () => {
    const { engine, storage, cache } = setup();
    await cache.refresh(heart);
    const bella = { ...heart, voice: 'af_bella' };
    await cache.refresh(bella);
    const stored = storage.urls().map((url) => parsePhraseKey(url)!);
    expect(stored.map((entry) => entry.voice)).toEqual(['af_bella', 'af_bella', 'af_bella']);
    expect(engine.calls.slice(3).every((call) => call.options.voice === 'af_bella')).toBe(true);

    // A new model (a GPU lost, another dtype) evicts the same way.
    await cache.refresh({ ...bella, model: 'kokoro@fp32' });
    expect(storage.urls().map((url) => parsePhraseKey(url)!.model)).toEqual(['kokoro@fp32', 'kokoro@fp32', 'kokoro@fp32']);
    const calls = engine.calls.length;
    await cache.synthesize(CONNECTING, { voice: 'af_bella' });
    expect(engine.calls).toHaveLength(calls);
  });

  it('stops filling when a turn starts and goes on after it', async () => {
    let turnRunning = false;
    const { engine, storage, cache } = setup(() => turnRunning);
    let release = () => {};
    engine.gates.set(0, new Promise<void>((resolve) => (release = resolve)));
    const filling = cache.refresh(heart);
    await new Promise((resolve) => setTimeout(resolve, 0));
    expect(engine.calls).toHaveLength(1);

    // The turn's sentence waits for the fill's one sentence in flight instead of racing it.
    turnRunning = true;
    const reply = cache.synthesize('Sure.', { voice: 'af_heart' });
    await new Promise((resolve) => setTimeout(resolve, 0));
    expect(engine.calls).toHaveLength(1);
    release();
    await reply;
    await filling;
    expect(engine.calls.map((call) => call.text)).toEqual([CONNECTING, 'Sure.']);
    expect(storage.urls()).toHaveLength(1);

    turnRunning = false;
    await cache.refresh(heart);
    expect(engine.calls).toHaveLength(4);
    expect(storage.urls()).toHaveLength(3);
  });

  it('makes each sentence once when refreshed again with the same voice mid-fill', async () => {
    const { engine, storage, cache } = setup();
    let release = () => {};
    engine.gates.set(0, new Promise<void>((resolve) => (release = resolve)));
    void cache.refresh(heart);
    await new Promise((resolve) => setTimeout(resolve, 0));
    const again = cache.refresh({ ...heart });
    release();
    await again;
    expect(engine.calls.map((call) => call.text)).toEqual([...phraseSentences([CONNECTING, NOBODY])]);
    expect(storage.urls()).toHaveLength(3);
  });

  it('is a plain pass-through where the page has no Cache Storage', async () => {
    const engine = new FakeTts();
    const cache = new PhraseCache({ engine, storage: undefined, phrases: [CONNECTING], busy: () => false, idle: async () => {} });
    await cache.refresh(heart);
    expect(engine.calls).toHaveLength(0);
    await cache.synthesize(CONNECTING, { voice: 'af_heart' });
    expect(engine.calls).toHaveLength(1);
  });

  /** A cache in front of an engine on a clock it moves: each second of audio takes `timing.factor` seconds to make. */
  function timedSetup(warmUpMs: number) {
    const engine = new FakeTts();
    const storage = fakeCaches();
    let clock = 0;
    // `next`, when set, is the factor of the next sentence only.
    const timing: { factor: number; next?: number } = { factor: 2 };
    const timed = {
      synthesize: async (...args: Parameters<FakeTts['synthesize']>) => {
        const chunk = await engine.synthesize(...args);
        clock += ((timing.next ?? timing.factor) * 1000 * chunk.samples.length) / chunk.sampleRate;
        timing.next = undefined;
        return chunk;
      },
    };
    const cache = new PhraseCache({ engine: timed, storage, phrases: [CONNECTING, NOBODY], busy: () => false, idle: async () => {}, now: () => clock });
    cache.noteWarmUp(warmUpMs);
    return { engine, storage, cache, timing };
  }

  it('fills nothing where the TTS is slower than the limit, keeping each phrase as it is first spoken instead', async () => {
    const { engine, storage, cache, timing } = timedSetup(2700);
    await cache.refresh(heart);
    // Not fast (a slow warm-up, nothing timed yet): no fill a reply could wait behind.
    expect(engine.calls).toHaveLength(0);

    // Spoken once by the engine (slowly), kept; the second time it plays from the cache.
    await cache.synthesize(CONNECTING, { voice: 'af_heart' });
    await new Promise((resolve) => setTimeout(resolve, 0));
    await cache.synthesize(CONNECTING, { voice: 'af_heart' });
    expect(engine.calls.map((call) => call.text)).toEqual([CONNECTING]);
    // Slow sentences timed (the first in a voice is not: it also fetched the voice).
    await cache.synthesize('Well.', { voice: 'af_heart' });
    await cache.synthesize('Right.', { voice: 'af_heart' });
    await cache.refresh(heart);
    expect(engine.calls).toHaveLength(3);

    // Sentences made fast enough (the machine got quieter, a GPU) let the fill go on: two of the last three.
    timing.factor = MAX_PREFILL_REAL_TIME_FACTOR / 2;
    await cache.synthesize('Sure.', { voice: 'af_heart' });
    await cache.refresh(heart);
    expect(engine.calls).toHaveLength(4);
    await cache.synthesize('Yes.', { voice: 'af_heart' });
    await cache.refresh(heart);
    expect(storage.urls()).toHaveLength(3);
  });

  it('goes on filling through one slow sentence and through the first sentence in a new voice (which also fetches the voice)', async () => {
    const { engine, storage, cache, timing } = timedSetup(20);
    timing.factor = MAX_PREFILL_REAL_TIME_FACTOR / 4;
    await cache.synthesize('Hello.', { voice: 'af_heart' });
    await cache.synthesize('Sure.', { voice: 'af_heart' });
    await cache.synthesize('Yes.', { voice: 'af_heart' });
    // A busy moment: one sentence takes four times too long.
    timing.next = MAX_PREFILL_REAL_TIME_FACTOR * 4;
    await cache.synthesize('Right.', { voice: 'af_heart' });
    await cache.refresh(heart);
    expect(storage.urls()).toHaveLength(3);

    // Another voice: its first sentence is slow (the voice's file is fetched), and the fill goes on.
    const bella = { ...heart, voice: 'af_bella' };
    const before = engine.calls.length;
    timing.next = MAX_PREFILL_REAL_TIME_FACTOR * 20;
    await cache.refresh(bella);
    expect(engine.calls.slice(before).map((call) => call.options.voice)).toEqual(['af_bella', 'af_bella', 'af_bella']);
    expect(storage.urls().map((url) => parsePhraseKey(url)!.voice)).toEqual(['af_bella', 'af_bella', 'af_bella']);
  });
});
