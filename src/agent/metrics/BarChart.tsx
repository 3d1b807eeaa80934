import type { BarRow } from './summary-views.ts';

/**
 * Horizontal bars, each under its label with its value beside it. Drawn with HTML boxes rather
 * than SVG so the text keeps the page's size at any width; the figure's table carries the
 * numbers for assistive technology, so the drawing is one image to it.
 */
export function BarChart({ rows, labelledBy }: { rows: readonly BarRow[]; labelledBy: string }) {
  const max = Math.max(1e-9, ...rows.map((r) => r.value));
  return (
    <div className="metrics-bars" role="img" aria-labelledby={labelledBy}>
      {rows.map((row) => (
        <div key={row.label} className="metrics-bar-row">
          <span className="metrics-bar-label">{row.label}</span>
          <span className="metrics-bar-track">
            <span className="metrics-bar-area">
              <span className="metrics-bar" style={{ width: `${row.value > 0 ? Math.max(0.5, (row.value / max) * 100) : 0}%` }} />
            </span>
            <span className="metrics-bar-value">{row.text}</span>
          </span>
        </div>
      ))}
    </div>
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
