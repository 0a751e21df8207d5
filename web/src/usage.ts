import type { Series } from './components/Chart';
import type { LlmCall } from './types';

/** Running totals over time of `metric`, one series per group. */
export function cumulativeSeries(calls: LlmCall[], group: (c: LlmCall) => string, metric: (c: LlmCall) => number): Series[] {
  const sorted = [...calls].sort((a, b) => Date.parse(a.timestamp) - Date.parse(b.timestamp) || a.id - b.id);
  const by = new Map<string, Series>();
  for (const c of sorted) {
    const k = group(c) || '?';
    let s = by.get(k);
    if (!s) by.set(k, (s = { name: k, points: [] }));
    const prev = s.points.length ? s.points[s.points.length - 1].v : 0;
    s.points.push({ t: Date.parse(c.timestamp), v: prev + metric(c) });
  }
  return [...by.values()].sort((a, b) => (b.points.at(-1)?.v ?? 0) - (a.points.at(-1)?.v ?? 0));
}

export function totals(calls: LlmCall[], group: (c: LlmCall) => string, metric: (c: LlmCall) => number): { name: string; v: number }[] {
  const m = new Map<string, number>();
  for (const c of calls) m.set(group(c) || '?', (m.get(group(c) || '?') ?? 0) + metric(c));
  return [...m.entries()].map(([name, v]) => ({ name, v })).sort((a, b) => b.v - a.v);
}
