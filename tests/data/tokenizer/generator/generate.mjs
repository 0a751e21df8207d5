// Generates ../expected.json, the fixtures of tests/unit/llm/tokenizer_*_test.cpp:
// token ids for fixed strings and counts for a varied corpus in cl100k_base and
// o200k_base, taken from js-tiktoken. Every value is cross-checked against
// tiktoken (the npm build of OpenAI's Rust core); where the two disagree, or
// where js-tiktoken is too slow (long single-character runs: its merge is
// quadratic), tiktoken's value is used and the case says so in "reference".
//
// Usage: cd tests/data/tokenizer/generator && npm ci && node generate.mjs
import { getEncoding } from "js-tiktoken";
import { get_encoding } from "tiktoken";
import { readFileSync, readdirSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const here = dirname(fileURLToPath(import.meta.url));
const kEncodings = ["cl100k_base", "o200k_base"];
const kJsMaxChars = 4000;  // beyond this js-tiktoken takes minutes on one-character runs
const js = Object.fromEntries(kEncodings.map((e) => [e, getEncoding(e)]));
const wasm = Object.fromEntries(kEncodings.map((e) => [e, get_encoding(e)]));
const disagreements = [];

function ids(encoding, text, special) {
  const fromJs = special ? js[encoding].encode(text, "all") : js[encoding].encode(text, [], []);
  const fromWasm = Array.from(special ? wasm[encoding].encode(text, "all") : wasm[encoding].encode_ordinary(text));
  return { fromJs, fromWasm };
}

function idCase(name, text, special = false) {
  const out = { name, text, special, reference: "js-tiktoken" };
  for (const e of kEncodings) {
    const { fromJs, fromWasm } = ids(e, text, special);
    if (JSON.stringify(fromJs) !== JSON.stringify(fromWasm)) {
      out.reference = "tiktoken";
      disagreements.push(`${name} (${e})`);
    }
    out[e] = out.reference === "tiktoken" ? fromWasm : fromJs;
  }
  return out;
}

function countCase(name, source, text) {
  const out = { name, ...source, reference: "js-tiktoken" };
  const useJs = text.length <= kJsMaxChars || !/^(.)\1*$/su.test(text);
  if (!useJs) out.reference = "tiktoken";
  for (const e of kEncodings) {
    const fromWasm = wasm[e].encode_ordinary(text).length;
    if (useJs) {
      const fromJs = js[e].encode(text, [], []).length;
      if (fromJs !== fromWasm) {
        out.reference = "tiktoken";
        disagreements.push(`${name} (${e}): js-tiktoken ${fromJs}, tiktoken ${fromWasm}`);
      }
    }
    out[e] = fromWasm;
  }
  return out;
}

// A seeded generator (mulberry32) so the random cases are the same every run.
function rng(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const kPieces = [
  "a", "Z", "word", "Word", "WORD", "camelCase", "HTTPServer", " ", "  ", "   ", "\t", "\n", "\r\n",
  "\n\n", " \n", "\u00a0", "\u3000", "\u2028", "\u000b", "\f", "0", "42", "12345", "3.14", "'", "'s",
  "'S", "'re", "'LL", "'Ve", "'d", "'m", "'t", "'x", "\u017f", "'\u017f", "!", "?!", "...", "//", "/",
  "/*", "->", "::", "{", "}", "()", "[]", "\"", "_", "-", "+=", "#", "@", "\u00e9", "e\u0301",
  "\u0301", "\u0915\u093e", "\u093f", "\u4e2d\u6587", "\u65e5\u672c\u8a9e", "\ud55c\uad6d",
  "\u0410\u0431\u0432", "\u00c0\u00c9", "\u01c5", "\u02b0", "\u2167", "\u00b2", "\u0663", "\uff15",
  "\ud83d\ude00", "\ud83d\udc4d\ud83c\udffd", "\u200d", "\ufe0f", "\ud835\udd38", "\u20ac", "\u00bd",
  "\u0627\u0644", "\u05e9", "\u0e01", "<|endoftext|>", "<|fim_prefix|>", "\u00df", "\u0130", "\u0149", "\u0085", "\ufeff",
];

function randomCases(count, seed) {
  const next = rng(seed);
  const cases = [];
  for (let i = 0; i < count; ++i) {
    const parts = 1 + Math.floor(next() * 40);
    let text = "";
    for (let k = 0; k < parts; ++k) text += kPieces[Math.floor(next() * kPieces.length)];
    cases.push(countCase(`random_${i}`, { text }, text));
  }
  return cases;
}

function whitespaceCases(count, seed) {
  const next = rng(seed);
  const ws = [" ", "\t", "\n", "\r", "\u00a0", "\u3000", "x", "."];
  const cases = [];
  for (let i = 0; i < count; ++i) {
    let text = "";
    const len = 1 + Math.floor(next() * 30);
    for (let k = 0; k < len; ++k) text += ws[Math.floor(next() * ws.length)];
    cases.push(countCase(`whitespace_${i}`, { text }, text));
  }
  return cases;
}

const kIdStrings = [
  ["empty", ""],
  ["hello", "hello world"],
  ["greeting", "Hello, World!"],
  ["leading_spaces", "   leading spaces"],
  ["trailing_spaces", "trailing spaces   "],
  ["contractions", "I'm here, you're there, they'll go, we've been, she'd say, it's OK"],
  ["upper_contractions", "DON'T SHOUT, I'M FINE, WE'LL SEE, THEY'RE HERE"],
  ["long_s_contraction", "\u017ftra\u00dfe it'\u017f"],
  ["tabs", "tab\tseparated\tvalues\t\t"],
  ["newlines", "line1\nline2\r\nline3\n\n\n  \n"],
  ["digits", "1234567890 12 123 1234"],
  ["decimals", "3.14159 and 2,718,281 and -0.5e10"],
  ["slashes", "x = a/b/c; // comment\n/// doc\n!!\n//\n"],
  ["cjk", "\u6771\u4eac\u306f\u65e5\u672c\u306e\u9996\u90fd"],
  ["emoji", "\ud83d\ude00\ud83d\udc4d\ud83c\udffd \ud83d\udc68\u200d\ud83d\udc69\u200d\ud83d\udc67"],
  ["accents", "na\u00efve caf\u00e9 r\u00e9sum\u00e9"],
  ["combining", "e\u0301 decomposed, A\u0301BC\u0327"],
  ["special_as_text", "<|endoftext|> is only text here"],
  ["nbsp", "\u00a0nbsp\u3000ideographic\u2028sep"],
  ["camel", "CamelCaseWordsAndHTTPServer parseJSONResponse"],
  ["snake", "snake_case_name __init__"],
  ["uppercase_accents", "\u00c0\u00c9\u00ce upper \u00c0\u00c9\u00ce\u00f5"],
  ["titlecase", "\u01c5emal \u01c4EMAL \u01c6emal"],
  ["other_digits", "\u0663\u0664\u0665 \uff15\uff16 \u00b2\u00b3 \u2167"],
  ["indent", "\t\tindented\n    four spaces then code()"],
  ["bom_and_nel", "x  \ufeff y\u0085\u0085z \ufeff\ufeff"],
  ["devanagari", "\u0928\u0908 \u0926\u093f\u0932\u094d\u0932\u0940"],
];
const kSpecialStrings = [
  ["special_allowed", "<|endoftext|>hello<|endofprompt|> world<|endoftext|>"],
  ["special_fim", "<|fim_prefix|>def f(<|fim_suffix|>)<|fim_middle|>"],
];
const kRepeats = [
  ["a_x100000", "a", 100000], ["space_x100000", " ", 100000], ["a_x3000", "a", 3000],
  ["newline_x20000", "\n", 20000], ["digit_x30000", "7", 30000], ["e_acute_x20000", "\u00e9", 20000],
  ["dot_x50000", ".", 50000], ["ab_x2000", "ab", 2000], ["cjk_x5000", "\u4e2d", 5000],
];

const corpusDir = join(here, "..", "corpus");
const fileCases = readdirSync(corpusDir).sort().map((f) =>
  countCase(`file_${f}`, { file: `corpus/${f}` }, readFileSync(join(corpusDir, f), "utf8")));
const lineCases = readdirSync(corpusDir).sort().flatMap((f) =>
  readFileSync(join(corpusDir, f), "utf8").split("\n").map((line, i) =>
    countCase(`line_${f}_${i}`, { text: line }, line)));

const fixture = {
  generated: "by tests/data/tokenizer/generator/generate.mjs; do not edit by hand",
  versions: { "js-tiktoken": "1.0.21", tiktoken: "1.0.22" },
  ids: [...kIdStrings.map(([n, t]) => idCase(n, t)), ...kSpecialStrings.map(([n, t]) => idCase(n, t, true))],
  counts: [
    ...fileCases, ...lineCases,
    ...kRepeats.map(([n, unit, times]) => countCase(n, { repeat: unit, times }, unit.repeat(times))),
    ...randomCases(400, 20240611), ...whitespaceCases(150, 7),
  ],
  js_tiktoken_disagrees_with_tiktoken: disagreements,
};
writeFileSync(join(here, "..", "expected.json"), JSON.stringify(fixture, null, 1) + "\n");
console.log(`ids: ${fixture.ids.length}, counts: ${fixture.counts.length}, disagreements: ${disagreements.length}`);
for (const d of disagreements) console.log(`  ${d}`);
