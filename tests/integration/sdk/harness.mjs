// The world the SDK tests run in: the standalone fake LLM upstream and the
// real `codecrew serve` binary, configured with providers of every wire
// format pointing at that upstream, and codecrew API keys made with
// `codecrew keys create`. Loopback only; every wait is bounded.
//
// Binaries come from CODECREW_BINARY and FAKE_UPSTREAM_BINARY (CTest sets
// them), else from build/release.
import { spawn, execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createInterface } from 'node:readline';

export const root = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');
const codecrewBinary = process.env.CODECREW_BINARY ?? join(root, 'build/release/codecrew');
const fakeBinary = process.env.FAKE_UPSTREAM_BINARY ?? join(root, 'build/release/tests/fake_upstream/fake_upstream');

// The environment of child processes, without provider keys that would add
// real providers to the configuration.
function hermeticEnv() {
  const env = { ...process.env };
  for (const name of Object.keys(env)) {
    if (/^(OPENAI|ANTHROPIC|GEMINI|GOOGLE|GROQ|OPENROUTER|AZURE_OPENAI)_/.test(name) || name === 'OLLAMA_HOST') delete env[name];
  }
  return env;
}

// Starts a program that prints its address on the first line of stdout.
function startListening(binary, args, logPath, env = {}) {
  const child = spawn(binary, args, { env: { ...hermeticEnv(), ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  const stderr = [];
  child.stderr.on('data', (d) => stderr.push(d));
  return new Promise((resolvePromise, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`${binary} printed no address within 20 s: ${Buffer.concat(stderr)}`));
    }, 20_000);
    child.on('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`${binary} exited with ${code}: ${Buffer.concat(stderr)}`));
    });
    createInterface({ input: child.stdout }).once('line', (line) => {
      clearTimeout(timer);
      const url = line.match(/http:\/\/[^\s]+/)?.[0];
      if (!url) return reject(new Error(`no address in "${line}"`));
      resolvePromise({ child, url, stderr: () => Buffer.concat(stderr).toString(), logPath });
    });
  });
}

function stop(child) {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolvePromise) => {
    const kill = setTimeout(() => child.kill('SIGKILL'), 10_000);
    child.once('exit', () => {
      clearTimeout(kill);
      resolvePromise();
    });
    child.kill('SIGTERM');
  });
}

function providersToml(upstream) {
  return `
[providers.oa]
kind = "openai"
base_url = "${upstream}/v1"
api_key = "sk-provider-secret-0123456789"
models = ["gpt-4o-mini", "text-embedding-3-small"]

[providers.an]
kind = "anthropic"
base_url = "${upstream}"
api_key = "sk-ant-provider-0123456789"
models = ["claude-3-5-haiku"]

[providers.gm]
kind = "gemini"
base_url = "${upstream}/v1beta"
api_key = "AIzaprovider0123456789"
models = ["gemini-2.0-flash"]

[roles.gateway]
max_attempts = 1
`;
}

// Starts the fake upstream and codecrew. `keys` names the keys to create
// ({name: {rpm, daily_tokens, ...}}: limits for that key, {} for none);
// options.serveArgs are added to `codecrew serve` (e.g. ['--replay', CASSETTE]);
// options.env(upstreamUrl) gives variables for `codecrew serve` (provider
// keys), and options.providers = false leaves the providers' tables out.
export async function startWorld(keys = { main: {} }, options = {}) {
  const dir = mkdtempSync(join(tmpdir(), 'codecrew-sdk-'));
  const fake = await startListening(fakeBinary, ['--host', '127.0.0.1', '--port', '0']);
  const secrets = {};
  let limits = '';
  for (const [name, keyLimits] of Object.entries(keys)) {
    const out = execFileSync(codecrewBinary,
      ['keys', 'create', '--tenant', 'sdk-tests', '--role', 'member', '--name', name, '--data-dir', dir],
      { env: hermeticEnv(), encoding: 'utf8', timeout: 20_000 });
    secrets[name] = out.split('\n')[0].trim();
    const entries = Object.entries(keyLimits);
    if (entries.length) {
      limits += `\n[gateway.keys."${secrets[name].slice(0, 11)}"]\n`;
      for (const [k, v] of entries) limits += `${k} = ${v}\n`;
    }
  }
  const configPath = join(dir, 'codecrew.toml');
  writeFileSync(configPath, (options.providers === false ? '' : providersToml(fake.url)) + limits);
  let server;
  try {
    server = await startListening(codecrewBinary,
      ['serve', '--host', '127.0.0.1', '--port', '0', '--data-dir', dir, '--config', configPath,
        ...(options.serveArgs ?? [])], undefined, options.env?.(fake.url) ?? {});
  } catch (e) {
    await stop(fake.child);
    throw e;
  }
  const control = async (path, body) => {
    const res = await fetch(fake.url + path, body === undefined ? {} : { method: 'POST', body: JSON.stringify(body) });
    return res.json();
  };
  return {
    url: server.url,
    keys: secrets,
    upstream: fake.url,
    enqueue: (reply) => control('/_fake/replies', reply),
    reset: () => control('/_fake/reset', {}),
    received: () => control('/_fake/requests'),
    stats: () => control('/_fake/stats'),
    // The key's recorded gateway calls (GET /v1/usage), newest first.
    async usage(key) {
      const res = await fetch(server.url + '/v1/usage?sort_by=id&sort_dir=desc&page_size=100', { headers: { Authorization: `Bearer ${key}` } });
      return res.json();
    },
    serverLog: () => server.stderr(),
    async close() {
      await stop(server.child);
      await stop(fake.child);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

// Polls check() every 25 ms until it returns a truthy value or 10 s pass.
export async function eventually(check, what) {
  const deadline = Date.now() + 10_000;
  for (;;) {
    const value = await check();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}
