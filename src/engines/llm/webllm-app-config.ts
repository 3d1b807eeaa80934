import { prebuiltAppConfig, type AppConfig, type ModelRecord } from '@mlc-ai/web-llm';
import type { ModelSource } from '../types.ts';

/**
 * WebLLM's model record for `modelId` (an MLC id such as `Qwen2.5-0.5B-Instruct-q4f16_1-MLC`).
 * From the hub, WebLLM's own prebuilt record (weights on huggingface.co, compiled library on
 * GitHub). From a mirror, the same record re-pointed at the mirror, which must keep WebLLM's
 * layout: weights under `<host>mlc-ai/<id>/resolve/main/` (WebLLM adds `resolve/main/` to any
 * model URL without it) and the compiled library at `<host>mlc-ai/<id>/<library file name>`.
 */
export function webLlmAppConfig(modelId: string, source: ModelSource, absoluteHost: string): AppConfig {
  const prebuilt = prebuiltAppConfig.model_list.find((record) => record.model_id === modelId);
  if (!prebuilt) {
    const known = prebuiltAppConfig.model_list.map((record) => record.model_id).filter((id) => id.includes('Instruct'));
    throw new Error(`WebLLM has no prebuilt model "${modelId}" (e.g. ${known.slice(0, 5).join(', ')})`);
  }
  if (source.kind === 'hub') return { model_list: [prebuilt] };
  const base = `${absoluteHost}mlc-ai/${modelId}/`;
  const libraryFile = prebuilt.model_lib.split('/').pop() ?? '';
  const mirrored: ModelRecord = { ...prebuilt, model: `${base}resolve/main/`, model_lib: `${base}${libraryFile}` };
  return { model_list: [mirrored] };
}
