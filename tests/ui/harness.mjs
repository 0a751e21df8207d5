// Shared helpers of the browser tests: the real codecrew binary on port 0
// in a fresh data directory (replaying the wordcount cassette), Debian's
// chromium driven by playwright-core, screenshots, and small API calls.
import { spawn, execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, copyFileSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import http from 'node:http';
import { before, after } from 'node:test';

const here = path.dirname(fileURLToPath(import.meta.url));
export const ROOT = path.resolve(here, '../..');
export const BINARY = process.env.CODECREW_BINARY || path.join(ROOT, 'build/release/codecrew');
export const WEB_DIR = process.env.CODECREW_WEB_DIR || path.join(ROOT, 'web/dist');
export const CASSETTE = path.join(ROOT, 'examples/wordcount/wordcount.cassette.jsonl');
export const CHROMIUM = process.env.CHROMIUM || '/usr/bin/chromium';
export const ARTIFACTS = process.env.UI_ARTIFACTS_DIR || path.join(here, 'artifacts');
export const GOAL = 'A python3 command-line program wordcount.py that counts lines, words and characters, with unit tests';

/** Why these tests cannot run here (a skip message), or null. */
export function skipReason() {
  if (!existsSync(CHROMIUM)) return `chromium not found at ${CHROMIUM} (apt-get install chromium): the browser tests are skipped`;
  return null;
}

export function preflight() {
  if (!existsSync(BINARY)) throw new Error(`codecrew binary not found at ${BINARY} (set CODECREW_BINARY)`);
  if (!existsSync(path.join(WEB_DIR, 'index.html'))) throw new Error(`the web UI is not built: ${WEB_DIR}/index.html is missing (npm run build in web/)`);
}

// Servers this process started: killed when it exits, however it exits.
const children = new Set();
process.on('exit', () => {
  for (const c of children) c.kill('SIGKILL');
});
for (const sig of ['SIGINT', 'SIGTERM']) {
  process.once(sig, () => {
    for (const c of children) c.kill('SIGKILL');
    process.exit(130);
  });
}

function spawnServer(argv, dataDir) {
  const child = spawn(BINARY, argv, {
    cwd: dataDir,
    env: { ...process.env, CODECREW_WEB_DIR: WEB_DIR, CODECREW_LOG_LEVEL: process.env.CODECREW_LOG_LEVEL || 'warn' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  children.add(child);
  child.once('exit', () => children.delete(child));
  const state = { child, stderr: '' };
  child.stderr.on('data', (d) => {
    state.stderr += d;
    if (state.stderr.length > 200_000) state.stderr = state.stderr.slice(-100_000);
  });
  state.ready = new Promise((resolve, reject) => {
    let out = '';
    const timer = setTimeout(() => reject(new Error('codecrew did not print its address in 20 s:\n' + state.stderr)), 20_000);
    const onData = (d) => {
      out += d;
      const m = /https?:\/\/[0-9.:[\]a-z]+/i.exec(out.split('\n')[0] ?? '');
      if (out.includes('\n') && m) {
        clearTimeout(timer);
        child.stdout.off('data', onData);
        child.stdout.resume();
        resolve(m[0]);
      }
    };
    child.stdout.on('data', onData);
    child.on('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`codecrew exited with ${code} before listening:\n${state.stderr}`));
    });
    child.on('error', (e) => {
      clearTimeout(timer);
      reject(new Error(`cannot run ${BINARY}: ${e.message}`));
    });
  });
  return state;
}

async function killChild(child, signal = 'SIGTERM') {
  if (child.exitCode !== null || child.signalCode !== null) return;
  child.kill(signal);
  await new Promise((r) => {
    const t = setTimeout(() => {
      child.kill('SIGKILL');
      r();
    }, 5000);
    child.once('exit', () => {
      clearTimeout(t);
      r();
    });
  });
}

/**
 * Starts `codecrew serve --port 0` in a fresh data directory and waits for
 * its address. dev: no API keys. replay: model calls from the wordcount
 * cassette (false: no model at all, but the server's other HTTP clients, such
 * as GitHub's, reach the network; the replaying client answers them from the
 * cassette otherwise). Returns { url, apiUrl, dataDir, stop, crashAndRestart }.
 */
export async function startServer({ dev = true, dataDir, args = [], replay = true } = {}) {
  preflight();
  dataDir ??= mkdtempSync(path.join(tmpdir(), 'codecrew-ui-'));
  const argvFor = (port) => {
    const argv = ['serve', '--port', String(port), '--data-dir', dataDir, ...(replay ? ['--replay', CASSETTE] : []), ...args];
    if (dev) argv.splice(1, 0, '--dev');
    return argv;
  };
  let proc = spawnServer(argvFor(0), dataDir);
  const url = await proc.ready;
  let target = url;
  let proxy = null;
  // UI_TEST_PROXY=1: serve web/dist from a local proxy (for a server without static serving).
  if (process.env.UI_TEST_PROXY === '1') {
    proxy = await startProxy(url);
    target = proxy.url;
  }
  const server = {
    url: target,
    apiUrl: url,
    dataDir,
    stderr: () => proc.stderr,
    /** SIGKILL, then the same data directory on the same port (every open connection drops). */
    async crashAndRestart({ downMs = 0 } = {}) {
      await killChild(proc.child, 'SIGKILL');
      if (downMs) await sleep(downMs);
      const port = new URL(url).port;
      for (let attempt = 0; ; attempt++) {
        proc = spawnServer(argvFor(port), dataDir);
        try {
          await proc.ready;
          return;
        } catch (e) {
          if (attempt >= 20) throw e;
          await sleep(250); // the port may linger for a moment
        }
      }
    },
    async stop() {
      if (proxy) proxy.server.close();
      await killChild(proc.child);
      if (!process.env.UI_KEEP_DATA) rmSync(dataDir, { recursive: true, force: true });
    },
  };
  return server;
}

function startProxy(api) {
  const types = { '.html': 'text/html', '.js': 'text/javascript', '.css': 'text/css', '.svg': 'image/svg+xml' };
  const server = http.createServer((req, res) => {
    const p = req.url.split('?')[0];
    if (p === '/' || p.startsWith('/assets/')) {
      const file = path.join(WEB_DIR, p === '/' ? 'index.html' : p);
      if (!file.startsWith(WEB_DIR) || !existsSync(file)) return res.writeHead(404).end();
      res.writeHead(200, { 'content-type': types[path.extname(file)] ?? 'application/octet-stream' });
      return res.end(readFileSync(file));
    }
    const u = new URL(api);
    const up = http.request({ host: u.hostname, port: u.port, path: req.url, method: req.method, headers: req.headers }, (r) => {
      res.writeHead(r.statusCode, r.headers);
      r.pipe(res);
    });
    up.on('error', () => res.destroy());
    req.pipe(up);
    res.on('close', () => up.destroy());
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve({ server, url: `http://127.0.0.1:${server.address().port}` })));
}

/** Creates an API key with the CLI (the server's data directory), returns it. */
export function createKey(dataDir, tenant = 'ui', role = 'admin') {
  const out = execFileSync(BINARY, ['keys', 'create', '--tenant', tenant, '--role', role, '--data-dir', dataDir], { cwd: dataDir, encoding: 'utf8' });
  const m = /cc_[0-9a-zA-Z_]+/.exec(out);
  if (!m) throw new Error('no key in: ' + out);
  return m[0];
}

/** A browser (fresh profile) and a page at 1280 × 900. */
export async function launch({ width = 1280, height = 900 } = {}) {
  const { chromium } = await import('playwright-core');
  const profile = mkdtempSync(path.join(tmpdir(), 'codecrew-ui-chromium-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    args: ['--headless=new', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-quic'],
    viewport: { width, height },
  });
  const page = context.pages()[0] ?? (await context.newPage());
  const errors = [];
  page.on('pageerror', (e) => errors.push(e.message));
  page.setDefaultTimeout(15_000);
  const close = async () => {
    await context.close();
    rmSync(profile, { recursive: true, force: true });
  };
  return { context, page, errors, close };
}

/** Saves a screenshot as a test artifact (and under docs/ui/ when UPDATE_DOCS=1). */
export async function shot(page, name, { fullPage = true } = {}) {
  mkdirSync(ARTIFACTS, { recursive: true });
  const file = path.join(ARTIFACTS, `${name}.png`);
  await page.screenshot({ path: file, fullPage, animations: 'disabled', caret: 'hide' });
  if (process.env.UPDATE_DOCS === '1') {
    const docs = path.join(ROOT, 'docs/ui');
    mkdirSync(docs, { recursive: true });
    const target = path.join(docs, `${name}.png`);
    copyFileSync(file, target);
    // smaller committed images when pngquant is there (apt-get install pngquant)
    try {
      execFileSync('pngquant', ['--force', '--ext', '.png', '--quality', '70-95', '--skip-if-larger', target], { stdio: 'ignore' });
    } catch {
      /* absent, or the image would not get smaller */
    }
  }
  return file;
}

/** A JSON API call (throws on a status other than the expected ones). */
export async function api(server, method, p, body, { key, headers = {}, ok = [200, 201, 202, 204] } = {}) {
  const h = { ...headers };
  if (key) h.authorization = `Bearer ${key}`;
  if (body !== undefined) h['content-type'] = 'application/json';
  const r = await fetch(server.apiUrl + p, { method, headers: h, body: body === undefined ? undefined : JSON.stringify(body) });
  const text = await r.text();
  if (!ok.includes(r.status)) throw new Error(`${method} ${p}: ${r.status} ${text}`);
  return text ? JSON.parse(text) : null;
}

export const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

export async function until(fn, { timeout = 30_000, interval = 100, what = 'condition' } = {}) {
  const end = Date.now() + timeout;
  let last;
  while (Date.now() < end) {
    try {
      last = await fn();
      if (last) return last;
    } catch (e) {
      last = e;
    }
    await sleep(interval);
  }
  throw new Error(`timed out waiting for ${what}: ${last instanceof Error ? last.message : JSON.stringify(last)}`);
}

/** Creates the wordcount workflow over the API. */
export async function createWorkflow(server, { name = 'wordcount', key } = {}) {
  return api(server, 'POST', '/workflows', { name, description: GOAL, crew: 'sdlc' }, { key });
}

/**
 * Starts an execution and approves every gate over the API until it completes.
 * headers: more headers on the POST that starts it (X-Request-Id, traceparent, ...).
 */
export async function runToCompletion(server, workflowId, { key, idem = `ui-${Date.now()}-${Math.random()}`, headers = {} } = {}) {
  const started = await api(server, 'POST', `/workflows/${workflowId}/executions/start`, undefined, { key, headers: { ...headers, 'idempotency-key': idem } });
  const eid = started.execution.id;
  return until(
    async () => {
      const pending = await api(server, 'GET', `/approvals?status=pending&execution_id=${eid}`, undefined, { key });
      for (const a of pending.approvals) await api(server, 'POST', `/approvals/${a.id}/approve`, { comment: 'ui test' }, { key });
      const e = await api(server, 'GET', `/workflows/${workflowId}/executions/${eid}`, undefined, { key });
      if (e.status === 'failed' || e.status === 'cancelled') throw new Error(`execution ${eid} ${e.status}: ${e.error}`);
      return e.status === 'completed' ? e : null;
    },
    { timeout: 60_000, interval: 150, what: `execution ${eid} to complete` },
  );
}

/** The document does not scroll sideways (a layout that fits the viewport). */
export async function horizontalOverflow(page) {
  return page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
}

/**
 * One server and one browser for a test file: started before its tests
 * (then `ready({ server, browser })` runs the file's own setup), closed after
 * them however they end. Returns the skip value for the tests' options: false,
 * or the reason (also printed as "# SKIP ui.<name>: ...").
 */
export function browserSuite(name, ready = async () => {}, { server: serverOptions } = {}) {
  const skip = skipReason();
  if (skip) console.log(`# SKIP ui.${name}: ${skip}`);
  const started = {};
  before(async () => {
    if (skip) return;
    started.server = await startServer(serverOptions);
    started.browser = await launch();
    await ready(started);
  });
  after(async () => {
    await started.browser?.close();
    await started.server?.stop();
  });
  return skip ?? false;
}
