// The API document of the real `codecrew serve` binary: fetch it, lint it
// with the pinned @redocly/cli, and generate the web UI's TypeScript types
// from it with the pinned openapi-typescript. Loopback only; every wait is
// bounded. The binary comes from CODECREW_BINARY (CTest sets it), else
// build/release/codecrew.
import { spawn, execFile } from 'node:child_process';
import { mkdtempSync, rmSync, copyFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createInterface } from 'node:readline';
import { promisify } from 'node:util';

const run = promisify(execFile);
export const here = dirname(fileURLToPath(import.meta.url));
export const root = resolve(here, '../..');
export const generatedTypes = join(root, 'web/src/generated/openapi.ts');
const binary = process.env.CODECREW_BINARY ?? join(root, 'build/release/codecrew');
const bin = (name) => join(here, 'node_modules/.bin', name);

// Starts `codecrew serve --dev` on a free port (model calls from `replay`, a
// cassette, when given): {url, stop()}.
export async function startServer({ replay } = {}) {
  const dataDir = mkdtempSync(join(tmpdir(), 'codecrew-openapi-'));
  const env = { ...process.env };
  for (const name of Object.keys(env)) {
    if (/^(OPENAI|ANTHROPIC|GEMINI|GOOGLE|GROQ|OPENROUTER|AZURE_OPENAI|JIRA|NEGISHI_JIRA)_/.test(name) || name === 'OLLAMA_HOST') delete env[name];
  }
  const args = ['serve', '--dev', '--port', '0', '--data-dir', dataDir, ...(replay ? ['--replay', replay] : [])];
  const child = spawn(binary, args, { env, stdio: ['ignore', 'pipe', 'pipe'] });
  const stderr = [];
  child.stderr.on('data', (d) => stderr.push(d));
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) {
      child.kill('SIGTERM');
      await new Promise((r) => child.once('exit', r));
    }
    rmSync(dataDir, { recursive: true, force: true });
  };
  try {
    const url = await new Promise((resolveUrl, reject) => {
      const timer = setTimeout(() => reject(new Error(`no address within 20 s: ${Buffer.concat(stderr)}`)), 20_000);
      child.on('exit', (code) => reject(new Error(`codecrew exited with ${code}: ${Buffer.concat(stderr)}`)));
      createInterface({ input: child.stdout }).once('line', (line) => {
        clearTimeout(timer);
        const found = line.match(/http:\/\/[^\s]+/)?.[0];
        found ? resolveUrl(found) : reject(new Error(`no address in "${line}"`));
      });
    });
    return { url, stop };
  } catch (e) {
    await stop();
    throw e;
  }
}

// The document's text, from a server of its own.
export async function fetchDocument() {
  const server = await startServer();
  try {
    const res = await fetch(`${server.url}/openapi.json`, { signal: AbortSignal.timeout(10_000) });
    if (res.status !== 200) throw new Error(`GET /openapi.json answered ${res.status}`);
    return await res.text();
  } finally {
    await server.stop();
  }
}

// Writes the document in a fresh folder with the lint configuration beside it.
export function writeDocument(text) {
  const dir = mkdtempSync(join(tmpdir(), 'codecrew-openapi-doc-'));
  writeFileSync(join(dir, 'openapi.json'), text);
  copyFileSync(join(here, 'redocly.yaml'), join(dir, 'redocly.yaml'));
  copyFileSync(join(here, 'lint-ignore.yaml'), join(dir, '.redocly.lint-ignore.yaml'));
  return dir;
}

// Lints with the pinned @redocly/cli: {totals, problems, text} (text: its own report).
export async function lint(dir) {
  const args = ['lint', '--config', join(dir, 'redocly.yaml'), join(dir, 'openapi.json')];
  const report = async (format) => {
    try {
      const { stdout, stderr } = await run(bin('redocly'), [...args, `--format=${format}`], { cwd: dir, maxBuffer: 1 << 26 });
      return stdout + stderr;
    } catch (e) {
      return (e.stdout ?? '') + (e.stderr ?? '');
    }
  };
  const json = await report('json');
  const parsed = JSON.parse(json.slice(json.indexOf('{'), json.lastIndexOf('}') + 1));
  return { totals: parsed.totals, problems: parsed.problems, text: await report('stylish') };
}

// The TypeScript the pinned openapi-typescript makes of the document.
export async function generateTypes(dir) {
  const out = join(dir, 'openapi.ts');
  await run(bin('openapi-typescript'), [join(dir, 'openapi.json'), '-o', out], { cwd: dir, maxBuffer: 1 << 26 });
  return out;
}
