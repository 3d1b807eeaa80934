import { useMemo } from 'react';
import {
  deriveDurations,
  eagerTotals,
  sessionMedians,
  type DurationName,
  type EagerCounts,
  type EndOfTurn,
  type TurnDurations,
  type TurnModels,
} from '../../metrics/turn-timing.ts';
import { useTimings } from '../../stores/timing-store.ts';
import { browserEngineLabel } from '../../voice/browser-speech/engine-ids.ts';

// The rows follow the turn: last word -> turn committed -> transcript -> first token -> first
// audio. Endpointing and the stages after it add up to voice to voice; in an eager turn (reply
// started at a short pause) the stages after the commit show only what was still left to wait
// for (src/metrics/turn-timing.ts).
const rows: { name: DurationName; label: string }[] = [
  // The wait after the last word until the turn was committed (silence, end-of-turn model).
  { name: 'endpointing', label: 'Endpointing (wait to be sure you were done)' },
  { name: 'turnModel', label: '… of which end-of-turn model' },
  { name: 'asr', label: 'Turn end → transcript' },
  { name: 'llmTtft', label: 'Transcript → first token' },
  { name: 'firstSentence', label: 'First token → first sentence' },
  { name: 'ttsFirstAudio', label: 'Sentence → first audio' },
  { name: 'playout', label: 'Audio → speaker' },
  { name: 'voiceToVoice', label: 'Voice to voice (from your last word)' },
  { name: 'textToVoice', label: 'Text to voice' },
  { name: 'orchestrationOverhead', label: 'Pipeline overhead' },
];

const END_OF_TURN: Record<EndOfTurn['reason'], string> = {
  'turn-model': 'end-of-turn model',
  silence: 'silence',
  text: 'typed message',
};

function format(name: DurationName, durations: TurnDurations): string {
  const value = durations[name];
  if (value === undefined) return '—';
  return `${Math.round(value)} ms`;
}

/** The stages' engines, as the turn recorded them: model id and backend. */
const ENGINE_ROWS: { stage: keyof TurnModels; label: string }[] = [
  { stage: 'asr', label: 'Speech recognition' },
  { stage: 'llm', label: 'Language model' },
  { stage: 'tts', label: 'Speech synthesis' },
];

function eagerText(eager: EagerCounts): string {
  return `${eager.kept} kept, ${eager.discarded} discarded`;
}

function endOfTurnText(endOfTurn: EndOfTurn): string {
  const probability = endOfTurn.probability === undefined ? '' : ` (p ${endOfTurn.probability.toFixed(2)})`;
  return `${END_OF_TURN[endOfTurn.reason] ?? endOfTurn.reason}${probability}`;
}

export function LatencyPanel() {
  const turns = useTimings((s) => s.turns);
  const completed = useMemo(() => turns.filter((t) => t.marks.turnEnd !== undefined), [turns]);
  const last = completed[completed.length - 1];
  const lastDurations = useMemo(() => (last ? deriveDurations(last) : undefined), [last]);
  const medians = useMemo(() => sessionMedians(completed), [completed]);
  const sessionEager = useMemo(() => eagerTotals(completed), [completed]);
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
        {last.endOfTurn && (
          <>
            <dt>Turn ended by</dt>
            <dd data-testid="latency-endOfTurn">{endOfTurnText(last.endOfTurn)}</dd>
          </>
        )}
        {last.eager && (
          <>
            <dt>Eager replies</dt>
            <dd data-testid="latency-eager">{eagerText(last.eager)}</dd>
          </>
        )}
        {ENGINE_ROWS.filter(({ stage }) => last.models[stage]).map(({ stage, label }) => (
          <div key={stage} style={{ display: 'contents' }}>
            <dt>{label}</dt>
            <dd data-testid={`latency-model-${stage}`}>
              {browserEngineLabel(last.models[stage]!) ?? last.models[stage]}
              {last.backends[stage] ? ` (${last.backends[stage]})` : ''}
            </dd>
          </div>
        ))}
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
        {sessionEager && (
          <>
            <dt>Eager replies (all turns)</dt>
            <dd data-testid="median-eager">{eagerText(sessionEager)}</dd>
          </>
        )}
      </dl>
    </section>
  );
}
