import { exposeWorker } from '../../engines/rpc/expose-worker.ts';
import type { ModelStoreWorkerApi } from './model-store-api.ts';
import { ModelStore } from './model-store.ts';

const store = new ModelStore(self.location.origin);

const handlers: ModelStoreWorkerApi = {
  inspect: (args) => store.inspect(args),
  download: (args, ctx) => store.download(args, (progress) => ctx.progress(progress), ctx.signal),
  cached: () => store.cached(),
  remove: ({ source, model }) => store.remove(source, model),
  catalogue: ({ source, models }) => store.catalogue(source, models),
};

exposeWorker(handlers, self);
