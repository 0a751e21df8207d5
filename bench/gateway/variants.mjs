// bench/gateway's report of the codecrew variants (report.mjs): this build
// ("codecrew", tracing off), an older build ("codecrew-before",
// BENCH_CODECREW_BEFORE) and this build with tracing on ("codecrew-tracing",
// BENCH_TRACING=1), side by side. Added latency is taken per round (the
// variant's figure less direct's in the same round) and its median over the
// rounds printed; throughput and RSS are medians over the rounds. Ratios
// divide one variant's added latency (or throughput) by another's.

const median = (xs) => {
  const s = xs.filter((x) => x !== undefined && Number.isFinite(x)).sort((a, b) => a - b);
  if (!s.length) return undefined;
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};

// Counts add up over the rounds; every other number is the median.
const COUNTS = new Set(['sent', 'ok', 'errors', 'non2xx', 'requests']);

// One target's lines (a line per round) merged into one of the same shape.
export function mergeRounds(group) {
  if (group.length === 1) return group[0];
  const merge = (values, key) => {
    const first = values.find((v) => v !== undefined);
    if (typeof first === 'number') {
      const nums = values.filter((v) => typeof v === 'number');
      return COUNTS.has(key) ? nums.reduce((a, b) => a + b, 0) : median(nums);
    }
    if (first && typeof first === 'object' && !Array.isArray(first)) {
      const keys = [...new Set(values.flatMap((v) => (v && typeof v === 'object' ? Object.keys(v) : [])))];
      return Object.fromEntries(keys.map((k) => [k, merge(values.map((v) => v?.[k]), k)]));
    }
    return first;
  };
  return merge(group, '');
}

const VARIANTS = ['codecrew-before', 'codecrew', 'codecrew-tracing'];
const RATIOS = [
  ['codecrew', 'codecrew-before', 'codecrew/before'],
  ['codecrew-tracing', 'codecrew', 'tracing/codecrew'],
  ['codecrew-tracing', 'codecrew-before', 'tracing/before'],
];

export function printVariants(lines, meta, { metrics, printTable, ms, counts, countsTitle }) {
  const present = VARIANTS.filter((v) => lines.some((l) => l.target === v));
  // Portkey's table already shows codecrew alone; without it (BENCH_PEERS=0), this is the only table.
  if (!present.length || (present.length < 2 && lines.some((l) => l.target === 'portkey'))) return;
  const rounds = [...new Set(lines.map((l) => l.round ?? 1))].sort((a, b) => a - b);
  const at = (target, round) => lines.find((l) => l.target === target && (l.round ?? 1) === round);
  // The median over the rounds of a variant's figure less direct's in the same round.
  const addedPerRound = (target, pick) =>
    rounds.map((r) => {
      const a = at(target, r);
      const d = at('direct', r);
      const x = a && pick(a);
      const y = d && pick(d);
      return x === undefined || y === undefined ? undefined : x - y;
    });
  const added = (target, pick) => median(addedPerRound(target, pick));
  const medianOf = (target, pick) => median(rounds.map((r) => at(target, r)).filter(Boolean).map(pick));
  const ratio = (x, y) => (x === undefined || y === undefined || x <= 0 || y <= 0 ? 'n/a' : `${(x / y).toFixed(2)}x`);
  const ratios = RATIOS.filter(([a, b]) => present.includes(a) && present.includes(b));

  const table = [['codecrew variants', 'direct', ...present.map((v) => `${v} added`), ...ratios.map(([, , n]) => n)]];
  for (const [name, pick] of metrics) {
    const values = Object.fromEntries(present.map((v) => [v, added(v, pick)]));
    table.push([name, ms(medianOf('direct', pick)), ...present.map((v) => ms(values[v])),
      ...ratios.map(([a, b]) => ratio(values[a], values[b]))]);
  }
  const rps = (t) => t.max.rps;
  const thr = Object.fromEntries(['direct', ...present].map((v) => [v, medianOf(v, rps)]));
  table.push(['max throughput (req/s, wrk -c64)', thr.direct.toFixed(0), ...present.map((v) => thr[v].toFixed(0)),
    ...ratios.map(([a, b]) => ratio(thr[a], thr[b]))]);
  const rss = Object.fromEntries(present.map((v) => [v, medianOf(v, (t) => t.rss_kb?.after)]));
  table.push(['RSS after the saturated run (MB)', '', ...present.map((v) => (rss[v] ? (rss[v] / 1024).toFixed(1) : 'n/a')),
    ...ratios.map(([a, b]) => ratio(rss[a], rss[b]))]);
  // CPU per request of the variant's server process (and of the fake
  // collector, for codecrew-tracing) in the fixed-rate and saturated phases.
  const perRequest = (field, phase) => (t) => {
    const n = phase === 'fixed' ? t.fixed.ok + t.fixed.errors : t.max.requests;
    return t[field] && n > 0 ? (t[field][phase] * 1000) / n : undefined;
  };
  const us = (x) => (x === undefined ? 'n/a' : x.toFixed(1));
  for (const [name, field, phase] of [
    ['server CPU per request, fixed rate (us)', 'cpu_ms', 'fixed'],
    ['server CPU per request, wrk (us)', 'cpu_ms', 'max'],
    ['fake collector CPU per request, fixed rate (us)', 'collector_cpu_ms', 'fixed'],
    ['fake collector CPU per request, wrk (us)', 'collector_cpu_ms', 'max'],
  ]) {
    const v = Object.fromEntries(present.map((p) => [p, medianOf(p, perRequest(field, phase))]));
    if (present.every((p) => v[p] === undefined)) continue;
    table.push([name, '', ...present.map((p) => us(v[p])), ...ratios.map(([a, b]) => ratio(v[a], v[b]))]);
  }
  const total = (target) => mergeRounds(lines.filter((l) => l.target === target));
  table.push([`${countsTitle}, all rounds`, counts(total('direct')), ...present.map((v) => counts(total(v))),
    ...ratios.map(() => '')]);
  console.log('');
  printTable(table);
  console.log('The variants\' columns are added latency (ms) over direct, taken in each round and their median ' +
    `over ${rounds.length} round(s) printed; throughput and RSS are medians; the ratios divide the first ` +
    'variant\'s figure by the second\'s (added latency: above 1 means more added). CPU per request is ' +
    'the process\'s user and system time over the phase (10 ms ticks) divided by its requests.');

  // Each round's figures, for the spread.
  const perRound = [['round', ...present.flatMap((v) => [`${v} p50 added`, `${v} p99 added`, `${v} req/s`])]];
  const p50 = metrics[0][1];
  const p99 = metrics[1][1];
  for (const r of rounds) {
    perRound.push([r, ...present.flatMap((v) => {
      const t = at(v, r);
      const d = at('direct', r);
      if (!t || !d) return ['n/a', 'n/a', 'n/a'];
      const diff = (pick) => (pick(t) === undefined || pick(d) === undefined ? undefined : pick(t) - pick(d));
      return [ms(diff(p50)), ms(diff(p99)), rps(t).toFixed(0)];
    })]);
  }
  console.log('');
  printTable(perRound);

  if (meta.spans) {
    const s = meta.spans;
    console.log(`\ncodecrew-tracing's spans (its GET /metrics, codecrew_trace_spans_total, at the end): ` +
      `${s.exported} exported, ${s.dropped} dropped; the fake collector took ${s.received}.`);
  }
}
