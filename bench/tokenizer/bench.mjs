// The JavaScript side of the tokenizer benchmark: js-tiktoken, tiktoken (the
// wasm build of OpenAI's Rust core) and gpt-tokenizer encode the same corpus;
// prints one JSON object with tokens and MB/s per library and encoding.
// Usage: node bench.mjs <corpus file> [min seconds per measurement]
import { readFileSync } from "node:fs";
import { getEncoding } from "js-tiktoken";
import { get_encoding } from "tiktoken";
import * as gptCl100k from "gpt-tokenizer/encoding/cl100k_base";
import * as gptO200k from "gpt-tokenizer/encoding/o200k_base";

const corpus = readFileSync(process.argv[2], "utf8");
const bytes = Buffer.byteLength(corpus, "utf8");
const minSeconds = Number(process.argv[3] ?? 3);

function measure(encode) {
  const tokens = encode(corpus).length;  // warm-up, and the count to compare
  let runs = 0;
  const start = process.hrtime.bigint();
  let elapsed = 0;
  while (elapsed < minSeconds || runs < 2) {
    encode(corpus);
    ++runs;
    elapsed = Number(process.hrtime.bigint() - start) / 1e9;
  }
  return { tokens, mb_per_s: (bytes * runs) / elapsed / 1e6, seconds_per_run: elapsed / runs };
}

const gpt = { cl100k_base: gptCl100k, o200k_base: gptO200k };
const results = {};
for (const encoding of ["cl100k_base", "o200k_base"]) {
  const js = getEncoding(encoding);
  const wasm = get_encoding(encoding);
  results[encoding] = {
    "js-tiktoken": measure((t) => js.encode(t, [], [])),
    "tiktoken (wasm)": measure((t) => wasm.encode_ordinary(t)),
    "gpt-tokenizer": measure((t) => gpt[encoding].encode(t, { disallowedSpecial: new Set() })),
  };
  wasm.free();
}
console.log(JSON.stringify({ bytes, results }, null, 1));
