import { useSettings } from '../../stores/settings-store.ts';
import { VOICE_CHOICES } from '../voice-choices.ts';

/** The assistant's voice: one of Kokoro's, or one the user made (CustomVoiceEditor). */
export function VoicePicker({ onApply }: { onApply: () => void }) {
  const voice = useSettings((state) => state.voice);
  const customVoices = useSettings((state) => state.customVoices);
  return (
    <label>
      Voice
      <select
        value={voice}
        onChange={(e) => {
          useSettings.getState().set({ voice: e.target.value });
          onApply();
        }}
      >
        <optgroup label="Kokoro voices">
          {VOICE_CHOICES.map((choice) => (
            <option key={choice.id} value={choice.id}>
              {choice.name} — {choice.description}
            </option>
          ))}
        </optgroup>
        {customVoices.length > 0 && (
          <optgroup label="Your voices">
            {customVoices.map((custom) => (
              <option key={custom.id} value={custom.id}>
                {custom.name}
              </option>
            ))}
          </optgroup>
        )}
      </select>
    </label>
  );
}
