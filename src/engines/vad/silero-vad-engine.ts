import { FrameProcessor, type FrameProcessorEvent } from '@ricky0123/vad-web/dist/frame-processor.js';
import { Silero } from '@ricky0123/vad-web/dist/models/silero.js';
import * as ort from 'onnxruntime-web/wasm';
import { AsyncQueue } from '../rpc/async-queue.ts';
import { VAD_RUNTIME } from '../runtime-paths.ts';
import { StageError } from '../stage-error.ts';
import type { Cancellable, LoadedStage, ProgressOptions, VadEngine, VadEvent, VadLoadOptions, VadParams } from '../types.ts';
import { appUrl } from '../worker-urls.ts';
import { FrameChunker, frameSamples } from './frame-chunker.ts';
import { SpeechSegmentTracker } from './speech-segment.ts';
import { DEFAULT_VAD_PARAMS, validateVadParams } from './vad-params.ts';

const SAMPLE_RATE = 16_000;
const FRAME_SAMPLES = 512;
const MS_PER_FRAME = (FRAME_SAMPLES / SAMPLE_RATE) * 1000;

interface Listener {
  port: MessagePort;
  events: AsyncQueue<VadEvent>;
}

/**
 * Silero v5 with vad-web's own model wrapper and frame processor (the endpointing logic of its
 * MicVAD), fed from a MessagePort instead of vad-web's main-thread AudioWorklet plumbing, so the
 * inference runs in this worker. onnxruntime-web's plain wasm build: the VAD must not compete
 * for the GPU, and the WebGPU build got Silero's first Conv1D wrong on SwiftShader.
 */
export class SileroVadEngine implements VadEngine {
  private processor: FrameProcessor | null = null;
  private params: VadParams = DEFAULT_VAD_PARAMS;
  private listener: Listener | null = null;
  private readonly chunker = new FrameChunker(FRAME_SAMPLES);
  private readonly segment = new SpeechSegmentTracker({
    threshold: () => this.params.positiveSpeechThreshold,
    msPerFrame: MS_PER_FRAME,
  });
  /**
   * The playback worklet's ear for barge-in: told the moment speech starts (hold the reply
   * silent) and when it turns out not to be speech (carry on), without a trip through the busy
   * main thread. Confirmed speech and the abort of the turn still go through the main thread.
   */
  private playback: MessagePort | null = null;
  private bargeIn = true;
  /** Frames are processed strictly in order: Silero's state carries from one frame to the next. */
  private processing: Promise<void> = Promise.resolve();

  async load(options: VadLoadOptions & ProgressOptions): Promise<LoadedStage> {
    const started = performance.now();
    const params = { ...DEFAULT_VAD_PARAMS, ...options.params };
    validateVadParams(params);
    const modelUrl = options.modelUrl ?? appUrl(VAD_RUNTIME.dir + VAD_RUNTIME.model);
    ort.env.wasm.wasmPaths = {
      mjs: appUrl(VAD_RUNTIME.dir + VAD_RUNTIME.mjs),
      wasm: appUrl(VAD_RUNTIME.dir + VAD_RUNTIME.wasm),
    };
    // One 512-sample frame takes well under a millisecond: threads would only add overhead and
    // compete with the ASR/LLM/TTS workers for cores.
    ort.env.wasm.numThreads = 1;
    let model: Awaited<ReturnType<typeof Silero.new>>;
    try {
      model = await Silero.new(ort, async () => {
        const response = await fetch(modelUrl);
        if (!response.ok) throw new Error(`${modelUrl} answered ${response.status}`);
        return response.arrayBuffer();
      });
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      throw new StageError('vad', 'load-failed', `could not load Silero VAD: ${reason}`, { cause: error });
    }
    this.stopListening();
    this.params = params;
    this.processor = new FrameProcessor(
      model.process,
      model.reset_state,
      { ...params, submitUserSpeechOnPause: false },
      MS_PER_FRAME,
    );
    options.onProgress?.({ stage: 'vad', loaded: 0, total: 0, status: 'ready' });
    return { stage: 'vad', model: 'silero_vad_v5', backend: 'wasm', dtype: 'fp32', loadMs: performance.now() - started };
  }

  listen(frames: MessagePort, options: Cancellable = {}): AsyncIterable<VadEvent> {
    const processor = this.processor;
    if (!processor) throw new StageError('vad', 'not-loaded', 'listen() called before load()');
    this.stopListening();
    const events = new AsyncQueue<VadEvent>();
    const listener: Listener = { port: frames, events };
    this.listener = listener;
    events.onReturn = () => this.stopListening(listener);
    options.signal?.addEventListener('abort', () => this.stopListening(listener), { once: true });

    processor.reset();
    this.chunker.reset();
    this.segment.reset();
    processor.resume();
    frames.onmessage = (message: MessageEvent) => {
      const samples = frameSamples(message.data);
      if (!samples) return;
      // When the audio arrived, not when its turn came: frames may queue behind a slow one.
      const arrivedAt = performance.now();
      for (const frame of this.chunker.push(samples)) {
        this.processing = this.processing
          .then(() => processor.process(frame, (event) => this.emit(listener, event, arrivedAt)))
          .then(() => this.emitProgress(listener, processor))
          .catch((error: unknown) => {
            events.push({ type: 'error', message: `VAD frame failed: ${error instanceof Error ? error.message : String(error)}` });
          });
      }
    };
    frames.start();
    return events;
  }

  connectPlayback(port: MessagePort): void {
    this.playback?.close();
    this.playback = port;
  }

  /** Off in half-duplex mode: there the microphone hears the assistant, not the user. */
  setBargeIn(enabled: boolean): void {
    this.bargeIn = enabled;
  }

  private tellPlayback(held: boolean): void {
    if (this.bargeIn) this.playback?.postMessage({ type: 'hold', held });
  }

  async setParams(update: Partial<VadParams>): Promise<void> {
    const params = { ...this.params, ...update };
    validateVadParams(params);
    this.params = params;
    this.processor?.setOptions(params);
  }

  private emit(listener: Listener, event: FrameProcessorEvent, frameAt: number): void {
    if (this.listener !== listener) return; // a frame still in flight for a listener that ended
    // Per-frame probabilities stay in the worker (the tracker reads them).
    const vadEvent = this.segment.toVadEvent(event, frameAt, performance.now());
    if (!vadEvent) return;
    if (vadEvent.type === 'speech-start') this.tellPlayback(true);
    if (vadEvent.type === 'misfire') this.tellPlayback(false);
    listener.events.push(vadEvent);
  }

  private emitProgress(listener: Listener, processor: FrameProcessor): void {
    if (this.listener !== listener) return;
    const progress = this.segment.progress(processor, performance.now());
    if (progress) listener.events.push(progress);
  }

  private stopListening(which: Listener | null = this.listener): void {
    if (!which || this.listener !== which) return;
    this.listener = null;
    which.port.onmessage = null;
    which.port.close();
    which.events.end();
    this.processor?.reset();
    this.segment.reset();
  }
}
