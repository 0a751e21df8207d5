// Prints bench/gateway's table from run.sh's results (one JSON object per
// line: one per target, then the memory line), with codecrew's and Portkey's
// added latency over calling the upstream directly, and the ratios; then, when
// nginx or haproxy were measured, what those plain reverse proxies add, the
// least a proxy adds on this machine, beside codecrew's figure.
// With BENCH_ROUNDS above 1 a target has a line per round: its figures are
// the medians over the rounds (counts are summed). With codecrew-before or
// codecrew-tracing measured (BENCH_CODECREW_BEFORE, BENCH_TRACING), a table of
// the codecrew variants side by side follows (variants.mjs).
//   node report.mjs results.jsonl portkey-stream.txt portkey-stderr.log
import { readFileSync } from 'node:fs';
import { mergeRounds, printVariants } from './variants.mjs';

const [resultsPath, portkeyStreamPath, portkeyLogPath] = process.argv.slice(2);
const lines = readFileSync(resultsPath, 'utf8').trim().split('\n').map((l) => JSON.parse(l));
const targetLines = lines.filter((l) => l.target);
const byTarget = Object.fromEntries(
  [...new Set(targetLines.map((l) => l.target))].map((t) => [t, mergeRounds(targetLines.filter((l) => l.target === t))]),
);
const meta = lines.find((l) => l.memory);
const { direct, codecrew, portkey } = byTarget;
const references = ['nginx', 'haproxy'].filter((name) => byTarget[name]);

const ms = (us) => (us === undefined ? 'n/a' : (us / 1000).toFixed(3));
const added = (t, pick) => {
  const a = pick(t);
  const b = pick(direct);
  return a === undefined || b === undefined ? undefined : a - b;
};
const ratio = (x, y) => (x === undefined || y === undefined || y <= 0 ? 'n/a' : `${(x / y).toFixed(1)}x`);
// kind: 'stream' (the upstream writes the whole answer in one burst) or
// 'paced' (its events meta.token_gap_ms apart, as a model's tokens come).
const streamOk = (t, kind = 'stream') => t[kind].ok > 0 && t[kind].errors === 0 && t[kind].ttft_us;
const streamed = (kind, field, pct) => (t) => (streamOk(t, kind) ? t[kind][field][pct] : undefined);
const gap = `${meta.token_gap_ms} ms`;

const metrics = [
  ['fixed-rate p50 latency (ms)', (t) => t.fixed.latency_us?.p50],
  ['fixed-rate p99 latency (ms)', (t) => t.fixed.latency_us?.p99],
  ['burst stream: first text p50 (ms)', streamed('stream', 'ttft_us', 'p50')],
  ['burst stream: first text p99 (ms)', streamed('stream', 'ttft_us', 'p99')],
  ['burst stream: total time p50 (ms)', streamed('stream', 'latency_us', 'p50')],
  ['burst stream: total time p99 (ms)', streamed('stream', 'latency_us', 'p99')],
  [`stream, tokens ${gap} apart: first text p50 (ms)`, streamed('paced', 'ttft_us', 'p50')],
  [`stream, tokens ${gap} apart: first text p99 (ms)`, streamed('paced', 'ttft_us', 'p99')],
  [`stream, tokens ${gap} apart: total time p50 (ms)`, streamed('paced', 'latency_us', 'p50')],
];

const printTable = (table) => {
  const widths = table[0].map((_, i) => Math.max(...table.map((r) => String(r[i]).length)));
  const print = (r) => console.log(`| ${r.map((c, i) => String(c).padEnd(widths[i])).join(' | ')} |`);
  print(table[0]);
  console.log(`|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`);
  table.slice(1).forEach(print);
};
const rps = (t) => t.max.rps;
const counts = (t) => `${t.fixed.ok}/${t.fixed.errors}, ${t.stream.ok}/${t.stream.errors}, ` +
  `${t.paced.ok}/${t.paced.errors}, ${t.max.non2xx}`;
const countsTitle = 'requests ok/errors (fixed, burst, paced, wrk non-2xx)';
const roundsNote = meta.rounds > 1 ? ` Medians over ${meta.rounds} rounds.` : '';

if (portkey) {
  const rows = [];
  rows.push(['', 'direct', 'codecrew', 'portkey', 'codecrew added', 'portkey added', 'portkey/codecrew added']);
  for (const [name, pick] of metrics) {
    const ca = added(codecrew, pick);
    const pa = added(portkey, pick);
    rows.push([name, ms(pick(direct)), ms(pick(codecrew)), ms(pick(portkey)), ms(ca), ms(pa),
      ratio(pa, Math.max(ca ?? 0, 1))]);
  }
  rows.push(['max throughput (req/s, wrk -c64)', rps(direct).toFixed(0), rps(codecrew).toFixed(0), rps(portkey).toFixed(0),
    `${ratio(rps(codecrew), rps(direct))} of direct`, `${ratio(rps(portkey), rps(direct))} of direct`,
    `codecrew/portkey ${ratio(rps(codecrew), rps(portkey))}`]);
  rows.push([countsTitle, ...[direct, codecrew, portkey].map(counts),
    '', '', '']);
  printTable(rows);

  console.log(`\nfixed rate ${meta.rate} req/s (streams ${meta.stream_rate} req/s), ${meta.seconds} s per phase; ` +
    'latency from each request\'s scheduled time; "added" is the difference from direct; ' +
    'a burst stream\'s events are written back to back, so a proxy\'s first text waits for it to work through ' +
    `the burst it has read; in a paced stream they come ${gap} apart, as a model's tokens do; ` +
    'the ratio column divides Portkey\'s added time by codecrew\'s (codecrew\'s floored at 1 us).' + roundsNote);
}
const m = meta.memory;
console.log(`codecrew RSS: ${m.start_kb} kB after start, ${m.before_kb} kB before the saturated run, ` +
  `${m.after_kb} kB after it${m.soak_kb.length ? `; soak samples (10 s apart): ${m.soak_kb.join(', ')} kB` : ''}`);

if (references.length) {
  // Reference proxies: what forwarding alone costs here, with no gateway work.
  const refs = references.map((name) => byTarget[name]);
  const table = [['reference proxies', ...references, ...references.map((n) => `${n} added`), 'codecrew added',
    ...references.map((n) => `codecrew/${n} added`)]];
  for (const [name, pick] of metrics) {
    const ca = added(codecrew, pick);
    const ra = refs.map((t) => added(t, pick));
    table.push([name, ...refs.map((t) => ms(pick(t))), ...ra.map(ms), ms(ca),
      ...ra.map((a) => ratio(ca, a !== undefined && a > 0 ? a : undefined))]);
  }
  table.push(['max throughput (req/s, wrk -c64)', ...refs.map((t) => rps(t).toFixed(0)),
    ...refs.map((t) => `${ratio(rps(t), rps(direct))} of direct`), `${ratio(rps(codecrew), rps(direct))} of direct`,
    ...refs.map((t) => `${ratio(rps(codecrew), rps(t))} of throughput`)]);
  table.push([countsTitle, ...refs.map(counts),
    ...refs.map(() => ''), '', ...refs.map(() => '')]);
  console.log('');
  printTable(table);
  console.log('nginx and haproxy run as plain reverse proxies to the same upstream (2 workers, kept-alive ' +
    'upstream connections, no buffering): no API key, no body parsing, no routing, no records.');
} else if (portkey) {
  console.log('\nnginx and haproxy are not installed, so the reference-proxy table is left out ' +
    '(apt-get install nginx-light haproxy to measure what a plain reverse proxy adds on this machine).');
}

printVariants(targetLines, meta, { metrics, printTable, ms, counts, countsTitle });

if (portkey && (!streamOk(portkey) || !streamOk(portkey, 'paced'))) {
  const probe = readFileSync(portkeyStreamPath, 'utf8').slice(0, 400);
  console.log(`\nPortkey streaming was not measured: ${portkey.stream.ok} ok, ${portkey.stream.errors} failed ` +
    `(burst), ${portkey.paced.ok} ok, ${portkey.paced.errors} failed (paced) ` +
    `(no text chunk seen). One streamed answer from it began:\n${probe || '(nothing)'}`);
  const log = portkeyLogPath ? readFileSync(portkeyLogPath, 'utf8').split('\n') : [];
  const why = log.findIndex((l) => /Error/.test(l));
  if (why >= 0) console.log(`Portkey's log says:\n${log.slice(why, why + 4).join('\n')}`);
}
