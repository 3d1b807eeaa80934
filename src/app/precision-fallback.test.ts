import { describe, expect, it } from 'vitest';
import type { LoadedLlm } from '../engines/llm/llm-client.ts';
import { RemoteError } from '../engines/rpc/remote-error.ts';
import { StageError } from '../engines/stage-error.ts';
import type { LlmLoadStep, StagePlan } from '../models/capabilities.ts';
import type { ModelsOutcome } from './ensure-models.ts';
import { LlmFilesPendingError, loadLlmWithFallback } from './llm-fallback.ts';
import { fullPrecisionOf, PrecisionFilesPendingError, precisionNoticeId, retryInFullPrecision, type PrecisionFallbackDeps } from './precision-fallback.ts';

/** What onnxruntime-web says of a q8 graph whose export left out a scale tensor (the generated fixture's words). */
const refusedGraph = new RemoteError('tts.load', {
  name: 'StageError',
  code: 'load-failed',
  message:
    "tts: could not load onnx-community/Kokoro-82M-v1.0-ONNX on wasm: Can't create a session. ERROR_CODE: 2, ERROR_MESSAGE: Invalid model. " +
    "Node input 'embed_tokens.weight_scale' is not a graph input, initializer, or output of a previous node.",
});

const q8: StagePlan = { backend: 'wasm', model: 'onnx-community/Kokoro-82M-v1.0-ONNX', dtype: 'q8' };

interface Fake {
  deps: PrecisionFallbackDeps<StagePlan, string>;
  loads: string[];
  ensured: string[];
  switched: string[];
  notices: { id: string; level: string; text: string }[];
}

/** Loads fail for the dtypes in `refused`; `repaired` says whether a repair finds damaged files (and fixes the load). */
function fake(refused: Record<string, Error>, { files = 'ready', repaired = false }: { files?: ModelsOutcome; repaired?: boolean } = {}): Fake {
  const result: Fake = { loads: [], ensured: [], switched: [], notices: [], deps: undefined as unknown as Fake['deps'] };
  result.deps = {
    load: async (plan) => {
      result.loads.push(plan.dtype);
      const error = refused[plan.dtype];
      if (error) throw error;
      return `loaded ${plan.dtype}`;
    },
    ensureFiles: async (plan) => {
      result.ensured.push(plan.dtype);
      return files;
    },
    repair: async () => {
      if (repaired) refused = {};
      return repaired;
    },
    notify: (notice) => result.notices.push(notice),
    onSwitch: (plan) => result.switched.push(plan.dtype),
  };
  return result;
}

describe('the full-precision retry of a refused 8-bit build', () => {
  it('knows which builds have a full-precision twin to fall back to', () => {
    expect(fullPrecisionOf('q8')).toBe('fp32');
    expect(fullPrecisionOf('fp32/q8')).toBe('fp32');
    expect(fullPrecisionOf('uint8')).toBe('fp32');
    expect(fullPrecisionOf('fp32')).toBeUndefined();
    // The 4-bit GPU builds: their fp32 twin would not fit where they did not.
    expect(fullPrecisionOf('q4f16')).toBeUndefined();
  });

  it('loads the fp32 build after the q8 graph is refused, through the model store, and says so', async () => {
    const f = fake({ q8: refusedGraph });
    const { loaded, plan } = await retryInFullPrecision('tts', q8, refusedGraph, f.deps);
    expect(loaded).toBe('loaded fp32');
    expect(plan).toEqual({ ...q8, dtype: 'fp32' });
    expect(f.switched).toEqual(['fp32']);
    expect(f.ensured).toEqual(['fp32']);
    expect(f.notices.map((notice) => notice.id)).toEqual([precisionNoticeId('tts'), precisionNoticeId('tts')]);
    expect(f.notices.at(-1)).toEqual({
      id: 'precision-tts',
      level: 'warning',
      text:
        'The compact build (q8) of speech synthesis could not be loaded in this browser (Invalid model. ' +
        "Node input 'embed_tokens.weight_scale' is not a graph input, initializer, or output of a previous node.). Its full-precision build runs instead (slower on the CPU).",
    });
  });

  it('repairs damaged cached files first and keeps the q8 build when that was all', async () => {
    const f = fake({ q8: new Error('protobuf parsing failed') }, { repaired: true });
    const { plan } = await retryInFullPrecision('asr', q8, new Error('protobuf parsing failed'), f.deps);
    expect(plan.dtype).toBe('q8');
    expect(f.loads).toEqual(['q8']);
    expect(f.switched).toEqual([]);
    expect(f.notices).toEqual([]);
  });

  it('leaves failed downloads, a full memory and a lost GPU to their own recoveries', async () => {
    const cases = [
      new Error('Failed to fetch'),
      new Error('llm: HTTP 503 from the model host'),
      new Error('failed to allocate a buffer of 1.2 GB: out of memory'),
      new StageError('tts', 'device-lost', 'the GPU device was lost'),
    ];
    for (const error of cases) {
      const f = fake({});
      await expect(retryInFullPrecision('tts', q8, error, f.deps)).rejects.toBe(error);
      expect([...f.loads, ...f.ensured, ...f.switched]).toEqual([]);
    }
  });

  it('rethrows when the build is full precision already', async () => {
    const f = fake({ fp32: refusedGraph });
    await expect(retryInFullPrecision('tts', { ...q8, dtype: 'fp32' }, refusedGraph, f.deps)).rejects.toBe(refusedGraph);
    expect(f.ensured).toEqual([]);
  });

  it('waits for the download approval of the fp32 files, remembering the switch for the next try', async () => {
    const f = fake({ q8: refusedGraph }, { files: 'needs-approval' });
    const error = await retryInFullPrecision('asr', { ...q8, dtype: 'fp32/q8' }, refusedGraph, f.deps).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(PrecisionFilesPendingError);
    expect(f.switched).toEqual(['fp32']);
    expect(f.loads).toEqual([]);
    expect(f.notices.at(-1)?.text).toMatch(/of speech recognition could not be loaded .* Its full-precision build is needed instead: approve its download to continue\.$/);
  });
});

describe('the language model on the CPU', () => {
  const wasmStep: LlmLoadStep = { engine: 'transformers', backend: 'wasm', model: 'HuggingFaceTB/SmolLM2-135M-Instruct', dtype: 'q8' };
  const loaded = (step: LlmLoadStep): LoadedLlm => ({ stage: 'llm', model: step.model, backend: step.backend, dtype: step.dtype, loadMs: 1, engine: step.engine });

  it('runs the fp32 build when the q8 graph is refused, and reports that step as the one running', async () => {
    const loads: string[] = [];
    const { step, info } = await loadLlmWithFallback(wasmStep, {
      load: async (candidate) => {
        loads.push(candidate.dtype);
        if (candidate.dtype === 'q8') throw refusedGraph;
        return loaded(candidate);
      },
      ensureFiles: async () => 'ready',
      repair: async () => false,
      notify: () => undefined,
      dismiss: () => undefined,
    });
    expect(loads).toEqual(['q8', 'fp32']);
    expect(step.dtype).toBe('fp32');
    expect(info.dtype).toBe('fp32');
  });

  it('stops the chain, waiting for the fp32 files, when their download is not approved', async () => {
    const error = await loadLlmWithFallback(wasmStep, {
      load: async () => Promise.reject(refusedGraph),
      ensureFiles: async () => 'needs-approval',
      notify: () => undefined,
      dismiss: () => undefined,
    }).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(LlmFilesPendingError);
    expect((error as LlmFilesPendingError).outcome).toBe('needs-approval');
  });
});
