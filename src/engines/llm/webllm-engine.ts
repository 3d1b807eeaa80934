import { MLCEngine, type InitProgressReport } from '@mlc-ai/web-llm';
import { StageError } from '../stage-error.ts';
import { throwIfAborted } from '../transformers/abort-criteria.ts';
import type { ChatMessage, GenerateOptions, LlmEngine, LlmLoadOptions, LoadedStage, LoadProgress, ProgressOptions } from '../types.ts';
import { DeviceLossTracker } from '../webgpu/device-loss.ts';
import { absoluteHost } from '../worker-urls.ts';
import { webLlmAppConfig } from './webllm-app-config.ts';

/**
 * A chat LLM through WebLLM (MLC-compiled for WebGPU), inside our own LLM worker. WebLLM keeps
 * the KV cache of the conversation between calls when the new messages extend the previous
 * ones, so multi-turn prefill only pays for the new turn.
 */
export class WebLlmEngine implements LlmEngine {
  private engine: MLCEngine | null = null;
  private modelId = '';
  private readonly gpu = new DeviceLossTracker('llm');

  async load(options: LlmLoadOptions & ProgressOptions): Promise<LoadedStage> {
    const started = performance.now();
    if (options.backend !== 'webgpu') {
      throw new StageError('llm', 'unsupported', 'WebLLM runs on WebGPU only; use the transformers engine on wasm');
    }
    await this.unload();
    const engine = new MLCEngine({
      appConfig: webLlmAppConfig(options.model, options.source, absoluteHost(options.source.host)),
      initProgressCallback: (report: InitProgressReport) => options.onProgress?.(toLoadProgress(report)),
    });
    try {
      await engine.reload(options.model);
    } catch (error) {
      const classified = this.gpu.classify(error);
      if (classified instanceof StageError) throw classified;
      const reason = error instanceof Error ? error.message : String(error);
      throw new StageError('llm', 'load-failed', `could not load ${options.model} with WebLLM: ${reason}`, { cause: error });
    }
    this.engine = engine;
    this.modelId = options.model;
    options.onProgress?.({ stage: 'llm', loaded: 0, total: 0, status: 'ready', fraction: 1 });
    const dtype = /q\d+f\d+(_\d+)?/.exec(options.model)?.[0] ?? options.dtype ?? 'unknown';
    return { stage: 'llm', model: options.model, backend: 'webgpu', dtype, loadMs: performance.now() - started };
  }

  async *generate(messages: ChatMessage[], options: GenerateOptions): AsyncIterable<string> {
    const engine = this.engine;
    if (!engine) throw new StageError('llm', 'not-loaded', 'generate() called before load()');
    this.gpu.throwIfLost();
    throwIfAborted(options.signal);
    const interrupt = (): void => void engine.interruptGenerate();
    options.signal?.addEventListener('abort', interrupt, { once: true });
    try {
      const chunks = await engine.chat.completions.create({
        model: this.modelId,
        messages,
        stream: true,
        max_tokens: options.maxTokens,
        temperature: options.temperature ?? 0,
      });
      for await (const chunk of chunks) {
        const piece = chunk.choices[0]?.delta.content;
        if (piece) yield piece;
        if (options.signal?.aborted) break;
      }
    } catch (error) {
      throw this.gpu.classify(error);
    } finally {
      // A consumer that stops reading early needs nothing more: returning from WebLLM's stream
      // stops its pipeline.
      options.signal?.removeEventListener('abort', interrupt);
    }
  }

  async unload(): Promise<void> {
    const engine = this.engine;
    this.engine = null;
    this.gpu.reset();
    await engine?.unload();
  }
}

function toLoadProgress(report: InitProgressReport): LoadProgress {
  return {
    stage: 'llm',
    file: report.text,
    loaded: 0,
    total: 0,
    status: report.progress < 1 ? 'downloading' : 'loading',
    fraction: report.progress,
  };
}
