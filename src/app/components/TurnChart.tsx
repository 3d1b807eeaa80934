import { useMemo } from 'react';
import { deriveDurations, type DurationName } from '../../metrics/turn-timing.ts';
import { useTimings } from '../../stores/timing-store.ts';

/** The stages that add up to voice to voice, in the order they happen, with their colours. */
export const CHART_STAGES: { name: DurationName; label: string; colour: string }[] = [
  { name: 'endpointing', label: 'Waiting for the end of your turn', colour: '#8a6fd1' },
  { name: 'asr', label: 'Speech recognition', colour: '#2f8f9d' },
  { name: 'llmTtft', label: 'First token', colour: '#d08a2c' },
  { name: 'firstSentence', label: 'First sentence', colour: '#c9574f' },
  { name: 'ttsFirstAudio', label: 'Speech synthesis', colour: '#4f7fd0' },
  { name: 'playout', label: 'To the speaker', colour: '#7c8598' },
];

/** The last turns shown; older ones scroll out of the chart (the medians keep them). */
const MAX_TURNS = 12;
const BAR_HEIGHT = 14;
const GAP = 6;
const LABEL_WIDTH = 34;
const WIDTH = 320;

/**
 * The session's turns as stacked bars, one per turn, from the user's last word (or the typed
 * message) to the first sound of the reply: where each turn's wait went, at a glance. The
 * numbers are in the table below it (and in each bar's title).
 */
export function TurnChart() {
  const turns = useTimings((s) => s.turns);
  const bars = useMemo(() => {
    const completed = turns.filter((turn) => turn.marks.turnEnd !== undefined);
    // Numbered as the session counts them, so "#7" stays #7 when older turns scroll out.
    return completed.slice(-MAX_TURNS).map((turn, row, shown) => ({ number: completed.length - shown.length + row + 1, durations: deriveDurations(turn) }));
  }, [turns]);
  if (bars.length === 0) return null;
  const totals = bars.map(({ durations }) => CHART_STAGES.reduce((sum, stage) => sum + (durations[stage.name] ?? 0), 0));
  const longest = Math.max(1, ...totals);
  const scale = (WIDTH - LABEL_WIDTH - 50) / longest;
  const height = bars.length * (BAR_HEIGHT + GAP);

  return (
    <figure className="turn-chart" aria-labelledby="turn-chart-title">
      <figcaption id="turn-chart-title">Where each turn's wait went (last {bars.length} turns, ms)</figcaption>
      <svg viewBox={`0 0 ${WIDTH} ${height}`} width="100%" role="img" aria-label={`Stacked bars of ${bars.length} turns; the table below has the numbers.`} data-testid="turn-chart">
        {bars.map(({ number, durations }, row) => {
          let x = LABEL_WIDTH;
          const y = row * (BAR_HEIGHT + GAP);
          return (
            <g key={number}>
              <text x={0} y={y + BAR_HEIGHT - 3} className="turn-chart-label">
                #{number}
              </text>
              {CHART_STAGES.map((stage) => {
                const value = durations[stage.name];
                if (!value || value <= 0) return null;
                const width = value * scale;
                const rect = (
                  <rect key={stage.name} x={x} y={y} width={width} height={BAR_HEIGHT} fill={stage.colour}>
                    <title>{`${stage.label}: ${Math.round(value)} ms`}</title>
                  </rect>
                );
                x += width;
                return rect;
              })}
              <text x={x + 4} y={y + BAR_HEIGHT - 3} className="turn-chart-label">
                {Math.round(totals[row]!)}
              </text>
            </g>
          );
        })}
      </svg>
      <ul className="turn-chart-legend">
        {CHART_STAGES.map((stage) => (
          <li key={stage.name}>
            <span className="swatch" style={{ background: stage.colour }} aria-hidden="true" />
            {stage.label}
          </li>
        ))}
      </ul>
    </figure>
  );
}
