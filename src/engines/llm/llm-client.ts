import { isAbortError } from '../rpc/remote-error.ts';
import { StageWorker } from '../stage-worker.ts';
import type { ChatMessage, GenerateOptions, LlmEngine, LlmEngineKind, LlmLoadOptions, LoadedStage, ProgressOptions } from '../types.ts';
import type { LlmWorkerApi } from './llm-api.ts';

/** The language model as loaded: the load report, and which library really runs it. */
export interface LoadedLlm extends LoadedStage {
  engine: LlmEngineKind;
}

const LLM_WORKER_OPTIONS = { name: 'llm', streams: { generate: true } } as const;

/**
 * The main thread's LLM: one LlmEngine interface over WebLLM (WebGPU) or transformers.js
 * (wasm, or WebGPU for ONNX models), each in its own worker entry point, so a wasm-only device
 * never downloads WebLLM and a WebLLM device never loads transformers.js.
 *
 *   const llm = new LlmClient();
 *   await llm.load({ model, source, backend: 'wasm', engine: 'transformers', dtype: 'q8', onProgress });
 *   for await (const piece of llm.generate(messages, { maxTokens: 200, signal: turn.signal })) ...
 *
 * When the signal aborts, the stream ends quietly (no error): the caller aborted it and knows.
 */
export class LlmClient implements LlmEngine {
  private readonly webllm = new StageWorker<LlmWorkerApi>(
    'llm',
    () => new Worker(new URL('./webllm.worker.ts', import.meta.url), { type: 'module', name: 'llm-webllm' }),
    LLM_WORKER_OPTIONS,
  );
  private readonly transformers = new StageWorker<LlmWorkerApi>(
    'llm',
    () => new Worker(new URL('./transformers-llm.worker.ts', import.meta.url), { type: 'module', name: 'llm-transformers' }),
    LLM_WORKER_OPTIONS,
  );
  private active: StageWorker<LlmWorkerApi> | null = null;
  private kind: LlmEngineKind | null = null;

  /**
   * Loads in a fresh worker; `engine` defaults to `webllm` on WebGPU and `transformers` on wasm.
   * A failed load ends its worker (WebLLM's GPU memory goes with it), so another engine can be
   * tried next (app/llm-fallback.ts).
   */
  async load({ onProgress, ...options }: LlmLoadOptions & ProgressOptions): Promise<LoadedLlm> {
    const engine = options.engine ?? (options.backend === 'webgpu' ? 'webllm' : 'transformers');
    this.terminate();
    this.active = engine === 'webllm' ? this.webllm : this.transformers;
    this.kind = engine;
    try {
      const info = await this.active.restart().load({ ...options, engine }, { onProgress });
      return { ...info, engine };
    } catch (error) {
      this.terminate();
      throw error;
    }
  }

  /** The library running the model since the last load(). */
  get engineKind(): LlmEngineKind | null {
    return this.kind;
  }

  async *generate(messages: ChatMessage[], options: GenerateOptions): AsyncIterable<string> {
    if (!this.active) throw new Error('llm: generate() called before load()');
    const { signal, ...args } = options;
    try {
      yield* this.active.api.generate({ messages, ...args }, { signal });
    } catch (error) {
      // Whatever the reason the caller aborted with, an aborted turn ends its stream quietly.
      if (signal?.aborted || isAbortError(error)) return;
      throw error;
    }
  }

  terminate(): void {
    this.webllm.terminate();
    this.transformers.terminate();
    this.active = null;
    this.kind = null;
  }
}
