// How a turn's timing names the browser's engines (model ids, so the relay's metrics accept them).
export const BROWSER_ENGINE_IDS = { asr: 'browser/speech-recognition', tts: 'browser/speech-synthesis' } as const;

/** The words the latency panel shows for a browser engine; null for a model. */
export function browserEngineLabel(model: string): string | null {
  return model === BROWSER_ENGINE_IDS.asr || model === BROWSER_ENGINE_IDS.tts ? 'browser speech (on this device)' : null;
}
