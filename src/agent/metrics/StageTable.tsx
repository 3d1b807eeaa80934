import type { MetricsSummary } from '../../protocol/metrics.ts';
import { formatMs, groupLabel, groupsOf, latencyStages, stageLabel } from './summary-views.ts';

/** Every stage, model and backend in the window: the exact percentiles behind the charts. */
export function StageTable({ summary }: { summary: MetricsSummary }) {
  const rows = latencyStages(summary).flatMap((stage) => groupsOf(summary, stage));
  if (rows.length === 0) return null;
  return (
    <section className="metrics-section" aria-labelledby="stage-table-heading">
      <h3 id="stage-table-heading">Percentiles by stage, model and backend</h3>
      <div className="metrics-scroll">
        <table className="metrics-table" data-testid="stage-table">
          <thead>
            <tr>
              <th scope="col">Stage</th>
              <th scope="col">Model and backend</th>
              <th scope="col">Turns</th>
              <th scope="col">p50</th>
              <th scope="col">p95</th>
              <th scope="col">p99</th>
              <th scope="col">Mean</th>
            </tr>
          </thead>
          <tbody>
            {rows.map((row) => (
              <tr key={`${row.stage}|${row.model}|${row.backend}`} data-stage={row.stage}>
                <th scope="row">{stageLabel(row.stage)}</th>
                <td>{groupLabel(row)}</td>
                <td>{row.count}</td>
                <td>{formatMs(row.p50)}</td>
                <td>{formatMs(row.p95)}</td>
                <td>{formatMs(row.p99)}</td>
                <td>{formatMs(row.mean)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </section>
  );
}
