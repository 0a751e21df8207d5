// Converts the BPE ranks bundled in the npm package js-tiktoken (a compressed
// "<ignored> <first rank> <base64 token> <base64 token> ..." form inside a JS
// module) into tiktoken's standard .tiktoken format ("<base64 token> <rank>\n"
// per line, in rank order), and refuses to write a file whose SHA-256 differs
// from the hash tiktoken itself pins in tiktoken_ext/openai_public.py.
//
// Usage: node convert-ranks.mjs <output dir>
import { createHash } from "node:crypto";
import { mkdirSync, renameSync, writeFileSync } from "node:fs";
import { join } from "node:path";

const kEncodings = {
  cl100k_base: "223921b76ee99bde995b7ff738513eef100fb51d18c93597a113bcffe865b2a7",
  o200k_base: "446a9538cb6c348e3516120d7c08b09f57c36495e2acfffe59a5bf8b0cfb1a2d",
};

function toTiktokenText(compressed) {
  const byRank = [];
  for (const line of compressed.split("\n")) {
    if (!line) continue;
    const [, offsetText, ...tokens] = line.split(" ");
    const offset = Number.parseInt(offsetText, 10);
    tokens.forEach((token, i) => { byRank[offset + i] = token; });
  }
  const lines = [];
  for (let rank = 0; rank < byRank.length; ++rank) {
    if (byRank[rank] === undefined) throw new Error(`rank ${rank} missing`);
    lines.push(`${byRank[rank]} ${rank}\n`);
  }
  return lines.join("");
}

async function main() {
  const outDir = process.argv[2];
  if (!outDir) {
    console.error("usage: node convert-ranks.mjs <output dir>");
    process.exit(2);
  }
  mkdirSync(outDir, { recursive: true });
  for (const [name, expected] of Object.entries(kEncodings)) {
    const module = await import(`js-tiktoken/ranks/${name}`);
    const text = toTiktokenText(module.default.bpe_ranks);
    const actual = createHash("sha256").update(text).digest("hex");
    if (actual !== expected) {
      console.error(`${name}: sha256 ${actual} differs from tiktoken's ${expected}`);
      process.exit(1);
    }
    const target = join(outDir, `${name}.tiktoken`);
    writeFileSync(`${target}.tmp`, text);
    renameSync(`${target}.tmp`, target);
    console.log(`${name}: wrote ${target} (sha256 ${actual})`);
  }
}

await main();
