import { FrameProcessor, type FrameProcessorEvent } from '@ricky0123/vad-web/dist/frame-processor.js';
import { Silero } from '@ricky0123/vad-web/dist/models/silero.js';
import * as ort from 'onnxruntime-web/wasm';
import { AsyncQueue } from '../../lib/async-queue.ts';
import { VAD_RUNTIME } from '../runtime-paths.ts';
import { StageError } from '../stage-error.ts';
import { deviceThreadBudget } from '../thread-budget.ts';
import { SmartTurnDetector } from '../turn/smart-turn-detector.ts';
import { fetchSmartTurnModel } from '../turn/smart-turn-model.ts';
import type { Cancellable, ProgressOptions, VadEngine, VadEvent, VadLoadedStage, VadLoadOptions, VadParams } from '../types.ts';
import { appUrl } from '../worker-urls.ts';
import { EndOfTurnEndpointer } from './end-of-turn.ts';
import { FrameChunker, frameSamples } from './frame-chunker.ts';
import { concatFrames, SpeechSegmentTracker } from './speech-segment.ts';
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
 *
 * The end-of-turn model (Smart Turn) lives here too, on the same onnxruntime: it is asked
 * between two frames, with the utterance's audio and the frame processor at hand, so "the turn
 * is complete" ends the segment at once, with no race against frames still arriving.
 */
export class SileroVadEngine implements VadEngine {
  private processor: FrameProcessor | null = null;
  private params: VadParams = DEFAULT_VAD_PARAMS;
  private listener: Listener | null = null;
  private readonly chunker = new FrameChunker(FRAME_SAMPLES);
  private readonly segment = new SpeechSegmentTracker({
    threshold: () => this.params.positiveSpeechThreshold,
    shortPauseMs: () => this.params.shortPauseMs,
    msPerFrame: MS_PER_FRAME,
  });
  private readonly endpointer = new EndOfTurnEndpointer(() => this.params);
  /**
   * The playback worklet's ear for barge-in: told the moment speech starts (hold the reply
   * silent) and when it turns out not to be speech (carry on), without a trip through the busy
   * main thread. Confirmed speech and the abort of the turn still go through the main thread.
   */
  private playback: MessagePort | null = null;
  private bargeIn = true;
  /** Frames are processed strictly in order: Silero's state carries from one frame to the next. */
  private processing: Promise<void> = Promise.resolve();

  async load(options: VadLoadOptions & ProgressOptions): Promise<VadLoadedStage> {
    const started = performance.now();
    const params = { ...DEFAULT_VAD_PARAMS, ...options.params };
    validateVadParams(params);
    const modelUrl = options.modelUrl ?? appUrl(VAD_RUNTIME.dir + VAD_RUNTIME.model);
    ort.env.wasm.wasmPaths = {
      mjs: appUrl(VAD_RUNTIME.dir + VAD_RUNTIME.mjs),
      wasm: appUrl(VAD_RUNTIME.dir + VAD_RUNTIME.wasm),
    };
    // One 512-sample frame takes well under a millisecond, and the end-of-turn model shares this
    // runtime: its share of the cores is one thread (thread-budget.ts).
    ort.env.wasm.numThreads = deviceThreadBudget().vad;
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
    const turnModel = await this.loadTurnModel(options.turnModelUrl);
    this.stopListening();
    this.params = params;
    this.processor = new FrameProcessor(
      model.process,
      model.reset_state,
      { ...params, redemptionMs: this.endpointer.redemptionMs(), submitUserSpeechOnPause: false },
      MS_PER_FRAME,
    );
    options.onProgress?.({ stage: 'vad', loaded: 0, total: 0, status: 'ready' });
    return { stage: 'vad', model: 'silero_vad_v5', backend: 'wasm', dtype: 'fp32', loadMs: performance.now() - started, turnModel };
  }

  /** Without the end-of-turn model the VAD still works: the silence decides, and the caller says so. */
  private async loadTurnModel(url: string | undefined): Promise<VadLoadedStage['turnModel']> {
    this.endpointer.setDetector(null);
    if (!url) return { loaded: false };
    const started = performance.now();
    try {
      const detector = await SmartTurnDetector.create(ort, await fetchSmartTurnModel(url));
      this.endpointer.setDetector(detector);
      return { loaded: true, loadMs: performance.now() - started };
    } catch (error) {
      return { loaded: false, error: error instanceof Error ? error.message : String(error) };
    }
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
    this.endpointer.reset();
    processor.resume();
    frames.onmessage = (message: MessageEvent) => {
      const samples = frameSamples(message.data);
      if (!samples) return;
      // When the audio arrived, not when its turn came: frames may queue behind a slow one.
      const arrivedAt = performance.now();
      for (const frame of this.chunker.push(samples)) {
        this.processing = this.processing
          .then(() => processor.process(frame, (event) => this.emit(listener, event, arrivedAt)))
          .then(() => this.afterFrame(listener, processor, arrivedAt))
          .catch((error: unknown) => {
            events.push({ type: 'error', message: `VAD frame failed: ${error instanceof Error ? error.message : String(error)}` });
          });
      }
    };
    frames.start();
    return events;
  }

  /**
   * Ends the utterance in progress now, as if its silence had run out (push-to-talk: releasing
   * the button says the user is done). In order with the frames already queued.
   */
  endUtterance(): Promise<void> {
    const listener = this.listener;
    const processor = this.processor;
    if (!listener || !processor) return Promise.resolve();
    this.processing = this.processing.then(() => {
      if (this.listener === listener) processor.endSegment((event) => this.emit(listener, event, performance.now()));
    });
    return this.processing;
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
    this.processor?.setOptions({ ...params, redemptionMs: this.endpointer.redemptionMs() });
  }

  private emit(listener: Listener, event: FrameProcessorEvent, frameAt: number): void {
    if (this.listener !== listener) return; // a frame still in flight for a listener that ended
    // Per-frame probabilities stay in the worker (the tracker reads them).
    const converted = this.segment.toVadEvent(event, frameAt, performance.now());
    if (!converted) return;
    const vadEvent = converted.type === 'speech-end' ? { ...converted, ...this.endpointer.finish() } : converted;
    if (vadEvent.type === 'misfire') this.endpointer.reset();
    if (vadEvent.type === 'speech-start') this.tellPlayback(true);
    if (vadEvent.type === 'misfire') this.tellPlayback(false);
    listener.events.push(vadEvent);
  }

  /** Between frames: the pause, the partial-transcript audio, and the end-of-turn model's say. */
  private async afterFrame(listener: Listener, processor: FrameProcessor, frameAt: number): Promise<void> {
    if (this.listener !== listener) return;
    const pause = this.segment.pause(processor, frameAt, performance.now());
    if (pause?.type === 'speech-pause') this.endpointer.paused();
    if (pause?.type === 'speech-resumed') this.endpointer.resumed();
    // The pause goes out first: eager work starts while the model thinks.
    if (pause) listener.events.push(pause);
    const progress = this.segment.progress(processor, performance.now());
    if (progress) listener.events.push(progress);
    const silenceMs = this.segment.silenceMs();
    if (!this.segment.inPause || !this.endpointer.due(silenceMs)) return;
    const complete = await this.endpointer.decide(concatFrames(processor.audioBuffer), silenceMs);
    // The model may have failed and been dropped: the silence decides from now on.
    processor.setOptions({ redemptionMs: this.endpointer.redemptionMs() });
    if (complete && this.listener === listener) processor.endSegment((event) => this.emit(listener, event, frameAt));
  }

  private stopListening(which: Listener | null = this.listener): void {
    if (!which || this.listener !== which) return;
    this.listener = null;
    which.port.onmessage = null;
    which.port.close();
    which.events.end();
    this.processor?.reset();
    this.segment.reset();
    this.endpointer.reset();
  }
}
