// The phrase audio in Cache Storage: one response per sentence, its body the raw float32 samples
// (exact, and no decoder needed), its sample rate in a header.
import type { AudioChunk } from '../../engines/types.ts';
import { parsePhraseKey, phraseKey, PHRASE_AUDIO_CACHE, type PhraseVoice } from './phrase-key.ts';

/** Cache Storage as far as the store uses it (the browser's `caches`, or a test's fake). */
export interface PhraseCacheStorage {
  open(name: string): Promise<Pick<Cache, 'match' | 'put' | 'delete' | 'keys'>>;
}

const SAMPLE_RATE_HEADER = 'x-hearth-sample-rate';

export class PhraseAudioStore {
  private cache: ReturnType<PhraseCacheStorage['open']> | undefined;

  constructor(private readonly storage: PhraseCacheStorage) {}

  private open(): ReturnType<PhraseCacheStorage['open']> {
    this.cache ??= this.storage.open(PHRASE_AUDIO_CACHE);
    return this.cache;
  }

  /** The stored audio, or undefined; each call reads a fresh copy (the player may take the buffer). */
  async get(text: string, voice: PhraseVoice): Promise<AudioChunk | undefined> {
    const response = await (await this.open()).match(phraseKey(text, voice));
    const sampleRate = Number(response?.headers.get(SAMPLE_RATE_HEADER));
    if (!response || !(sampleRate > 0)) return undefined;
    return { samples: new Float32Array(await response.arrayBuffer()), sampleRate };
  }

  async has(text: string, voice: PhraseVoice): Promise<boolean> {
    return (await (await this.open()).match(phraseKey(text, voice))) !== undefined;
  }

  async put(text: string, voice: PhraseVoice, { samples, sampleRate }: AudioChunk): Promise<void> {
    const body = new Response(samples.slice(), {
      headers: { 'content-type': 'application/octet-stream', [SAMPLE_RATE_HEADER]: String(sampleRate) },
    });
    await (await this.open()).put(phraseKey(text, voice), body);
  }

  /** Deletes every entry whose key is not in `wanted` (keys from `phraseKey`); returns how many went. */
  async keepOnly(wanted: ReadonlySet<string>): Promise<number> {
    const cache = await this.open();
    let deleted = 0;
    for (const request of await cache.keys()) {
      // Compared as parsed parts, so a key the browser normalised still matches its own entry.
      const entry = parsePhraseKey(request.url);
      if (entry && wanted.has(phraseKey(entry.text, entry))) continue;
      if (await cache.delete(request)) deleted += 1;
    }
    return deleted;
  }
}
