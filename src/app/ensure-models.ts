import { RemoteError } from '../engines/rpc/remote-error.ts';
import type { ModelSource } from '../protocol/model-set.ts';
import { modelStore } from '../models/store/model-store-client.ts';
import { checkSpace, storageShortMessage } from '../models/store/storage-space.ts';
import type { StageInventory, StageModelRequest } from '../models/store/store-types.ts';
import { TransferRate } from '../models/store/transfer-rate.ts';
import { missingBytes, useModels } from '../stores/models-store.ts';
import { useSession } from '../stores/session-store.ts';

export type ModelsOutcome = 'ready' | 'needs-approval' | 'failed';

const session = useSession.getState;

/**
 * Makes sure every model file the plan loads is on the device before the stages load: finds
 * what is missing (repairing damaged entries), asks the user before a first download, checks
 * the free space, asks the browser to keep the models, then downloads the rest with progress.
 * The stage workers then load from the cache, so nothing is downloaded twice.
 */
export async function ensureModels(source: ModelSource, requests: StageModelRequest[], approved: boolean): Promise<ModelsOutcome> {
  const models = useModels.getState();
  const store = modelStore();
  models.set({ phase: 'checking' });
  let inventory: StageInventory[];
  try {
    inventory = await store.inspect({ source, requests });
  } catch (error) {
    return blocked(messageOf(error));
  }
  // A stage whose files cannot be listed is left to its load, which names it and offers Retry.
  inventory = inventory.filter((stage) => !stage.error);
  requests = requests.filter((request) => inventory.some((stage) => stage.stage === request.stage));
  models.set({ inventory });
  if (inventory.some((stage) => stage.repaired.length > 0)) {
    session().notify({ id: 'models-repaired', level: 'info', text: 'Some model files on this device were damaged; they are being downloaded again.' });
  }
  const needed = missingBytes(inventory);
  if (needed === 0) return ready(inventory);
  if (!approved) {
    models.set({ phase: 'needs-approval' });
    return 'needs-approval';
  }

  const space = checkSpace((await navigator.storage?.estimate?.().catch(() => null)) ?? null, needed);
  if (!space.ok) return blocked(storageShortMessage(space), 'models-storage');
  await askToKeepModels();

  models.set({ phase: 'downloading', downloads: {} });
  const rates = new Map<string, TransferRate>();
  try {
    inventory = await store.download(
      { source, requests },
      {
        onProgress: ({ stage, loaded, total }) => {
          const rate = rates.get(stage) ?? new TransferRate();
          rates.set(stage, rate);
          rate.sample(loaded, performance.now());
          useModels.getState().setDownload(stage, { loaded, total, secondsLeft: rate.secondsLeft(loaded, total) });
        },
      },
    );
  } catch (error) {
    return blocked(`The model download stopped: ${messageOf(error)} Retry continues where it stopped.`);
  }
  return ready(inventory);
}

function ready(inventory: StageInventory[]): ModelsOutcome {
  useModels.getState().set({ inventory, phase: 'ready' });
  // A failure reported on an earlier try is over.
  session().dismiss('models-failed');
  session().dismiss('models-storage');
  return 'ready';
}

/** The worker's words for what went wrong (without the RPC layer's method prefix). */
function messageOf(error: unknown): string {
  if (error instanceof RemoteError) return error.remoteMessage;
  return error instanceof Error ? error.message : String(error);
}

function blocked(text: string, id = 'models-failed'): ModelsOutcome {
  useModels.getState().set({ phase: 'blocked' });
  session().notify({ id, level: 'error', action: 'retry-load', text });
  session().setState('error');
  return 'failed';
}

/**
 * Asks the browser not to evict the models under storage pressure; the answer is shown in the
 * model manager (Chromium grants it to installed or often-used sites without a prompt).
 */
export async function askToKeepModels(): Promise<boolean | null> {
  const storage = navigator.storage;
  if (!storage?.persist) return null;
  const persisted = (await storage.persisted?.().catch(() => false)) || (await storage.persist().catch(() => false));
  useModels.getState().set({ persisted });
  return persisted;
}

/**
 * A model failed to load from the cache: hash every cached file of the failed stages (a damaged
 * graph of the same size passes the quick check), and download again what is damaged.
 * True when something was repaired, so one more load is worth trying.
 */
export async function repairAfterLoadFailure(source: ModelSource, requests: StageModelRequest[]): Promise<boolean> {
  if (requests.length === 0) return false;
  const inventory = await modelStore()
    .inspect({ source, requests, deep: true })
    .catch(() => []);
  if (!inventory.some((stage) => stage.repaired.length > 0)) return false;
  return (await ensureModels(source, requests, true)) === 'ready';
}
