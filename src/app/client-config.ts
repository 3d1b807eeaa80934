import type { ClientConfig, ModelSet } from '../models/model-set.ts';
import type { Backend } from '../engines/types.ts';
import type { VoiceSettings } from '../voice/settings.ts';

/** Asks the server where models come from and which to run. */
export async function fetchClientConfig(): Promise<ClientConfig> {
  let response: Response;
  try {
    response = await fetch('/api/v1/client-config', { headers: { accept: 'application/json' } });
  } catch {
    throw new Error('The app could not reach its server to learn which models to load. Check the connection and retry.');
  }
  if (!response.ok) throw new Error(`The server could not say which models to load (HTTP ${response.status}).`);
  return (await response.json()) as ClientConfig;
}

export interface UrlOverrides {
  modelSet: Partial<Pick<ModelSet, 'asr' | 'llm' | 'tts' | 'voice'>>;
  backend?: Backend;
  /** `?pipeline=sequential`: the benchmark's naive baseline (see `VoiceSettings.streaming`). */
  pipeline: Pick<VoiceSettings, 'streaming'> | Record<string, never>;
}

/**
 * `?asr=…&llm=…&tts=…&voice=…&backend=wasm|webgpu&pipeline=sequential`: run other models from the same source,
 * e.g. to compare two Whisper sizes, or (in tests) to pick a fixture variant.
 */
export function readUrlOverrides(search: string = location.search): UrlOverrides {
  const params = new URLSearchParams(search);
  const modelSet: UrlOverrides['modelSet'] = {};
  for (const key of ['asr', 'llm', 'tts', 'voice'] as const) {
    const value = params.get(key);
    if (value && /^[\w.\-/]+$/.test(value) && !value.includes('..')) modelSet[key] = value;
  }
  const backend = params.get('backend');
  return {
    modelSet,
    backend: backend === 'wasm' || backend === 'webgpu' ? backend : undefined,
    pipeline: params.get('pipeline') === 'sequential' ? { streaming: false } : {},
  };
}
