import { useId } from 'react';
import { useModels } from '../../stores/models-store.ts';
import { useSettings, type SpeechEngineChoice } from '../../stores/settings-store.ts';

/**
 * Who listens and speaks: Hearth's models or the browser's own on-device engines. Shown where
 * the browser's engines were looked for (a weak device, or chosen before); a change applies at a restart, offered here.
 */
export function SpeechEngineFields({ onApply }: { onApply: () => void }) {
  const offer = useModels((s) => s.browserSpeech);
  const speechEngines = useSettings((s) => s.speechEngines);
  const browserVoice = useSettings((s) => s.browserVoice);
  const set = useSettings((s) => s.set);
  const hintId = useId();
  if (!offer) return null;
  const none = offer.stages.length === 0;
  // What runs now differs from the choice: it was changed since the app started.
  const pending = (speechEngines === 'browser') !== offer.inUse.length > 0;
  return (
    <fieldset>
      <legend>Speech engines</legend>
      <label>
        Who listens and speaks
        <select
          value={speechEngines}
          aria-describedby={hintId}
          onChange={(e) => {
            set({ speechEngines: e.target.value as SpeechEngineChoice });
            onApply();
          }}
        >
          <option value="models">Hearth's models (downloaded once)</option>
          <option value="browser" disabled={none}>
            The browser's speech, on this device
          </option>
        </select>
      </label>
      <p id={hintId} className="muted">
        {none
          ? 'This browser has no speech recognition or voices that run on this device; Hearth does not use online speech services.'
          : 'Either way your voice stays on this device.'}
      </p>
      {pending && (
        <p>
          {/* The engines are chosen as the app starts (as a model set is): a restart puts the choice to use. */}
          <button type="button" onClick={() => location.reload()}>
            Restart to use {speechEngines === 'browser' ? "the browser's speech" : "Hearth's models"}
          </button>
        </p>
      )}
      {speechEngines === 'browser' && offer.voices.length > 0 && (
        <label>
          Browser voice
          <select
            value={browserVoice}
            onChange={(e) => {
              set({ browserVoice: e.target.value });
              onApply();
            }}
          >
            <option value="">{offer.voices[0]!.name} (first on this device)</option>
            {offer.voices.map((voice) => (
              <option key={voice.voiceURI} value={voice.voiceURI}>
                {voice.name}
              </option>
            ))}
          </select>
        </label>
      )}
    </fieldset>
  );
}
