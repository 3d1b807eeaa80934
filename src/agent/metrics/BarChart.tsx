import type { BarRow } from './summary-views.ts';

const WIDTH = 480;
const ROW = 38;
const BAR = 14;

/** Horizontal bars, each under its label, the value at the end of the bar. */
export function BarChart({ rows, labelledBy }: { rows: readonly BarRow[]; labelledBy: string }) {
  const max = Math.max(1e-9, ...rows.map((r) => r.value));
  const valueSpace = 110;
  return (
    <svg className="metrics-chart" viewBox={`0 0 ${WIDTH} ${rows.length * ROW + 4}`} role="img" aria-labelledby={labelledBy}>
      {rows.map((row, i) => {
        const y = i * ROW;
        const width = Math.max(row.value > 0 ? 2 : 0, (row.value / max) * (WIDTH - valueSpace));
        return (
          <g key={row.label}>
            <text x={0} y={y + 13} className="metrics-bar-label">
              {row.label}
            </text>
            <rect x={0} y={y + 18} width={width} height={BAR} rx={3} className="metrics-bar" />
            <text x={width + 6} y={y + 30} className="metrics-bar-value">
              {row.text}
            </text>
          </g>
        );
      })}
    </svg>
  );
}

/** The table alternative for a bar chart. */
export function BarTable({ rows, columns }: { rows: readonly BarRow[]; columns: [string, string] }) {
  return (
    <table className="metrics-table">
      <thead>
        <tr>
          <th scope="col">{columns[0]}</th>
          <th scope="col">{columns[1]}</th>
        </tr>
      </thead>
      <tbody>
        {rows.map((row) => (
          <tr key={row.label}>
            <th scope="row">{row.label}</th>
            <td>{row.text}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
