import { BarChart, BarTable } from './BarChart.tsx';
import { ChartFigure, EmptyChart } from './ChartFigure.tsx';
import type { BarRow } from './summary-views.ts';

/** A captioned bar chart with its table, or a line saying there is nothing to draw. */
export function BarFigure(props: { id: string; title: string; note?: string; rows: readonly BarRow[]; columns: [string, string]; empty: string }) {
  const { id, title, note, rows, columns, empty } = props;
  return (
    <ChartFigure id={id} title={title} note={note} table={rows.length > 0 ? <BarTable rows={rows} columns={columns} /> : null}>
      {rows.length > 0 ? <BarChart rows={rows} labelledBy={`${id}-caption`} /> : <EmptyChart>{empty}</EmptyChart>}
    </ChartFigure>
  );
}
