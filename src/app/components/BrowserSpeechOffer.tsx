import { formatBytes } from '../../models/store/storage-space.ts';
import { missingBytes, useModels } from '../../stores/models-store.ts';

function whatItDoes(stages: readonly ('asr' | 'tts')[]): string {
  if (stages.includes('asr') && stages.includes('tts')) return 'listen and speak';
  return stages.includes('asr') ? "listen (Hearth's own voice model still speaks)" : "speak (Hearth's own model still listens)";
}

/**
 * Beside the first download on a device that may be too weak for the speech models: the
 * browser's own speech engines, those that run on this device only, or plainly why there are none.
 */
export function BrowserSpeechOffer({ onChoose }: { onChoose: () => void }) {
  const offer = useModels((s) => s.browserSpeech);
  const inventory = useModels((s) => s.inventory);
  if (!offer?.reason || offer.inUse.length > 0) return null;
  if (offer.stages.length === 0) {
    return (
      <div className="browser-speech-offer" data-testid="browser-speech-offer">
        <p>{offer.reason}</p>
        <p>
          This browser has no speech recognition and no voices that run on this device, so Hearth needs its own models. It does not use online speech
          services: your voice would leave the device.
        </p>
      </div>
    );
  }
  const rest = missingBytes(inventory.filter((stage) => !offer.stages.some((byBrowser) => byBrowser === stage.stage)));
  const voice = offer.stages.includes('tts') ? offer.voices[0]?.name : undefined;
  return (
    <div className="browser-speech-offer" role="group" aria-labelledby="browser-speech-title" data-testid="browser-speech-offer">
      <h3 id="browser-speech-title">Or use the browser's speech</h3>
      <p>{offer.reason}</p>
      <p>
        Your browser can {whatItDoes(offer.stages)} by itself, on this device: your voice still never leaves it.
        {voice ? ` It speaks with its voice “${voice}”.` : ''}
        {offer.stages.includes('asr') && offer.recognitionDownload ? ' It fetches its English speech recognition once.' : ''} Then only{' '}
        <strong>{formatBytes(rest)}</strong> is downloaded for the rest.
      </p>
      <button type="button" onClick={onChoose}>
        Use the browser's speech (on this device)
      </button>
    </div>
  );
}
