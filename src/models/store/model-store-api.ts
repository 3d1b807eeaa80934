import type { ModelSource } from '../../protocol/model-set.ts';
import type { CallContext } from '../../engines/rpc/protocol.ts';
import type { CachedModel, CatalogueEntry, DownloadProgress, StageInventory, StageModelRequest, StoreRequest } from './store-types.ts';

/** The model store worker's methods, as the RPC layer carries them. */
export type ModelStoreWorkerApi = {
  inspect: (args: StoreRequest, ctx: CallContext) => Promise<StageInventory[]>;
  download: (args: StoreRequest, ctx: CallContext<DownloadProgress>) => Promise<StageInventory[]>;
  cached: (args: Record<string, never>, ctx: CallContext) => Promise<CachedModel[]>;
  remove: (args: { source: ModelSource; model: string }, ctx: CallContext) => Promise<number>;
  catalogue: (args: { source: ModelSource; models: Pick<StageModelRequest, 'stage' | 'model'>[] }, ctx: CallContext) => Promise<CatalogueEntry[]>;
};
