import type { HandlerMap } from './protocol.ts';
import { createWorkerClient, type WorkerClient, type WorkerClientOptions } from './worker-client.ts';

/** A worker and its RPC client, owned together: terminating one closes the other. */
export class WorkerHandle<H extends HandlerMap> {
  readonly api: WorkerClient<H>['api'];
  private readonly worker: Worker;
  private readonly client: WorkerClient<H>;

  constructor(worker: Worker, options: WorkerClientOptions<H>) {
    this.worker = worker;
    this.client = createWorkerClient<H>(worker, options);
    this.api = this.client.api;
  }

  /** Stops the worker at once (frees its memory and GPU device); pending calls reject. */
  terminate(reason = 'worker terminated'): void {
    this.client.close(new Error(`${reason}`));
    this.worker.terminate();
  }
}
