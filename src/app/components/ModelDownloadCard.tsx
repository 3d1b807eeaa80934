import type { ModelStage } from '../../models/capabilities.ts';
import { formatBytes } from '../../models/store/storage-space.ts';
import { formatTimeLeft } from '../../models/store/transfer-rate.ts';
import { missingBytes, useModels } from '../../stores/models-store.ts';
import { STAGE_LABELS } from '../stage-labels.ts';
import { BrowserSpeechOffer } from './BrowserSpeechOffer.tsx';

function percent(loaded: number, total: number): number {
  return total > 0 ? Math.min(100, Math.floor((loaded / total) * 100)) : 0;
}

/**
 * The first visit says how much will be downloaded before anything is, and waits for the user;
 * during the download it shows each model's bytes, percent and time left.
 */
export function ModelDownloadCard({ onApprove, onUseBrowserSpeech }: { onApprove: () => void; onUseBrowserSpeech: () => void }) {
  const phase = useModels((s) => s.phase);
  const inventory = useModels((s) => s.inventory);
  const downloads = useModels((s) => s.downloads);
  if (phase !== 'needs-approval' && phase !== 'downloading') return null;
  const needed = missingBytes(inventory);

  if (phase === 'needs-approval') {
    return (
      <section className="model-download" aria-labelledby="model-download-title">
        <h2 id="model-download-title">Download the models</h2>
        <p>
          Hearth listens, thinks and speaks on this device, so your voice never leaves it. First it needs its models:{' '}
          <strong>{formatBytes(needed)}</strong>, downloaded once. After that it works offline.
        </p>
        <ul className="model-sizes">
          {inventory.map((stage) => (
            <li key={stage.stage}>
              {STAGE_LABELS[stage.stage]}: {stage.model} <span className="size">{formatBytes(stage.missingBytes)}</span>
            </li>
          ))}
        </ul>
        <button type="button" className="primary" onClick={onApprove}>
          Download {formatBytes(needed)}
        </button>
        <BrowserSpeechOffer onChoose={onUseBrowserSpeech} />
      </section>
    );
  }

  return (
    <section className="model-download" aria-labelledby="model-download-title">
      <h2 id="model-download-title">Downloading the models</h2>
      <ul className="model-sizes">
        {inventory.map(({ stage, model, totalBytes, missingBytes: missing }) => {
          const download = downloads[stage as ModelStage] ?? { loaded: totalBytes - missing, total: totalBytes, secondsLeft: undefined };
          const pct = percent(download.loaded, download.total);
          const done = download.loaded >= download.total;
          return (
            <li key={stage} data-testid={`download-${stage}`}>
              <span className="stage-name">{STAGE_LABELS[stage]}</span> <span className="stage-model">{model}</span>
              <progress max={100} value={pct} aria-label={`${STAGE_LABELS[stage]} download`} />
              <span className="download-figures">
                {formatBytes(download.loaded)} of {formatBytes(download.total)} ({pct}%){done ? ' · done' : ` · ${formatTimeLeft(download.secondsLeft)}`}
              </span>
            </li>
          );
        })}
      </ul>
    </section>
  );
}
