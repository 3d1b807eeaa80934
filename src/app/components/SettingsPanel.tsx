import type { EndOfTurnMode, VadParams } from '../../engines/types.ts';
import { HintedCheckbox } from './HintedCheckbox.tsx';
import { HandoffSettingsFields } from './HandoffSettingsFields.tsx';
import { CustomVoiceEditor } from './CustomVoiceEditor.tsx';
import { VoicePicker } from './VoicePicker.tsx';
import { SpeechEngineFields } from './SpeechEngineFields.tsx';
import type { VoiceController } from '../voice-controller.ts';
import { useSettings, responseModes, type ResponseMode, type InputMode, type BackendChoice, type ThemeChoice } from '../../stores/settings-store.ts';

type NumericVadParam = { [K in keyof VadParams]: VadParams[K] extends number ? K : never }[keyof VadParams];

interface VadControl {
  key: NumericVadParam;
  min: number;
  max: number;
  step: number;
  label: (v: number) => string;
  /** Shown only in this end-of-turn mode. */
  mode?: EndOfTurnMode;
}

const vadControls: VadControl[] = [
  { key: 'redemptionMs', min: 200, max: 2000, step: 50, label: (v) => `Pause that ends your turn: ${v} ms`, mode: 'silence' },
  { key: 'maxSilenceMs', min: 600, max: 4000, step: 100, label: (v) => `Longest pause before your turn ends anyway: ${v} ms`, mode: 'smart' },
  { key: 'shortPauseMs', min: 100, max: 600, step: 20, label: (v) => `Pause that asks whether you are done: ${v} ms`, mode: 'smart' },
  { key: 'positiveSpeechThreshold', min: 0.1, max: 0.95, step: 0.05, label: (v) => `Speech threshold ${v.toFixed(2)}` },
  { key: 'negativeSpeechThreshold', min: 0.05, max: 0.9, step: 0.05, label: (v) => `Silence threshold ${v.toFixed(2)}` },
  { key: 'preSpeechPadMs', min: 0, max: 1000, step: 50, label: (v) => `Padding kept around speech: ${v} ms` },
  { key: 'minSpeechMs', min: 50, max: 1000, step: 50, label: (v) => `Shortest speech that counts: ${v} ms` },
];

export function SettingsPanel({ onApply, synthesizePreview }: { onApply: () => void; synthesizePreview: VoiceController['synthesizePreview'] }) {
  const settings = useSettings();
  const update = (patch: Parameters<typeof settings.set>[0]) => {
    settings.set(patch);
    onApply();
  };
  return (
    <section className="settings" aria-label="Settings">
      <label>
        Response mode
        <select value={settings.responseMode} onChange={(e) => update({ responseMode: e.target.value as ResponseMode })}>
          {(Object.keys(responseModes) as ResponseMode[]).map((mode) => (
            <option key={mode} value={mode}>
              {responseModes[mode].label} — {responseModes[mode].hint}
            </option>
          ))}
        </select>
      </label>
      <label>
        Instructions for the assistant (used from the next turn)
        <textarea rows={3} value={settings.systemPrompt} onChange={(e) => update({ systemPrompt: e.target.value })} />
      </label>
      <VoicePicker onApply={onApply} />
      <SpeechEngineFields onApply={onApply} />
      <CustomVoiceEditor onApply={onApply} synthesizePreview={synthesizePreview} />
      <label>
        Talking
        <select value={settings.inputMode} onChange={(e) => update({ inputMode: e.target.value as InputMode })}>
          <option value="hands-free">Hands-free (just talk)</option>
          <option value="push-to-talk">Push to talk</option>
        </select>
      </label>
      <label className="checkbox">
        <input type="checkbox" checked={settings.halfDuplex} onChange={(e) => update({ halfDuplex: e.target.checked })} />
        Don't listen while the assistant speaks (for speakers that echo)
      </label>
      <HintedCheckbox
        checked={settings.inputHighPass}
        onChange={(inputHighPass) => update({ inputHighPass })}
        label="Filter out rumble and hum"
        hint="Removes the low drone of traffic, fans and electrical hum before the app listens for speech, so it does not start a turn."
      />
      <HintedCheckbox
        checked={settings.inputNoiseGate}
        onChange={(inputNoiseGate) => update({ inputNoiseGate })}
        label="Soften background noise between words"
        hint="Turns steady background noise down while you are not speaking (never off). Turn it off if the starts of your words get lost."
      />
      <HintedCheckbox
        checked={settings.partialTranscripts}
        onChange={(partialTranscripts) => update({ partialTranscripts })}
        label="Show words while I speak"
        hint="Transcribes as you talk, whenever speech recognition is free. Turn it off if replies feel slow on this device."
      />
      <label>
        Compute
        <select value={settings.backend} onChange={(e) => update({ backend: e.target.value as BackendChoice })}>
          <option value="auto">Automatic (GPU when available)</option>
          <option value="webgpu">GPU (WebGPU)</option>
          <option value="wasm">CPU (WebAssembly)</option>
        </select>
      </label>
      <HintedCheckbox
        checked={settings.shareLatencyMetrics}
        onChange={(shareLatencyMetrics) => update({ shareLatencyMetrics })}
        label="Share anonymous latency measurements"
        hint="How long each step of a turn took, the model names and a rough device class (e.g. desktop with WebGPU). Never what you said, the replies, or any audio."
      />
      <fieldset>
        <legend>Turn detection</legend>
        <label>
          When your turn ends
          <select
            value={settings.vad.endOfTurn}
            onChange={(e) => {
              settings.setVad({ endOfTurn: e.target.value as EndOfTurnMode });
              onApply();
            }}
          >
            <option value="smart">Smart (recommended): listens for whether you sound finished</option>
            <option value="silence">Silence only: after a fixed pause</option>
          </select>
        </label>
        <HintedCheckbox
          checked={settings.eagerReplies}
          onChange={(eagerReplies) => update({ eagerReplies })}
          label="Start answering during my pauses"
          hint="Prepares the reply while deciding whether you are done, and drops it unheard if you go on. Faster replies; a little more work for the device."
        />
        {vadControls.filter((control) => control.mode === undefined || control.mode === settings.vad.endOfTurn).map((control) => (
          <label key={control.key}>
            {control.label(settings.vad[control.key])}
            <input
              type="range"
              min={control.min}
              max={control.max}
              step={control.step}
              value={settings.vad[control.key]}
              onChange={(e) => {
                settings.setVad({ [control.key]: Number(e.target.value) });
                onApply();
              }}
            />
          </label>
        ))}
      </fieldset>
      <HandoffSettingsFields />
      <label>
        Appearance
        <select value={settings.theme} onChange={(e) => settings.set({ theme: e.target.value as ThemeChoice })}>
          <option value="system">Like this device</option>
          <option value="light">Light</option>
          <option value="dark">Dark</option>
        </select>
      </label>
      <button type="button" onClick={() => { settings.reset(); onApply(); }}>
        Restore defaults
      </button>
    </section>
  );
}
