import { useTimings } from '../../stores/timing-store.ts';
import { LatencyPanel } from './LatencyPanel.tsx';
import { TurnChart } from './TurnChart.tsx';

/** The Details drawer: how long the session's turns took, as a chart and as numbers. */
export function DetailsPanel() {
  const anyTurn = useTimings((s) => s.turns.some((turn) => turn.marks.turnEnd !== undefined));
  if (!anyTurn) return <p className="muted">After the first reply, this shows how long each step of every turn took.</p>;
  return (
    <div className="details">
      <TurnChart />
      <LatencyPanel />
    </div>
  );
}
