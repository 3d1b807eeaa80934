import type { ReactNode } from 'react';

/**
 * A chart as a figure: a caption that names it, the drawing (labelled by the caption), and the
 * same numbers as a table for screen readers, keyboard users and anyone who wants exact values.
 */
export function ChartFigure({ id, title, note, table, children }: { id: string; title: string; note?: ReactNode; table: ReactNode; children: ReactNode }) {
  return (
    <figure className="metrics-figure" aria-labelledby={`${id}-caption`} data-testid={`chart-${id}`}>
      <figcaption id={`${id}-caption`}>
        <span className="metrics-figure-title">{title}</span>
        {note && <span className="metrics-figure-note"> {note}</span>}
      </figcaption>
      {children}
      {table && (
        <details>
          <summary>Show as a table</summary>
          {table}
        </details>
      )}
    </figure>
  );
}

export function EmptyChart({ children }: { children: ReactNode }) {
  return <p className="metrics-empty">{children}</p>;
}
