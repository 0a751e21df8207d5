// Prints the tokenizer benchmark's table: codecrew (from Google Benchmark's
// JSON) against each npm tokenizer (from bench.mjs), with the token counts
// checked to be identical. Exit status 1 when a count differs.
// Usage: node compare.mjs <cpp json> <js json>
import { readFileSync } from "node:fs";

const cpp = JSON.parse(readFileSync(process.argv[2], "utf8"));
const js = JSON.parse(readFileSync(process.argv[3], "utf8"));
const ours = {};
for (const b of cpp.benchmarks) {
  const [kind, encoding] = b.name.split("/");
  ours[`${kind}/${encoding}`] = { tokens: b.tokens, mb_per_s: b.bytes_per_second / 1e6 };
}
let mismatches = 0;
console.log(`corpus: ${js.bytes} bytes`);
for (const [encoding, libs] of Object.entries(js.results)) {
  const enc = ours[`encode/${encoding}`];
  const cnt = ours[`count/${encoding}`];
  console.log(`\n${encoding}: codecrew encode ${enc.mb_per_s.toFixed(2)} MB/s, count ${cnt.mb_per_s.toFixed(2)} MB/s, ${enc.tokens} tokens`);
  console.log("  library            MB/s     tokens    same count   codecrew encode is x faster");
  for (const [lib, r] of Object.entries(libs)) {
    const same = r.tokens === enc.tokens && r.tokens === cnt.tokens;
    if (!same) ++mismatches;
    console.log(`  ${lib.padEnd(17)} ${r.mb_per_s.toFixed(2).padStart(6)} ${String(r.tokens).padStart(10)}    ${same ? "yes" : "NO "}          ${(enc.mb_per_s / r.mb_per_s).toFixed(2)}`);
  }
  const run = ours[`long_run_a_x100000/${encoding}`];
  if (run) console.log(`  codecrew, 100000 x 'a': ${(1e5 / run.mb_per_s / 1e6 * 1e3).toFixed(2)} ms (${run.tokens} tokens)`);
}
process.exit(mismatches === 0 ? 0 : 1);
