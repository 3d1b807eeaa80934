import { AutoModelForCausalLM, AutoTokenizer } from '@huggingface/transformers';
import { StageError } from '../stage-error.ts';
import { configureTransformersEnv } from '../transformers/configure-env.ts';
import { parseDtype } from '../transformers/dtypes.ts';
import { loadError } from '../transformers/load-error.ts';
import { progressForwarder } from '../transformers/load-progress.ts';
import { ortWebGpuDevice } from '../transformers/ort-device.ts';
import { finishLoad } from '../transformers/warm-up.ts';
import type {
  Backend,
  ChatMessage,
  GenerateOptions,
  LlmEngine,
  LlmLoadOptions,
  LoadedStage,
  ProgressOptions,
} from '../types.ts';
import { DeviceLossTracker } from '../webgpu/device-loss.ts';
import type { PrefillStats } from './kv-cache-reuse.ts';
import { TransformersChat } from './transformers-chat.ts';

/** q8 is the fast path of onnxruntime's wasm kernels; q4 keeps WebGPU memory small without needing shader-f16. */
export const TRANSFORMERS_LLM_DEFAULT_DTYPE: Record<Backend, string> = { wasm: 'q8', webgpu: 'q4' };

/**
 * A chat LLM through transformers.js (ONNX): for devices without WebGPU, and for tests.
 * Turns run in a TransformersChat, which carries the KV cache from one turn to the next so a
 * turn encodes only what was said since the last one.
 */
export class TransformersLlmEngine implements LlmEngine {
  private chat: TransformersChat | null = null;
  private readonly gpu = new DeviceLossTracker('llm');

  async load(options: LlmLoadOptions & ProgressOptions): Promise<LoadedStage> {
    const started = performance.now();
    const dtype = options.dtype ?? TRANSFORMERS_LLM_DEFAULT_DTYPE[options.backend];
    await this.unload();
    configureTransformersEnv(options.source, 'llm');
    try {
      const progress_callback = progressForwarder('llm', options.onProgress);
      const [tokenizer, model] = await Promise.all([
        AutoTokenizer.from_pretrained(options.model, { progress_callback }),
        AutoModelForCausalLM.from_pretrained(options.model, {
          device: options.backend,
          dtype: parseDtype(dtype),
          progress_callback,
        }),
      ]);
      if (options.backend === 'webgpu') {
        const device = await ortWebGpuDevice();
        if (device) this.gpu.watch(device);
      }
      this.chat = new TransformersChat(tokenizer, model, (error) => this.gpu.classify(error));
    } catch (error) {
      this.chat = null;
      throw loadError('llm', options.model, options.backend, error, this.gpu);
    }
    // First-run kernel initialisation belongs to loading, not to the first reply. The warm-up
    // leaves no cache that the first turn could reuse (TransformersChat.warmUp).
    const chat = this.chat;
    return finishLoad({
      stage: 'llm',
      model: options.model,
      backend: options.backend,
      dtype,
      onProgress: options.onProgress,
      startedAt: started,
      inference: () => chat.warmUp(),
      gpu: this.gpu,
      unload: () => this.unload(),
    });
  }

  /** Positions of the KV cache kept for the next turn (0 when it will start fresh). */
  get cachedTokens(): number {
    return this.chat?.cachedTokens ?? 0;
  }

  /** How the latest turn's prompt was fed (how much of it the previous turn's cache covered). */
  get lastPrefill(): PrefillStats | null {
    return this.chat?.lastPrefill ?? null;
  }

  async *generate(messages: ChatMessage[], options: GenerateOptions): AsyncIterable<string> {
    const chat = this.chat;
    if (!chat) throw new StageError('llm', 'not-loaded', 'generate() called before load()');
    this.gpu.throwIfLost();
    yield* chat.generate(messages, options);
  }

  async unload(): Promise<void> {
    const chat = this.chat;
    this.chat = null;
    this.gpu.reset();
    await chat?.dispose();
  }
}
