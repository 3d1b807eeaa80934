import { formatMs } from './summary-views.ts';

export interface Line {
  name: string;
  /** A CSS class giving colour and dash pattern: lines differ by more than colour. */
  className: string;
  points: readonly { x: Date; y: number }[];
}

const W = 640;
const H = 260;
const M = { top: 12, right: 16, bottom: 30, left: 62 };

/** 1, 2 or 5 times a power of ten: axis ticks people can read. */
function niceStep(range: number, ticks: number): number {
  const raw = range / ticks;
  const power = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 5, 10].map((m) => m * power).find((s) => s >= raw);
  return step ?? 10 * power;
}

function timeLabel(t: Date, spanMs: number): string {
  return spanMs <= 2 * 24 * 3600_000
    ? t.toLocaleTimeString(undefined, { hour: '2-digit', minute: '2-digit' })
    : t.toLocaleDateString(undefined, { month: 'short', day: 'numeric' });
}

/** Lines over a time axis, values in ms. Each point has a tooltip with its exact value. */
export function LineChart({ lines, from, to, labelledBy }: { lines: readonly Line[]; from: Date; to: Date; labelledBy: string }) {
  const all = lines.flatMap((l) => l.points.map((p) => p.y));
  const step = niceStep(Math.max(1, ...all), 4);
  const yMax = step * Math.max(1, Math.ceil(Math.max(1, ...all) / step));
  const span = Math.max(1, to.getTime() - from.getTime());
  const x = (t: Date) => M.left + ((t.getTime() - from.getTime()) / span) * (W - M.left - M.right);
  const y = (v: number) => H - M.bottom - (v / yMax) * (H - M.top - M.bottom);
  const yTicks = Array.from({ length: Math.round(yMax / step) + 1 }, (_, i) => i * step);
  const xTicks = Array.from({ length: 5 }, (_, i) => new Date(from.getTime() + (span * i) / 4));

  return (
    <svg className="metrics-chart metrics-chart-line" viewBox={`0 0 ${W} ${H}`} role="img" aria-labelledby={labelledBy}>
      {yTicks.map((v) => (
        <g key={v} className="metrics-grid">
          <line x1={M.left} x2={W - M.right} y1={y(v)} y2={y(v)} />
          <text x={M.left - 6} y={y(v) + 4} textAnchor="end">
            {formatMs(v)}
          </text>
        </g>
      ))}
      {xTicks.map((t, i) => (
        <text key={i} className="metrics-axis" x={x(t)} y={H - 8} textAnchor={i === 0 ? 'start' : i === 4 ? 'end' : 'middle'}>
          {timeLabel(t, span)}
        </text>
      ))}
      {lines.map((line) => (
        <g key={line.name} className={line.className}>
          {line.points.length > 1 && <polyline fill="none" points={line.points.map((p) => `${x(p.x)},${y(p.y)}`).join(' ')} />}
          {line.points.map((p) => (
            <circle key={p.x.getTime()} cx={x(p.x)} cy={y(p.y)} r={3}>
              <title>{`${line.name} ${formatMs(p.y)} at ${p.x.toLocaleString()}`}</title>
            </circle>
          ))}
        </g>
      ))}
    </svg>
  );
}

export function Legend({ lines }: { lines: readonly Pick<Line, 'name' | 'className'>[] }) {
  return (
    <ul className="metrics-legend" aria-hidden="true">
      {lines.map((line) => (
        <li key={line.name}>
          <svg width="28" height="10" className={line.className}>
            <line x1="0" x2="28" y1="5" y2="5" />
          </svg>
          {line.name}
        </li>
      ))}
    </ul>
  );
}
