import { useMemo } from 'react';
import { deriveDurations, sessionMedians, type DurationName, type TurnDurations } from '../../metrics/turn-timing.ts';
import { useTimings } from '../../stores/timing-store.ts';

// The rows follow the turn: last word -> end of speech -> transcript -> first token -> first audio.
const rows: { name: DurationName; label: string }[] = [
  // The silence the VAD waited after the last word before declaring the turn over.
  { name: 'endpointing', label: 'Endpointing (silence wait)' },
  { name: 'asr', label: 'Speech → transcript' },
  { name: 'llmTtft', label: 'Transcript → first token' },
  { name: 'firstSentence', label: 'First token → first sentence' },
  { name: 'ttsFirstAudio', label: 'Sentence → first audio' },
  { name: 'playout', label: 'Audio → speaker' },
  { name: 'voiceToVoice', label: 'Voice to voice' },
  { name: 'textToVoice', label: 'Text to voice' },
  { name: 'orchestrationOverhead', label: 'Pipeline overhead' },
];

function format(name: DurationName, durations: TurnDurations): string {
  const value = durations[name];
  if (value === undefined) return '—';
  return `${Math.round(value)} ms`;
}

export function LatencyPanel() {
  const turns = useTimings((s) => s.turns);
  const completed = useMemo(() => turns.filter((t) => t.marks.turnEnd !== undefined), [turns]);
  const last = completed[completed.length - 1];
  const lastDurations = useMemo(() => (last ? deriveDurations(last) : undefined), [last]);
  const medians = useMemo(() => sessionMedians(completed), [completed]);
  if (!last || !lastDurations) return null;
  return (
    <section className="latency" aria-label="Latency" data-testid="latency">
      <h2>Last turn</h2>
      <dl>
        {rows
          .filter((row) => lastDurations[row.name] !== undefined)
          .map((row) => (
            <div key={row.name} style={{ display: 'contents' }}>
              <dt>{row.label}</dt>
              <dd data-testid={`latency-${row.name}`}>{format(row.name, lastDurations)}</dd>
            </div>
          ))}
        {lastDurations.tokensPerSecond !== undefined && (
          <>
            <dt>Tokens per second</dt>
            <dd>{lastDurations.tokensPerSecond.toFixed(1)}</dd>
          </>
        )}
      </dl>
      <h2>
        Session medians <span className="muted">({medians.turns} turns)</span>
      </h2>
      <dl>
        {rows
          .filter((row) => medians.medians[row.name] !== undefined)
          .map((row) => (
            <div key={row.name} style={{ display: 'contents' }}>
              <dt>{row.label}</dt>
              <dd data-testid={`median-${row.name}`}>{format(row.name, medians.medians)}</dd>
            </div>
          ))}
      </dl>
    </section>
  );
}
