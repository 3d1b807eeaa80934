import type { ClientConfig, ModelSet } from '../protocol/model-set.ts';
import type { Backend, VadParams } from '../engines/types.ts';
import type { VoiceSettings } from '../voice/settings.ts';

/** The last answer, kept so the app starts offline even if the service worker never saw one. */
const SAVED_CONFIG_KEY = 'hearth-client-config';

/** Asks the server where models come from and which to run; offline, the last answer stands. */
export async function fetchClientConfig(): Promise<ClientConfig> {
  let failure: string;
  try {
    const response = await fetch('/api/v1/client-config', { headers: { accept: 'application/json' } });
    if (response.ok) {
      const config = (await response.json()) as ClientConfig;
      localStorage.setItem(SAVED_CONFIG_KEY, JSON.stringify(config));
      return config;
    }
    failure = `The server could not say which models to load (HTTP ${response.status}).`;
  } catch {
    failure = 'The app could not reach its server to learn which models to load. Check the connection and retry.';
  }
  const saved = localStorage.getItem(SAVED_CONFIG_KEY);
  if (saved) return JSON.parse(saved) as ClientConfig;
  throw new Error(failure);
}

/** The set the user chose in the model manager, if the source still offers it; else the default. */
export function chosenModelSet(config: ClientConfig, chosenId: string): ModelSet {
  return (config.modelSets ?? []).find((set) => set.id === chosenId) ?? config.modelSet;
}

export interface UrlOverrides {
  modelSet: Partial<Pick<ModelSet, 'asr' | 'llm' | 'tts' | 'voice' | 'turn'>>;
  backend?: Backend;
  /** The benchmark's baselines (see `PIPELINES`); empty for the product's own pipeline. */
  pipeline: PipelineOverrides;
}

export interface PipelineOverrides {
  voice?: Pick<VoiceSettings, 'streaming' | 'eagerReplies'>;
  vad?: Pick<VadParams, 'endOfTurn'>;
}

/**
 * `?pipeline=…` for the benchmark, which runs the same turns through each side by side:
 * `sequential`, the naive cascade (a fixed silence timer, then the whole transcript, the whole
 * reply and the whole audio, one after the other); `timer`, the fixed silence timer with
 * streaming replies (the product before end-of-turn detection). Without it: the product as is.
 */
export const PIPELINES: Record<'sequential' | 'timer', PipelineOverrides> = {
  sequential: { voice: { streaming: false, eagerReplies: false }, vad: { endOfTurn: 'silence' } },
  timer: { voice: { streaming: true, eagerReplies: false }, vad: { endOfTurn: 'silence' } },
};

/**
 * `?asr=…&llm=…&tts=…&voice=…&backend=wasm|webgpu&pipeline=sequential|timer`: run other models from the same source,
 * e.g. to compare two Whisper sizes, or (in tests) to pick a fixture variant.
 */
export function readUrlOverrides(search: string = location.search): UrlOverrides {
  const params = new URLSearchParams(search);
  const modelSet: UrlOverrides['modelSet'] = {};
  for (const key of ['asr', 'llm', 'tts', 'voice', 'turn'] as const) {
    const value = params.get(key);
    if (value && /^[\w.\-/]+$/.test(value) && !value.includes('..')) modelSet[key] = value;
  }
  const backend = params.get('backend');
  const pipeline = params.get('pipeline');
  return {
    modelSet,
    backend: backend === 'wasm' || backend === 'webgpu' ? backend : undefined,
    pipeline: pipeline !== null && Object.hasOwn(PIPELINES, pipeline) ? PIPELINES[pipeline as keyof typeof PIPELINES] : {},
  };
}
