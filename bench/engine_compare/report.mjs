// The table of make bench-engine (run.sh) from its results.jsonl: one line
// per measurement ({phase, round, stored, system, concurrency, steps,
// seconds, steps_per_s, cpu_user_ms, cpu_sys_ms, peak_rss_kb}). Prints, per
// concurrency, the median over the rounds of each system's steps/s, CPU
// per step (user and kernel) and peak RSS, then codecrew's ratios to each
// peer; and for the stored phase, codecrew's figures per number of stored
// executions and the ratio of the largest to the smallest. With the codecrew
// variants measured (codecrew-before: an older build; codecrew-tracing: this
// build with spans exported), their ratios to each other, each round's
// figures, and the spans the tracing server exported.
//   node report.mjs results.jsonl
import { readFileSync } from "node:fs";

const rows = readFileSync(process.argv[2], "utf8").trim().split("\n").filter(Boolean).map((l) => JSON.parse(l));

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};

// Median figures of a group of measurements (the rounds of one configuration).
function summarize(group) {
  const per = (f) => median(group.map(f));
  return {
    n: group.length,
    steps: group.reduce((a, r) => a + r.steps, 0),
    steps_per_s: per((r) => r.steps_per_s),
    steps_per_s_min: Math.min(...group.map((r) => r.steps_per_s)),
    steps_per_s_max: Math.max(...group.map((r) => r.steps_per_s)),
    cpu_ms: per((r) => (r.cpu_user_ms + r.cpu_sys_ms) / r.steps),
    user_ms: per((r) => r.cpu_user_ms / r.steps),
    sys_ms: per((r) => r.cpu_sys_ms / r.steps),
    rss_mb: per((r) => r.peak_rss_kb / 1024),
  };
}

const pad = (s, n) => String(s).padEnd(n);
const lpad = (s, n) => String(s).padStart(n);
const f = (x, d = 2) => (Number.isFinite(x) ? x.toFixed(d) : "-");
// The first column's width: the longest ratio's name ("codecrew-tracing/codecrew-before") fits.
const W = rows.some((r) => r.system === "codecrew-tracing") ? 34 : 24;
const header = `${pad("system", W)}${lpad("steps/s", 10)}${lpad("(min-max)", 16)}${lpad("CPU ms/step", 13)}${lpad("user", 8)}${lpad("kernel", 8)}${lpad("peak RSS MB", 13)}${lpad("rounds", 8)}`;
const line = (name, s) =>
  `${pad(name, W)}${lpad(f(s.steps_per_s, 1), 10)}${lpad(`${f(s.steps_per_s_min, 0)}-${f(s.steps_per_s_max, 0)}`, 16)}` +
  `${lpad(f(s.cpu_ms, 3), 13)}${lpad(f(s.user_ms, 3), 8)}${lpad(f(s.sys_ms, 3), 8)}${lpad(f(s.rss_mb, 1), 13)}${lpad(s.n, 8)}`;

// Each round's steps/s and CPU ms/step of the codecrew variants (when there
// are more than one), for the spread behind the medians.
function printRounds(at, variants) {
  if (variants.length < 2) return;
  const rounds = [...new Set(at.map((r) => r.round))].sort((a, b) => a - b);
  console.log(`${pad("round", W)}${variants.map((v) => lpad(`${v} steps/s, CPU ms`, 34)).join("")}`);
  for (const n of rounds) {
    const cells = variants.map((v) => {
      const r = at.find((x) => x.round === n && x.system === v);
      return lpad(r ? `${f(r.steps_per_s, 1)}, ${f((r.cpu_user_ms + r.cpu_sys_ms) / r.steps, 3)}` : "-", 34);
    });
    console.log(`${pad(n, W)}${cells.join("")}`);
  }
}

// What the tracing server's exporter did in each measurement.
function printSpans(tracing) {
  if (!tracing.length) return;
  console.log("\ncodecrew-tracing's spans (warm-up executions included): codecrew_trace_spans_total from its GET /metrics");
  console.log("once its exporter's schedule delay had passed after the measurement, and the spans the fake collector");
  console.log("took once the server stopped; the CPU its server used in that delay (sending the last spans) is in");
  console.log("its CPU ms/step, and alone here");
  console.log(
    `${pad("round, concurrency", W)}${lpad("steps", 8)}${lpad("exported", 10)}${lpad("dropped", 9)}${lpad("collector", 11)}` +
      `${lpad("spans/step", 12)}${lpad("CPU ms after", 14)}`,
  );
  for (const r of tracing)
    console.log(
      `${pad(`${r.round}, ${r.concurrency}`, W)}${lpad(r.steps, 8)}${lpad(r.spans_exported, 10)}` +
        `${lpad(r.spans_dropped, 9)}${lpad(r.spans_received, 11)}` +
        `${lpad(f(r.spans_received / (r.steps * (r.executions + 2) / r.executions), 1), 12)}` +
        `${lpad(r.drain_cpu_user_ms + r.drain_cpu_sys_ms, 14)}`,
    );
}

const concurrencies = [...new Set(rows.map((r) => r.concurrency))].sort((a, b) => a - b);

const compare = rows.filter((r) => r.phase === "compare");
if (compare.length) {
  const executions = compare[0].executions;
  console.log(`\nEngine comparison: a 7-step pipeline, 1 model call per step, ${executions} executions per measurement (medians over rounds)`);
  for (const c of concurrencies) {
    const at = compare.filter((r) => r.concurrency === c);
    if (!at.length) continue;
    console.log(`\nconcurrency ${c}`);
    console.log(header);
    const systems = [...new Set(at.map((r) => r.system))];
    const sums = Object.fromEntries(systems.map((s) => [s, summarize(at.filter((r) => r.system === s))]));
    for (const s of systems) console.log(line(s, sums[s]));
    const ratioLine = (a, b) => {
      const x = sums[a];
      const y = sums[b];
      console.log(
        `${pad(`${a}/${b}`, W)}${lpad(`${f(x.steps_per_s / y.steps_per_s)}x`, 10)}${lpad("", 16)}` +
          `${lpad(`${f(x.cpu_ms / y.cpu_ms)}x`, 13)}${lpad("", 16)}${lpad(`${f(x.rss_mb / y.rss_mb)}x`, 13)}`,
      );
    };
    if (!sums.codecrew) continue;
    for (const peer of systems.filter((s) => s !== "codecrew" && s !== "codecrew-tracing")) ratioLine("codecrew", peer);
    if (sums["codecrew-tracing"]) {
      ratioLine("codecrew-tracing", "codecrew");
      if (sums["codecrew-before"]) ratioLine("codecrew-tracing", "codecrew-before");
    }
    printRounds(at, systems.filter((s) => s.startsWith("codecrew")));
  }
  console.log("\nsteps/s: higher is better; CPU ms/step and peak RSS: lower is better. codecrew's CPU and RSS are its");
  console.log("server process's (the API, SSE and the engine); LangGraph's are its whole node process's.");
  printSpans(compare.filter((r) => r.system === "codecrew-tracing"));
}

const stored = rows.filter((r) => r.phase === "stored");
if (stored.length) {
  console.log(`\ncodecrew with executions already stored (${stored[0].executions} executions per measurement, medians over rounds)`);
  const systems = [...new Set(stored.map((r) => r.system))];
  const levels = [...new Set(stored.map((r) => r.stored))].sort((a, b) => a - b);
  for (const sys of systems)
    for (const c of concurrencies) {
      const at = stored.filter((r) => r.system === sys && r.concurrency === c);
      if (!at.length) continue;
      console.log(`\n${sys}, concurrency ${c}`);
      console.log(header.replace(pad("system", W), pad("stored executions", W)));
      const sums = levels.map((k) => [k, summarize(at.filter((r) => r.stored === k))]).filter(([, s]) => s.n);
      for (const [k, s] of sums) console.log(line(k, s));
      if (sums.length > 1) {
        const [k0, a] = sums[0];
        const [k1, b] = sums[sums.length - 1];
        console.log(
          `${pad(`${k1}/${k0}`, W)}${lpad(`${f(b.steps_per_s / a.steps_per_s)}x`, 10)}${lpad("", 16)}` +
            `${lpad(`${f(b.cpu_ms / a.cpu_ms)}x`, 13)}${lpad("", 16)}${lpad(`${f(b.rss_mb / a.rss_mb)}x`, 13)}`,
        );
      }
    }
}
