import { WorkerHandle } from '../../engines/rpc/worker-handle.ts';
import type { RemoteApi } from '../../engines/rpc/protocol.ts';
import type { ModelStoreWorkerApi } from './model-store-api.ts';

/**
 * The main thread's handle on the model store worker (downloads, cache checks, deletes).
 * Created on first use: a page that never needs it never starts the worker.
 */
let handle: WorkerHandle<ModelStoreWorkerApi> | undefined;

export function modelStore(): RemoteApi<ModelStoreWorkerApi> {
  handle ??= new WorkerHandle<ModelStoreWorkerApi>(
    new Worker(new URL('./model-store.worker.ts', import.meta.url), { type: 'module', name: 'model-store' }),
    { name: 'model-store', streams: {} },
  );
  return handle.api;
}
