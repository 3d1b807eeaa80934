import { useEffect, useId, useRef, useState } from 'react';
import { blendVoiceId, normaliseParts, type VoicePart } from '../../engines/tts/voice-blend.ts';
import { useSettings } from '../../stores/settings-store.ts';
import { describeBlend, VOICE_CHOICES } from '../voice-choices.ts';
import type { VoiceController } from '../voice-controller.ts';
import { VoicePreview } from '../voice-preview.ts';
import './custom-voice.css';

/** A voice's weight when it is ticked: the sliders run 1..100 and only their ratios count. */
const START_WEIGHT = 50;

type Status = { kind: 'idle' | 'busy' | 'done' | 'error'; text: string };

/**
 * Settings' "Custom voice": blend two or more Kokoro voices with sliders, hear a sample, and keep
 * the blend under a name. Kept voices are listed with their recipe and can be deleted; the voice
 * picker offers them.
 */
export function CustomVoiceEditor({ onApply, synthesizePreview }: { onApply: () => void; synthesizePreview: VoiceController['synthesizePreview'] }) {
  const customVoices = useSettings((state) => state.customVoices);
  const [weights, setWeights] = useState<Record<string, number>>({});
  const [name, setName] = useState('');
  const [status, setStatus] = useState<Status>({ kind: 'idle', text: '' });
  const preview = useRef<VoicePreview | undefined>(undefined);
  const hintId = useId();

  // The preview's audio ends with the editor (the Settings panel closing).
  useEffect(
    () => () => {
      preview.current?.dispose();
      preview.current = undefined;
    },
    [],
  );

  const parts: VoicePart[] = Object.entries(weights).map(([voice, weight]) => ({ voice, weight }));
  const shares = new Map(normaliseParts(parts).map((part) => [part.voice, Math.round(part.weight / 10)]));
  const blendable = shares.size >= 2;
  const busy = status.kind === 'busy';

  const choose = (voice: string, chosen: boolean) =>
    setWeights(({ [voice]: _dropped, ...others }) => (chosen ? { ...others, [voice]: START_WEIGHT } : others));

  const playPreview = async () => {
    setStatus({ kind: 'busy', text: 'Preparing the preview…' });
    try {
      preview.current ??= new VoicePreview(synthesizePreview);
      const seconds = await preview.current.play(blendVoiceId(parts));
      setStatus({ kind: 'done', text: `Played a ${seconds.toFixed(1)} s sample of ${describeBlend(parts)}.` });
    } catch (error) {
      setStatus({ kind: 'error', text: `The preview failed: ${error instanceof Error ? error.message : String(error)}` });
    }
  };

  // Saved in the settings first: a session still loading reads the voice when it starts.
  const save = () => {
    const saved = name.trim();
    useSettings.getState().saveCustomVoice(saved, parts);
    setName('');
    setStatus({ kind: 'done', text: `Saved “${saved}”; it is the assistant's voice now.` });
    onApply();
  };

  const remove = (id: string) => {
    useSettings.getState().deleteCustomVoice(id);
    onApply();
  };

  return (
    <fieldset className="custom-voice" aria-describedby={hintId}>
      <legend>Custom voice</legend>
      <p id={hintId} className="muted">
        Blend two or more voices: tick them and set how much of each. Saved voices stay on this device.
      </p>
      <ul className="blend-voices">
        {VOICE_CHOICES.map((choice) => {
          const weight = weights[choice.id];
          return (
            <li key={choice.id}>
              <label className="checkbox">
                <input type="checkbox" checked={weight !== undefined} onChange={(e) => choose(choice.id, e.target.checked)} />
                {choice.name} <span className="muted">{choice.description}</span>
              </label>
              {weight !== undefined && (
                <span className="blend-weight">
                  <input
                    type="range"
                    min={1}
                    max={100}
                    value={weight}
                    aria-label={`How much of ${choice.name}`}
                    aria-valuetext={`${shares.get(choice.id) ?? 0} % of the blend`}
                    onChange={(e) => setWeights((all) => ({ ...all, [choice.id]: Number(e.target.value) }))}
                  />
                  <output aria-hidden="true">{shares.get(choice.id) ?? 0} %</output>
                </span>
              )}
            </li>
          );
        })}
      </ul>
      <label>
        Name
        <input type="text" value={name} maxLength={40} placeholder="e.g. Warm mix" onChange={(e) => setName(e.target.value)} />
      </label>
      <div className="custom-voice-actions">
        <button type="button" disabled={!blendable || busy} onClick={() => void playPreview()}>
          Preview
        </button>
        <button type="button" className="primary" disabled={!blendable || name.trim() === ''} onClick={save}>
          Save
        </button>
      </div>
      <p role="status" className={status.kind === 'error' ? 'stage-error' : 'muted'}>
        {blendable || status.text ? status.text : 'Tick at least two voices to blend them.'}
      </p>
      {customVoices.length > 0 && (
        <ul className="custom-voices" aria-label="Your voices">
          {customVoices.map((voice) => (
            <li key={voice.id}>
              <span>
                <strong>{voice.name}</strong> <span className="muted">{describeBlend(voice.parts)}</span>
              </span>
              <button type="button" className="danger" aria-label={`Delete the voice “${voice.name}”`} onClick={() => remove(voice.id)}>
                Delete
              </button>
            </li>
          ))}
        </ul>
      )}
    </fieldset>
  );
}
