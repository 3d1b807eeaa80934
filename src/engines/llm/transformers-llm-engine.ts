import { AutoModelForCausalLM, AutoTokenizer, TextStreamer } from '@huggingface/transformers';
import { AsyncQueue } from '../rpc/async-queue.ts';
import { StageError } from '../stage-error.ts';
import { stopOnAbort, throwIfAborted } from '../transformers/abort-criteria.ts';
import { configureTransformersEnv } from '../transformers/configure-env.ts';
import { parseDtype } from '../transformers/dtypes.ts';
import { loadError } from '../transformers/load-error.ts';
import { progressForwarder } from '../transformers/load-progress.ts';
import { ortWebGpuDevice } from '../transformers/ort-device.ts';
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

/** q8 is the fast path of onnxruntime's wasm kernels; q4 keeps WebGPU memory small without needing shader-f16. */
export const TRANSFORMERS_LLM_DEFAULT_DTYPE: Record<Backend, string> = { wasm: 'q8', webgpu: 'q4' };

type Tokenizer = Awaited<ReturnType<typeof AutoTokenizer.from_pretrained>>;
type CausalLm = Awaited<ReturnType<typeof AutoModelForCausalLM.from_pretrained>>;

/** A chat LLM through transformers.js (ONNX): for devices without WebGPU, and for tests. */
export class TransformersLlmEngine implements LlmEngine {
  private loaded: { tokenizer: Tokenizer; model: CausalLm } | null = null;
  private readonly gpu = new DeviceLossTracker('llm');
  /** Generation is one at a time; a new call waits for the previous one to wind down. */
  private running: Promise<void> = Promise.resolve();

  async load(options: LlmLoadOptions & ProgressOptions): Promise<LoadedStage> {
    const started = performance.now();
    const dtype = options.dtype ?? TRANSFORMERS_LLM_DEFAULT_DTYPE[options.backend];
    await this.unload();
    configureTransformersEnv(options.source);
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
      this.loaded = { tokenizer, model };
      // First-run kernel compilation belongs to loading, not to the first reply.
      for await (const _piece of this.generate([{ role: 'user', content: 'Hi' }], { maxTokens: 1 })) {
        // drain
      }
    } catch (error) {
      this.loaded = null;
      throw loadError('llm', options.model, options.backend, error, this.gpu);
    }
    options.onProgress?.({ stage: 'llm', loaded: 0, total: 0, status: 'ready' });
    return { stage: 'llm', model: options.model, backend: options.backend, dtype, loadMs: performance.now() - started };
  }

  async *generate(messages: ChatMessage[], options: GenerateOptions): AsyncIterable<string> {
    const loaded = this.loaded;
    if (!loaded) throw new StageError('llm', 'not-loaded', 'generate() called before load()');
    this.gpu.throwIfLost();
    const previous = this.running;
    let finished!: () => void;
    this.running = new Promise((resolve) => (finished = resolve));
    const { criteria, release } = stopOnAbort(options.signal);
    try {
      await previous;
      throwIfAborted(options.signal);
      const pieces = new AsyncQueue<string>();
      // The consumer leaving early (break) must stop generation just like an abort.
      pieces.onReturn = () => criteria.interrupt();
      // One piece per generated token, as the LlmEngine contract says, so callers can count
      // tokens (the reply cap). TextStreamer releases text only at word boundaries: a token whose
      // text is not final yet yields an empty piece, and the text goes with the token that ends it.
      let tokenWithoutText = false;
      const streamer = new TextStreamer(loaded.tokenizer, {
        skip_prompt: true,
        skip_special_tokens: true,
        token_callback_function: () => {
          if (tokenWithoutText) pieces.push('');
          tokenWithoutText = true;
        },
        callback_function: (text: string) => {
          if (!text) return;
          pieces.push(text);
          tokenWithoutText = false;
        },
      });
      const inputs = loaded.tokenizer.apply_chat_template(messages, { add_generation_prompt: true, return_dict: true });
      const temperature = options.temperature ?? 0;
      const generation = loaded.model
        .generate({
          ...inputs,
          max_new_tokens: options.maxTokens,
          do_sample: temperature > 0,
          ...(temperature > 0 ? { temperature } : {}),
          streamer,
          stopping_criteria: criteria,
        })
        .then(
          () => {
            if (tokenWithoutText) pieces.push('');
            pieces.end();
          },
          (error: unknown) => pieces.fail(this.gpu.classify(error)),
        );
      try {
        yield* pieces;
      } finally {
        criteria.interrupt();
        await generation;
      }
    } finally {
      release();
      finished();
    }
  }

  async unload(): Promise<void> {
    const loaded = this.loaded;
    this.loaded = null;
    this.gpu.reset();
    await loaded?.model.dispose();
  }
}
