import { StageWorker } from '../stage-worker.ts';
import type { Cancellable, VadLoadedStage, ProgressOptions, VadEngine, VadEvent, VadLoadOptions, VadParams } from '../types.ts';
import { shiftVadClock, type VadWorkerApi } from './vad-api.ts';

/**
 * The main thread's VAD: Silero in its own worker, fed straight from the mic worklet.
 *
 *   const vad = new VadClient();
 *   await vad.load({ params: settings.vad });
 *   const { port1, port2 } = new MessageChannel();
 *   micNode.port.postMessage({ type: 'connect', port: port1 }, [port1]); // the worklet posts frames on port1
 *   for await (const event of vad.listen(port2, { signal })) turnManager.handleVadEvent(event);
 *
 * The port is transferred to the worker: audio frames never touch the main thread. Event times
 * (`at`, `lastSpeechAt`) are on this thread's `performance.now()` clock.
 */
export class VadClient implements VadEngine {
  private readonly worker = new StageWorker<VadWorkerApi>(
    'vad',
    () => new Worker(new URL('./vad.worker.ts', import.meta.url), { type: 'module', name: 'vad' }),
    { name: 'vad', streams: { listen: true } },
  );

  load({ onProgress, ...options }: VadLoadOptions & ProgressOptions): Promise<VadLoadedStage> {
    return this.worker.restart().load(options, { onProgress });
  }

  /** Ends quietly when the signal aborts. */
  async *listen(frames: MessagePort, options: Cancellable = {}): AsyncIterable<VadEvent> {
    const events = this.worker.api.listen({ frames }, { signal: options.signal, transfer: [frames] });
    try {
      for await (const event of events) {
        yield shiftVadClock(event, -performance.timeOrigin);
      }
    } catch (error) {
      if (options.signal?.aborted) return;
      throw error;
    }
  }

  // The calls below are async so that one made before load() rejects ("called before load()")
  // instead of throwing where a caller only handles the promise (Settings applied while loading).

  /** Takes effect from the next frame. Before load(), pass them as load's `params` instead. */
  async setParams(params: Partial<VadParams>): Promise<void> {
    return this.worker.api.setParams(params);
  }

  /** Ends the utterance in progress now (push-to-talk released), as if its silence had run out. */
  async endUtterance(): Promise<void> {
    return this.worker.api.endUtterance({});
  }

  /**
   * Lets the VAD hold the reply silent the instant the user starts talking, straight from the
   * worker to the playback worklet (see AudioPlayer.acceptBargeIn). A reload of the VAD drops it.
   */
  async connectPlayback(port: MessagePort): Promise<void> {
    return this.worker.api.connectPlayback({ port }, { transfer: [port] });
  }

  async setBargeIn(enabled: boolean): Promise<void> {
    return this.worker.api.setBargeIn(enabled);
  }

  terminate(): void {
    this.worker.terminate();
  }
}
