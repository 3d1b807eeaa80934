import { beforeEach, describe, expect, it, vi } from 'vitest';
import type { LoadedLlm } from '../engines/llm/llm-client.ts';
import type { LlmLoadOptions, LoadedStage } from '../engines/types.ts';
import { chooseStagePlans, type DeviceCapabilities } from '../models/capabilities.ts';
import { HUB_SMALL_SET } from '../models/catalogue.ts';
import type { ModelSet } from '../protocol/model-set.ts';
import type { StageModelRequest } from '../models/store/store-types.ts';
import { useSession } from '../stores/session-store.ts';
import { DEFAULT_VAD_PARAMS } from '../engines/vad/vad-params.ts';

// The model store runs in a worker; here it answers from this table.
const files = vi.hoisted((): { outcome: 'ready' | 'needs-approval' | 'failed'; asked: StageModelRequest[][] } => ({ outcome: 'ready', asked: [] }));
vi.mock('./ensure-models.ts', () => ({
  ensureModels: async (_source: unknown, requests: StageModelRequest[]) => {
    files.asked.push(requests);
    return files.outcome;
  },
  repairAfterLoadFailure: async () => false,
}));

const { StageSet } = await import('./stage-set.ts');

const set: ModelSet = {
  // Whatever else a set names (the end-of-turn model...) as in the hub's sets.
  ...HUB_SMALL_SET,
  id: 'small',
  label: 'Small',
  asr: 'onnx-community/whisper-tiny.en',
  llm: 'HuggingFaceTB/SmolLM2-135M-Instruct',
  tts: 'onnx-community/Kokoro-82M-v1.0-ONNX',
  voice: 'af_heart',
};
const gpu: DeviceCapabilities = {
  webgpu: { shaderF16: true, isFallbackAdapter: false, vendor: 'v', architecture: 'a', description: '', maxBufferSize: 2 ** 32, maxStorageBufferBindingSize: 2 ** 31 },
  deviceMemoryGb: 8,
  crossOriginIsolated: true,
  hardwareConcurrency: 8,
};
const plans = chooseStagePlans(gpu, set);
const source = { kind: 'hub' as const, host: 'https://huggingface.co/', pathTemplate: '{model}/resolve/{revision}/' };

/** A StageSet whose workers are fakes: every stage loads, the LLM fails for the engines listed. */
function stageSet(failing: string[]) {
  const stages = new StageSet();
  const loaded = (stage: LoadedStage['stage']): LoadedStage => ({ stage, model: plans[stage].model, backend: plans[stage].backend, dtype: 'x', loadMs: 1 });
  const vadLoad = vi.spyOn(stages.vad, 'load').mockResolvedValue({ ...loaded('vad'), turnModel: { loaded: true, loadMs: 1 } });
  vi.spyOn(stages.asr, 'load').mockResolvedValue(loaded('asr'));
  vi.spyOn(stages.tts, 'load').mockResolvedValue(loaded('tts'));
  const llmLoads: string[] = [];
  vi.spyOn(stages.llm, 'load').mockImplementation(async (options: LlmLoadOptions): Promise<LoadedLlm> => {
    const engine = options.engine ?? 'webllm';
    llmLoads.push(`${engine}/${options.backend}`);
    if (failing.includes(`${engine}/${options.backend}`)) throw new Error('TypeError: Failed to fetch');
    return { stage: 'llm', model: options.model, backend: options.backend, dtype: options.dtype ?? '', loadMs: 1, engine };
  });
  return { stages, llmLoads, vadLoad };
}

describe('StageSet with the LLM fallback', () => {
  beforeEach(() => {
    files.outcome = 'ready';
    files.asked = [];
    useSession.setState({ notices: [], stages: {} });
  });

  it("loads the small set's own WebLLM build, and reports it", async () => {
    const { stages, llmLoads } = stageSet([]);
    expect(await stages.loadMissing(plans, { source, voice: 'af_heart', vadParams: DEFAULT_VAD_PARAMS })).toEqual([]);
    expect(llmLoads).toEqual(['webllm/webgpu']);
    expect(stages.info('llm')).toMatchObject({ engine: 'webllm', model: 'SmolLM2-135M-Instruct-q0f16-MLC', backend: 'webgpu' });
    expect(stages.effectivePlans(plans)).toBe(plans);
  });

  it('falls back when WebLLM cannot load: the store, the notice and info() tell what really runs', async () => {
    const { stages, llmLoads } = stageSet(['webllm/webgpu']);
    expect(await stages.loadMissing(plans, { source, voice: 'af_heart', vadParams: DEFAULT_VAD_PARAMS })).toEqual([]);
    expect(llmLoads).toEqual(['webllm/webgpu', 'transformers/webgpu']);
    // The ONNX files came through the model store, with the other stages' requests kept.
    expect(files.asked).toEqual([
      [
        { stage: 'asr', model: set.asr, dtype: plans.asr.dtype },
        { stage: 'llm', model: set.llm, dtype: 'q4f16' },
        { stage: 'tts', model: set.tts, dtype: plans.tts.dtype, voice: 'af_heart' },
      ],
    ]);
    expect(stages.info('llm')).toMatchObject({ engine: 'transformers', model: set.llm, backend: 'webgpu', dtype: 'q4f16' });
    expect(stages.effectivePlans(plans).llm).toEqual({ ...plans.llm.fallbacks?.[0], fallbacks: [plans.llm.fallbacks?.[1]] });
    const session = useSession.getState();
    expect(session.stages.llm).toMatchObject({ ready: true, model: set.llm, backend: 'webgpu' });
    expect(session.notices.find((notice) => notice.id === 'llm-fallback')?.text).toBe(
      'The language model could not start with WebLLM on the GPU: its files could not be downloaded. It now runs with transformers.js on the GPU.',
    );
  });

  it('waits for approval of the fallback download, then resumes without trying WebLLM again', async () => {
    const { stages, llmLoads } = stageSet(['webllm/webgpu']);
    files.outcome = 'needs-approval';
    expect(await stages.loadMissing(plans, { source, voice: 'af_heart', vadParams: DEFAULT_VAD_PARAMS })).toEqual(['llm']);
    expect(stages.llmFilesPending()).toBe('needs-approval');
    files.outcome = 'ready';
    expect(await stages.loadMissing(plans, { source, voice: 'af_heart', vadParams: DEFAULT_VAD_PARAMS })).toEqual([]);
    expect(stages.llmFilesPending()).toBeUndefined();
    expect(llmLoads).toEqual(['webllm/webgpu', 'transformers/webgpu']);
    expect(stages.info('llm')?.engine).toBe('transformers');
  });
});

describe('StageSet with the end-of-turn model', () => {
  beforeEach(() => useSession.setState({ notices: [], stages: {} }));

  it("loads the set's turn model in the VAD worker from the model source", async () => {
    const { stages, vadLoad } = stageSet([]);
    await stages.loadMissing(plans, { source, voice: 'af_heart', vadParams: DEFAULT_VAD_PARAMS, turnModel: 'pipecat-ai/smart-turn-v3' });
    expect(vadLoad.mock.calls[0]![0].turnModelUrl).toBe('https://huggingface.co/pipecat-ai/smart-turn-v3/resolve/main/smart-turn-v3.2-cpu.onnx');
    expect(useSession.getState().notices).toEqual([]);
  });

  it('says so when the turn model cannot load, with the silence wait that applies instead', async () => {
    const { stages, vadLoad } = stageSet([]);
    vadLoad.mockResolvedValue({ stage: 'vad', model: 'silero_vad_v5', backend: 'wasm', dtype: 'fp32', loadMs: 1, turnModel: { loaded: false, error: 'HTTP 404' } });
    expect(await stages.loadMissing(plans, { source, voice: 'af_heart', vadParams: DEFAULT_VAD_PARAMS, turnModel: 'fixtures/none' })).toEqual([]);
    const notice = useSession.getState().notices.find((n) => n.id === 'turn-model');
    expect(notice?.text).toBe('Could not load the end-of-turn model (HTTP 404). Your turn now ends after a pause of 0.6 s; Settings can change it.');
  });
});
