// What the app would load for a model set, on any device: we ask the app's own planner
// (chooseStagePlans) for every kind of device instead of copying its defaults here, so a change
// of default dtype in the app changes what gets downloaded.
import { prebuiltAppConfig, type ModelRecord } from '@mlc-ai/web-llm';
import { chooseStagePlans, type DeviceCapabilities, type ModelStage, type PlanOverrides, type WebGpuCapabilities } from '../../src/models/capabilities.ts';
import type { ModelSet } from '../../src/protocol/model-set.ts';
import { SMART_TURN_DTYPE } from '../../src/engines/turn/smart-turn-model.ts';
import type { StageModel } from './select-files.ts';

/**
 * A model of one stage, fetched from the hub into `<dir>/<id>/` with the app's own file rule
 * (tools/models/select-files.ts): a transformers.js / kokoro-js repo, a Parakeet TDT export, or
 * the end-of-turn model (Smart Turn, loaded by onnxruntime in the VAD worker).
 */
export interface StageNeededModel extends StageModel {
  kind: 'stage';
  dtypes: string[];
  voices: string[];
}

/** A WebLLM model: weights under `<dir>/mlc-ai/<id>/resolve/main/`, library beside them (webllm-app-config.ts). */
export interface WebLlmModel {
  kind: 'webllm';
  id: string;
  record: ModelRecord;
}

export type NeededModel = StageNeededModel | WebLlmModel;

export interface NeedOptions {
  /** Kokoro voices besides the set's own. */
  voices?: string[];
  /** Dtypes users may pick in settings, per stage (ASR as `encoder/decoder`), fetched as well. */
  extraDtypes?: Partial<Record<ModelStage, string[]>>;
  /** false: skip WebLLM (a mirror for CPU-only machines, or the transformers engine on WebGPU). */
  webllm?: boolean;
}

function gpu(shaderF16: boolean): WebGpuCapabilities {
  const big = 4 * 1024 * 1024 * 1024;
  return { shaderF16, isFallbackAdapter: false, vendor: 'any', architecture: 'any', description: 'any', maxBufferSize: big, maxStorageBufferBindingSize: big };
}

/** No GPU; a GPU with shader-f16; one without (the q4/q4f32 builds). */
const DEVICES: DeviceCapabilities[] = [null, gpu(true), gpu(false)].map((webgpu) => ({
  webgpu,
  deviceMemoryGb: 8,
  crossOriginIsolated: true,
  hardwareConcurrency: 8,
}));

/** The default LLM engine, and transformers.js on WebGPU (a setting). */
const ENGINES: PlanOverrides[] = [{}, { llmEngine: 'transformers' }];

export function neededModels(set: ModelSet, options: NeedOptions = {}): NeededModel[] {
  // By stage and model: a set may run one ASR model on wasm and another on WebGPU.
  const byModel = new Map<string, { stage: ModelStage; id: string; dtypes: Set<string> }>();
  const webllmIds = new Set<string>();
  const add = (stage: ModelStage, id: string, dtype: string): void => {
    const key = `${stage} ${id}`;
    const entry = byModel.get(key) ?? { stage, id, dtypes: new Set<string>() };
    entry.dtypes.add(dtype);
    byModel.set(key, entry);
  };
  for (const device of DEVICES) {
    for (const overrides of ENGINES) {
      const plans = chooseStagePlans(device, set, overrides);
      add('asr', plans.asr.model, plans.asr.dtype);
      if (plans.llm.engine === 'webllm') webllmIds.add(plans.llm.model);
      else add('llm', plans.llm.model, plans.llm.dtype);
      add('tts', plans.tts.model, plans.tts.dtype);
    }
  }
  for (const [stage, dtypes] of Object.entries(options.extraDtypes ?? {}) as [ModelStage, string[]][]) {
    for (const dtype of dtypes) add(stage, set[stage], dtype);
  }

  const models: NeededModel[] = [];
  for (const { stage, id, dtypes } of byModel.values()) {
    const voices = stage === 'tts' ? [...new Set([set.voice, ...(options.voices ?? [])])] : [];
    models.push({ kind: 'stage', stage, id, dtypes: [...dtypes], voices });
  }
  // Whatever the device: the VAD worker runs the same int8 file on wasm everywhere.
  if (set.turn) models.push({ kind: 'stage', stage: 'turn', id: set.turn, dtypes: [SMART_TURN_DTYPE], voices: [] });
  if (options.webllm !== false) {
    for (const id of webllmIds) {
      const record = prebuiltAppConfig.model_list.find((candidate) => candidate.model_id === id);
      if (!record) throw new Error(`WebLLM has no prebuilt model "${id}"`);
      models.push({ kind: 'webllm', id, record });
    }
  }
  return models;
}
