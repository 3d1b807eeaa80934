import type { HandlerMap, RemoteApi } from './rpc/protocol.ts';
import { WorkerHandle } from './rpc/worker-handle.ts';
import type { WorkerClientOptions } from './rpc/worker-client.ts';
import { StageError } from './stage-error.ts';
import type { StageName } from './types.ts';

/**
 * The worker behind a stage client. Every `load()` runs in a fresh worker: the previous
 * model's memory (and GPU device, possibly lost) goes with the old one, so recovering from a
 * lost device is just `load({ ...plan, backend: 'wasm' })` on the same client.
 */
export class StageWorker<H extends HandlerMap> {
  private handle: WorkerHandle<H> | null = null;
  private readonly stage: StageName;
  private readonly createWorker: () => Worker;
  private readonly options: WorkerClientOptions<H>;

  /** `createWorker` must contain the literal `new Worker(new URL('./x.worker.ts', import.meta.url), ...)` for Vite to bundle it. */
  constructor(stage: StageName, createWorker: () => Worker, options: WorkerClientOptions<H>) {
    this.stage = stage;
    this.createWorker = createWorker;
    this.options = options;
  }

  /** Ends the current worker (pending calls reject) and starts a new one. */
  restart(): RemoteApi<H> {
    this.terminate();
    this.handle = new WorkerHandle<H>(this.createWorker(), this.options);
    return this.handle.api;
  }

  get api(): RemoteApi<H> {
    if (!this.handle) throw new StageError(this.stage, 'not-loaded', 'called before load()');
    return this.handle.api;
  }

  terminate(): void {
    this.handle?.terminate(`${this.stage} worker terminated`);
    this.handle = null;
  }
}
