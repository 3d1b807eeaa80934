import { useEffect, useState } from 'react';
import type { ModelSet } from '../../protocol/model-set.ts';
import { modelStore } from '../../models/store/model-store-client.ts';
import { formatBytes } from '../../models/store/storage-space.ts';
import { useSettings } from '../../stores/settings-store.ts';
import type { ModelSourceInfo } from '../voice-controller.ts';

/**
 * Switching model sets: each set the source offers, its models, and what switching would
 * download on this device. Switching restarts the app on the new set; the old set's files stay
 * until deleted, so switching back is instant.
 */
export function ModelSetSwitch({ info }: { info: ModelSourceInfo }) {
  const [chosen, setChosen] = useState(info.current.id);
  const [toDownload, setToDownload] = useState<Record<string, number>>({});

  useEffect(() => {
    for (const set of info.sets) {
      modelStore()
        .inspect({ source: info.source, requests: info.requestsFor(set) })
        .then((stages) => setToDownload((sizes) => ({ ...sizes, [set.id]: stages.reduce((sum, stage) => sum + stage.missingBytes, 0) })))
        .catch(() => undefined);
    }
  }, [info]);

  if (info.sets.length < 2) return null;
  const switchTo = (set: ModelSet) => {
    useSettings.getState().set({ modelSetId: set.id });
    location.reload();
  };
  const target = info.sets.find((set) => set.id === chosen);

  return (
    <section aria-labelledby="model-set-title">
      <h3 id="model-set-title">Model set</h3>
      <fieldset className="model-sets">
        <legend className="visually-hidden">Model set</legend>
        {info.sets.map((set) => (
          <label key={set.id} className="checkbox">
            <input type="radio" name="model-set" value={set.id} checked={chosen === set.id} onChange={() => setChosen(set.id)} />
            <span>
              {set.label}
              {set.id === info.current.id ? ' (in use)' : ''}
              <span className="dtype-sizes">
                {' '}
                {set.asrWebgpu ? `${set.asrWebgpu} on a capable GPU (else ${set.asr})` : set.asr}, {set.llm}
                {toDownload[set.id] !== undefined && (toDownload[set.id] === 0 ? ' · on this device' : ` · ${formatBytes(toDownload[set.id]!)} to download`)}
              </span>
            </span>
          </label>
        ))}
      </fieldset>
      {target && target.id !== info.current.id && (
        <button type="button" onClick={() => switchTo(target)}>
          Switch to {target.label} and restart
        </button>
      )}
    </section>
  );
}
