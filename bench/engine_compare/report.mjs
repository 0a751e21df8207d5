// The table of make bench-engine (run.sh) from its results.jsonl: one line
// per measurement ({phase, round, stored, system, concurrency, steps,
// seconds, steps_per_s, cpu_user_ms, cpu_sys_ms, peak_rss_kb}). Prints, per
// concurrency, the median over the rounds of each system's steps/s, CPU
// per step (user and kernel) and peak RSS, then codecrew's ratios to each
// peer; and for the stored phase, codecrew's figures per number of stored
// executions and the ratio of the largest to the smallest.
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
const header = `${pad("system", 24)}${lpad("steps/s", 10)}${lpad("(min-max)", 16)}${lpad("CPU ms/step", 13)}${lpad("user", 8)}${lpad("kernel", 8)}${lpad("peak RSS MB", 13)}${lpad("rounds", 8)}`;
const line = (name, s) =>
  `${pad(name, 24)}${lpad(f(s.steps_per_s, 1), 10)}${lpad(`${f(s.steps_per_s_min, 0)}-${f(s.steps_per_s_max, 0)}`, 16)}` +
  `${lpad(f(s.cpu_ms, 3), 13)}${lpad(f(s.user_ms, 3), 8)}${lpad(f(s.sys_ms, 3), 8)}${lpad(f(s.rss_mb, 1), 13)}${lpad(s.n, 8)}`;

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
    const cc = sums.codecrew;
    if (!cc) continue;
    for (const peer of systems.filter((s) => s !== "codecrew")) {
      const p = sums[peer];
      console.log(
        `${pad(`codecrew/${peer}`, 24)}${lpad(`${f(cc.steps_per_s / p.steps_per_s)}x`, 10)}${lpad("", 16)}` +
          `${lpad(`${f(cc.cpu_ms / p.cpu_ms)}x`, 13)}${lpad("", 16)}${lpad(`${f(cc.rss_mb / p.rss_mb)}x`, 13)}`,
      );
    }
  }
  console.log("\nsteps/s: higher is better; CPU ms/step and peak RSS: lower is better. codecrew's CPU and RSS are its");
  console.log("server process's (the API, SSE and the engine); LangGraph's are its whole node process's.");
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
      console.log(header.replace(pad("system", 24), pad("stored executions", 24)));
      const sums = levels.map((k) => [k, summarize(at.filter((r) => r.stored === k))]).filter(([, s]) => s.n);
      for (const [k, s] of sums) console.log(line(k, s));
      if (sums.length > 1) {
        const [k0, a] = sums[0];
        const [k1, b] = sums[sums.length - 1];
        console.log(
          `${pad(`${k1}/${k0}`, 24)}${lpad(`${f(b.steps_per_s / a.steps_per_s)}x`, 10)}${lpad("", 16)}` +
            `${lpad(`${f(b.cpu_ms / a.cpu_ms)}x`, 13)}${lpad("", 16)}${lpad(`${f(b.rss_mb / a.rss_mb)}x`, 13)}`,
        );
      }
    }
}
