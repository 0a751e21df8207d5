// Small hand-drawn SVG charts: cumulative lines over time, and bars.
import { fmtClock } from '../format';

export interface Series {
  name: string;
  points: { t: number; v: number }[];
}

const COLORS = ['#2457c5', '#d9480f', '#2b8a3e', '#862e9c', '#e67700', '#0b7285', '#c2255c', '#5c940d', '#495057', '#1864ab'];
export const colorOf = (i: number) => COLORS[i % COLORS.length];

/** Stable colours by name, so one model or agent has one colour in every chart. */
export function palette(names: string[]): (name: string, i: number) => string {
  const sorted = [...new Set(names)].sort();
  return (name) => colorOf(Math.max(0, sorted.indexOf(name)));
}

function niceMax(v: number): number {
  if (v <= 0) return 1;
  const p = Math.pow(10, Math.floor(Math.log10(v)));
  for (const m of [1, 2, 2.5, 5, 10]) if (m * p >= v) return m * p;
  return 10 * p;
}

export function LineChart({ series, format, label, height = 240, color = (_n: string, i: number) => colorOf(i) }: { series: Series[]; format: (v: number) => string; label: string; height?: number; color?: (name: string, i: number) => string }) {
  const W = 720, H = height, L = 64, R = 12, T = 12, B = 28;
  const all = series.flatMap((s) => s.points);
  if (all.length === 0) return null;
  let t0 = Math.min(...all.map((p) => p.t));
  let t1 = Math.max(...all.map((p) => p.t));
  if (t1 === t0) {
    t0 -= 1000;
    t1 += 1000;
  }
  const vmax = niceMax(Math.max(...all.map((p) => p.v)));
  const x = (t: number) => L + ((t - t0) / (t1 - t0)) * (W - L - R);
  const y = (v: number) => T + (1 - v / vmax) * (H - T - B);
  const ticks = [0, 0.25, 0.5, 0.75, 1].map((f) => f * vmax);
  const tticks = [0, 0.5, 1].map((f) => t0 + f * (t1 - t0));
  return (
    <figure className="chart">
      <svg viewBox={`0 0 ${W} ${H}`} role="img" aria-label={label} preserveAspectRatio="xMidYMid meet">
        {ticks.map((v) => (
          <g key={v}>
            <line x1={L} x2={W - R} y1={y(v)} y2={y(v)} className="grid" />
            <text x={L - 6} y={y(v) + 4} textAnchor="end" className="axis">
              {format(v)}
            </text>
          </g>
        ))}
        {tticks.map((t, i) => (
          <text key={t} x={x(t)} y={H - 8} textAnchor={i === 0 ? 'start' : i === 2 ? 'end' : 'middle'} className="axis">
            {fmtClock(t)}
          </text>
        ))}
        {series.map((s, i) => {
          // a step line: the running total holds until the next call
          let d = '';
          s.points.forEach((p, j) => {
            d += j === 0 ? `M${x(p.t)},${y(0)} L${x(p.t)},${y(p.v)}` : ` H${x(p.t)} V${y(p.v)}`;
          });
          if (s.points.length) d += ` H${x(t1)}`;
          return <path key={s.name} d={d} fill="none" stroke={color(s.name, i)} strokeWidth={2} data-testid="chart-line" />;
        })}
      </svg>
      <figcaption className="legend">
        {series.map((s, i) => (
          <span key={s.name}>
            <span className="swatch" style={{ background: color(s.name, i) }} /> {s.name}: {format(s.points.length ? s.points[s.points.length - 1].v : 0)}
          </span>
        ))}
      </figcaption>
    </figure>
  );
}

export function BarChart({ data, format, label, color = (_n: string, i: number) => colorOf(i) }: { data: { name: string; v: number }[]; format: (v: number) => string; label: string; color?: (name: string, i: number) => string }) {
  const max = niceMax(Math.max(0, ...data.map((d) => d.v)));
  return (
    <div className="bars" role="img" aria-label={label}>
      {data.map((d, i) => (
        <div className="bar-row" key={d.name}>
          <span className="bar-name">{d.name}</span>
          <span className="bar-track">
            <span className="bar" style={{ width: `${(d.v / max) * 100}%`, background: color(d.name, i) }} />
          </span>
          <span className="bar-value">{format(d.v)}</span>
        </div>
      ))}
    </div>
  );
}
