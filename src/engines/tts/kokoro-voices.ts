import type { ModelSource } from '../types.ts';
import { absoluteHost } from '../worker-urls.ts';

// kokoro-js 1.2.1 (dist/kokoro.js) fetches every voice from this hub URL and keeps it in Cache
// Storage under the same URL. The hub is unreachable offline (and in tests), so we fetch the
// voice from our own model source and store it under the key kokoro-js will look up.
const KOKORO_VOICE_CACHE = 'kokoro-voices';
const kokoroVoiceKey = (voice: string): string =>
  `https://huggingface.co/onnx-community/Kokoro-82M-v1.0-ONNX/resolve/main/voices/${voice}.bin`;

/** Where our source serves a voice: `<model folder>/voices/<voice>.bin`, as on the hub. */
export function voiceUrl(source: ModelSource, model: string, voice: string): string {
  const folder = source.pathTemplate.replaceAll('{model}', model).replaceAll('{revision}', 'main');
  return `${absoluteHost(source.host)}${folder}${folder.endsWith('/') ? '' : '/'}voices/${voice}.bin`;
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
