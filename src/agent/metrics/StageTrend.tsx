import { useId, useState } from 'react';
import type { MetricsSummary } from '../../protocol/metrics.ts';
import { ChartFigure, EmptyChart } from './ChartFigure.tsx';
import { Legend, LineChart, type Line } from './LineChart.tsx';
import { formatMs, groupKey, groupLabel, groupsOf, latencyStages, seriesFor, stageLabel } from './summary-views.ts';

const PERCENTILES = [
  { key: 'p50', name: 'p50 (median)', className: 'metrics-line-p50' },
  { key: 'p95', name: 'p95', className: 'metrics-line-p95' },
  { key: 'p99', name: 'p99', className: 'metrics-line-p99' },
] as const;

/** One stage's p50/p95/p99 over time, for one model and backend at a time. */
export function StageTrend({ summary }: { summary: MetricsSummary }) {
  const stages = latencyStages(summary);
  const [chosenStage, setStage] = useState<string>();
  const stage = chosenStage && stages.includes(chosenStage) ? chosenStage : stages[0];
  const groups = stage ? groupsOf(summary, stage) : [];
  const [chosenGroup, setGroup] = useState<string>();
  const group = groups.find((g) => groupKey(g) === chosenGroup) ?? groups[0];
  const id = useId().replace(/:/g, '');

  if (!stage || !group) {
    return (
      <ChartFigure id="stage-trend" title="Latency per stage over time" table={null}>
        <EmptyChart>No turns in this window yet.</EmptyChart>
      </ChartFigure>
    );
  }
  const points = seriesFor(summary, stage, groupKey(group));
  const lines: Line[] = PERCENTILES.map((p) => ({ name: p.name, className: p.className, points: points.map((pt) => ({ x: pt.start, y: pt[p.key] })) }));
  const title = `${stageLabel(stage)} over time — ${groupLabel(group)}`;

  return (
    <section className="metrics-section" aria-labelledby={`${id}-heading`}>
      <h3 id={`${id}-heading`}>Latency per stage over time</h3>
      <div className="metrics-controls">
        <label>
          Stage
          <select value={stage} onChange={(e) => setStage(e.target.value)}>
            {stages.map((s) => (
              <option key={s} value={s}>
                {stageLabel(s)}
              </option>
            ))}
          </select>
        </label>
        <label>
          Model and backend
          <select value={groupKey(group)} onChange={(e) => setGroup(e.target.value)}>
            {groups.map((g) => (
              <option key={groupKey(g)} value={groupKey(g)}>
                {groupLabel(g)} ({g.count} turns)
              </option>
            ))}
          </select>
        </label>
      </div>
      <ChartFigure
        id="stage-trend"
        title={title}
        note={`p50 ${formatMs(group.p50)}, p95 ${formatMs(group.p95)}, p99 ${formatMs(group.p99)} over the window (${group.count} turns).`}
        table={
          <table className="metrics-table">
            <thead>
              <tr>
                <th scope="col">From</th>
                <th scope="col">Turns</th>
                <th scope="col">p50</th>
                <th scope="col">p95</th>
                <th scope="col">p99</th>
              </tr>
            </thead>
            <tbody>
              {points.map((p) => (
                <tr key={p.start.getTime()}>
                  <th scope="row">{p.start.toLocaleString()}</th>
                  <td>{p.count}</td>
                  <td>{formatMs(p.p50)}</td>
                  <td>{formatMs(p.p95)}</td>
                  <td>{formatMs(p.p99)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        }
      >
        <LineChart lines={lines} from={new Date(summary.from)} to={new Date(summary.to)} labelledBy="stage-trend-caption" />
        <Legend lines={lines} />
      </ChartFigure>
    </section>
  );
}
