import { useState } from 'react';
import { useSettings } from '../../stores/settings-store.ts';
import { parseKeywords, withHandoffDefaults } from '../../handoff/handoff-settings.ts';

/** The "Human handoff" part of the settings panel: when the app offers the caller a person. */
export function HandoffSettingsFields() {
  const handoff = withHandoffDefaults(useSettings((s) => s.handoff));
  const setHandoff = useSettings((s) => s.setHandoff);
  // Typed as text and parsed on leaving the field, so a half-typed comma is not lost; the text
  // follows the stored keywords when they change (saved, reset), adjusted during render.
  const joined = handoff.keywords.join(', ');
  const [keywords, setKeywords] = useState(joined);
  const [shownFor, setShownFor] = useState(joined);
  if (shownFor !== joined) {
    setShownFor(joined);
    setKeywords(joined);
  }

  return (
    <fieldset>
      <legend>Human handoff</legend>
      <label className="checkbox">
        <input type="checkbox" checked={handoff.enabled} onChange={(e) => setHandoff({ enabled: e.target.checked })} />
        Offer a person when I ask for one or when the assistant is not helping
      </label>
      <label>
        Keywords that bring in a person (comma-separated)
        <input
          type="text"
          value={keywords}
          disabled={!handoff.enabled}
          onChange={(e) => setKeywords(e.target.value)}
          onBlur={() => setHandoff({ keywords: parseKeywords(keywords) })}
        />
      </label>
      <label>
        Frustration: hand over when my last {handoff.sentimentWindow} messages add up to −{handoff.sentimentThreshold.toFixed(1)} or less
        <input
          type="range"
          min={0.5}
          max={3}
          step={0.1}
          value={handoff.sentimentThreshold}
          disabled={!handoff.enabled}
          onChange={(e) => setHandoff({ sentimentThreshold: Number(e.target.value) })}
        />
      </label>
      <label>
        Messages the frustration check looks back over: {handoff.sentimentWindow}
        <input
          type="range"
          min={1}
          max={6}
          step={1}
          value={handoff.sentimentWindow}
          disabled={!handoff.enabled}
          onChange={(e) => setHandoff({ sentimentWindow: Number(e.target.value) })}
        />
      </label>
      <label>
        Hand over after the assistant fails {handoff.failureLimit} times in a row
        <input
          type="range"
          min={1}
          max={6}
          step={1}
          value={handoff.failureLimit}
          disabled={!handoff.enabled}
          onChange={(e) => setHandoff({ failureLimit: Number(e.target.value) })}
        />
      </label>
    </fieldset>
  );
}
