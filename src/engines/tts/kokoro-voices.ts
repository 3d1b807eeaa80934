import { KOKORO_VOICE_CACHE, kokoroVoiceKey } from '../model-files/model-cache.ts';
import { modelFileUrl } from '../model-files/model-url.ts';
import type { ModelSource } from '../types.ts';

// kokoro-js 1.2.1 (dist/kokoro.js) fetches every voice from the hub URL `kokoroVoiceKey` and keeps
// it in Cache Storage under that URL. The hub is unreachable offline (and in tests), so we fetch
// the voice from our own model source and store it under the key kokoro-js will look up. (The
// model store puts the set's voice there with the model; this covers a voice chosen later.)

/** Where our source serves a voice: `<model folder>/voices/<voice>.bin`, as on the hub. */
export function voiceUrl(source: ModelSource, model: string, voice: string): string {
  return modelFileUrl(source, model, `voices/${voice}.bin`, self.location.origin);
}

/** Makes sure kokoro-js finds `voice` in its cache; a no-op when it is already there. */
export async function provideVoice(source: ModelSource, model: string, voice: string): Promise<void> {
  if (!/^[a-z]{2}_[a-z]+$/.test(voice)) throw new Error(`invalid voice id "${voice}"`);
  const cache = await caches.open(KOKORO_VOICE_CACHE);
  const key = kokoroVoiceKey(voice);
  if (await cache.match(key)) return;
  const url = voiceUrl(source, model, voice);
  const response = await fetch(url);
  if (!response.ok) throw new Error(`voice ${voice}: ${url} answered ${response.status}`);
  const bytes = await response.arrayBuffer();
  // 510 style vectors of 256 float32: anything else is not a Kokoro voice (an HTML error page, say).
  if (bytes.byteLength !== 510 * 256 * 4) throw new Error(`voice ${voice}: ${url} is ${bytes.byteLength} bytes, not a Kokoro voice`);
  await cache.put(key, new Response(bytes, { headers: { 'content-type': 'application/octet-stream' } }));
}

/** A voice's style vectors (510 x 256 float32), through the same cache kokoro-js reads. */
export async function voiceStyles(source: ModelSource, model: string, voice: string): Promise<Float32Array> {
  await provideVoice(source, model, voice);
  const cached = await (await caches.open(KOKORO_VOICE_CACHE)).match(kokoroVoiceKey(voice));
  if (!cached) throw new Error(`voice ${voice} vanished from the cache`);
  return new Float32Array(await cached.arrayBuffer());
}
