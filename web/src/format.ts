// Formatters are made once: toLocaleString() with options builds a new one per call, which is slow
// in tables of hundreds of rows.
const INT = new Intl.NumberFormat('en-US', { maximumFractionDigits: 0 });
const DATE_TIME = new Intl.DateTimeFormat('en-GB', { year: 'numeric', month: 'short', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit' });
const CLOCK = new Intl.DateTimeFormat('en-GB', { hour: '2-digit', minute: '2-digit', second: '2-digit' });

export function fmtInt(n: number | null | undefined): string {
  if (n === null || n === undefined || Number.isNaN(n)) return '–';
  return INT.format(Math.round(n));
}

export function fmtCost(n: number | null | undefined): string {
  if (n === null || n === undefined || Number.isNaN(n)) return '–';
  if (n === 0) return '$0';
  if (Math.abs(n) < 0.01) return '$' + n.toFixed(4);
  return '$' + n.toFixed(2);
}

export function fmtMs(ms: number | null | undefined): string {
  if (ms === null || ms === undefined || Number.isNaN(ms)) return '–';
  if (ms < 1) return ms.toFixed(2) + ' ms';
  if (ms < 1000) return Math.round(ms) + ' ms';
  if (ms < 60000) return (ms / 1000).toFixed(1) + ' s';
  const m = Math.floor(ms / 60000);
  return `${m} min ${Math.round((ms % 60000) / 1000)} s`;
}

export function fmtSigned(n: number, f: (x: number) => string = fmtInt): string {
  if (n === 0) return '±0';
  return (n > 0 ? '+' : '−') + f(Math.abs(n));
}

export function toDate(t: string | number | null | undefined): Date | null {
  if (t === null || t === undefined || t === '') return null;
  const d = new Date(t);
  return Number.isNaN(d.getTime()) ? null : d;
}

export function fmtTime(t: string | number | null | undefined): string {
  const d = toDate(t);
  if (!d) return '–';
  return DATE_TIME.format(d);
}

export function fmtClock(t: string | number | null | undefined): string {
  const d = toDate(t);
  if (!d) return '–';
  return CLOCK.format(d);
}

/** "3 min ago", for recent times; else the date. */
export function fmtAgo(t: string | number | null | undefined, now = Date.now()): string {
  const d = toDate(t);
  if (!d) return '–';
  const s = Math.round((now - d.getTime()) / 1000);
  if (s < 5) return 'just now';
  if (s < 60) return `${s} s ago`;
  if (s < 3600) return `${Math.floor(s / 60)} min ago`;
  if (s < 86400) return `${Math.floor(s / 3600)} h ago`;
  return fmtTime(t);
}

export function duration(a: string | number | null | undefined, b: string | number | null | undefined): number | null {
  const x = toDate(a);
  const y = toDate(b);
  if (!x || !y) return null;
  return y.getTime() - x.getTime();
}

/** "BUILD#1/implement/cli" → { stage: "BUILD", visit: 1, task: "implement", sub: "cli" } */
export function parseStep(step: string): { stage: string; visit: number; task: string; sub: string } {
  const [head, task = '', ...rest] = step.split('/');
  const [stage, visit] = head.split('#');
  return { stage, visit: Number(visit ?? 0) || 0, task, sub: rest.join('/') };
}
