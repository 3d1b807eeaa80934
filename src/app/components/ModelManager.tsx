import { useEffect, useMemo, useState } from 'react';
import { modelStore } from '../../models/store/model-store-client.ts';
import { formatBytes } from '../../models/store/storage-space.ts';
import type { CachedModel, CatalogueEntry } from '../../models/store/store-types.ts';
import { useModels } from '../../stores/models-store.ts';
import { askToKeepModels } from '../ensure-models.ts';
import { STAGE_LABELS } from '../stage-labels.ts';
import type { VoiceController } from '../voice-controller.ts';
import { ModelSetSwitch } from './ModelSetSwitch.tsx';

interface StorageFigures {
  usage?: number;
  quota?: number;
}

/** What this device stores: the cached models and the site's storage use (and, once, whether it is kept). */
async function readStorage(): Promise<{ cached: CachedModel[]; storage: StorageFigures }> {
  const cached = await modelStore().cached({});
  const storage = (await navigator.storage?.estimate?.().catch(() => ({}))) ?? {};
  if (useModels.getState().persisted === null && navigator.storage?.persisted) {
    useModels.getState().set({ persisted: await navigator.storage.persisted() });
  }
  return { cached, storage };
}

/**
 * The model manager: the current set with each model's size per dtype, what is stored on this
 * device and how much room it takes, whether the browser keeps it under storage pressure, and
 * deleting models.
 */
export function ModelManager({ controller }: { controller: VoiceController }) {
  const inventory = useModels((s) => s.inventory);
  const persisted = useModels((s) => s.persisted);
  const [cached, setCached] = useState<CachedModel[] | undefined>();
  const [catalogue, setCatalogue] = useState<CatalogueEntry[]>([]);
  const [storage, setStorage] = useState<StorageFigures>({});
  const [message, setMessage] = useState('');
  // Fixed for the page's life once the models are known (a set switch restarts the app).
  const current = useMemo(() => controller.modelSource(), [controller]);

  const phase = useModels((s) => s.phase);
  // Counts deletions, so the figures are read again after each.
  const [deletions, setDeletions] = useState(0);
  // Again whenever the store changes phase (a download that finishes while the panel is open shows
  // up) and after a deletion; an answer that arrives after a newer read started is dropped.
  useEffect(() => {
    let latest = true;
    readStorage().then(
      (figures) => {
        if (!latest) return;
        setCached(figures.cached);
        setStorage(figures.storage);
      },
      (error: unknown) => console.warn('Reading the stored models failed:', error),
    );
    return () => {
      latest = false;
    };
  }, [phase, deletions]);

  useEffect(() => {
    if (!current) return;
    modelStore()
      .catalogue({ source: current.source, models: current.requests.map(({ stage, model }) => ({ stage, model })) })
      .then(setCatalogue, () => setCatalogue([]));
  }, [current]);

  const remove = async (model: string) => {
    if (!current) return;
    const deleted = await modelStore().remove({ source: current.source, model });
    const inUse = current.requests.some((request) => request.model === model) || model === 'Kokoro voices';
    setMessage(`Deleted ${model} (${deleted} files).${inUse ? ' It is in use: it stays loaded now and will be downloaded again the next time Hearth starts.' : ''}`);
    setDeletions((n) => n + 1);
  };

  return (
    <div className="model-manager">
      <section aria-labelledby="models-storage-title">
        <h3 id="models-storage-title">Storage</h3>
        {storage.quota !== undefined && (
          <p>
            This site uses {formatBytes(storage.usage ?? 0)} of {formatBytes(storage.quota)} available to it.
          </p>
        )}
        <p data-testid="persistence">
          {persisted === true
            ? 'Models are kept: the browser will not clear them when space runs low.'
            : persisted === false
              ? 'The browser may clear the models when space runs low (they would be downloaded again).'
              : 'The browser has not said whether it keeps the models when space runs low.'}
        </p>
        {persisted !== true && 'storage' in navigator && (
          <button type="button" onClick={() => void askToKeepModels()}>
            Ask to keep models
          </button>
        )}
      </section>

      {current && (
        <section aria-labelledby="models-set-title">
          <h3 id="models-set-title">In use: {current.current.label}</h3>
          <ul className="model-list">
            {current.requests.map(({ stage, model, dtype }) => {
              const stageInventory = inventory.find((entry) => entry.stage === stage);
              const sizes = catalogue.find((entry) => entry.stage === stage)?.sizes ?? [];
              return (
                <li key={stage} data-testid={`catalogue-${stage}`}>
                  <strong className="stage-title">{STAGE_LABELS[stage]}</strong>
                  {model} ({dtype})
                  {stageInventory && <> · {formatBytes(stageInventory.totalBytes)}{stageInventory.missingBytes === 0 ? ', on this device' : `, ${formatBytes(stageInventory.missingBytes)} to download`}</>}
                  {sizes.length > 0 && (
                    <div className="dtype-sizes">
                      Download size by precision: {sizes.map((size) => `${size.dtype} ${formatBytes(size.bytes)}`).join(' · ')}
                    </div>
                  )}
                </li>
              );
            })}
            {current.browserSpeech.map((stage) => (
              <li key={stage} data-testid={`catalogue-${stage}`}>
                <strong className="stage-title">{STAGE_LABELS[stage]}</strong>
                The browser's own speech {stage === 'asr' ? 'recognition' : 'synthesis'}, on this device (no model)
              </li>
            ))}
          </ul>
        </section>
      )}

      {current && <ModelSetSwitch info={current} />}

      <section aria-labelledby="models-device-title">
        <h3 id="models-device-title">On this device</h3>
        {cached === undefined ? (
          <p>Looking…</p>
        ) : cached.length === 0 ? (
          <p>No models are stored on this device.</p>
        ) : (
          <ul className="model-list">
            {cached.map((entry) => (
              <li key={entry.model} className="cached-model" data-testid="cached-model">
                <span>
                  {entry.model}: {formatBytes(entry.bytes)} in {entry.files} files
                </span>{' '}
                <button type="button" className="danger" onClick={() => void remove(entry.model)} aria-label={`Delete ${entry.model}`}>
                  Delete
                </button>
              </li>
            ))}
          </ul>
        )}
        <p role="status">{message}</p>
      </section>
    </div>
  );
}
