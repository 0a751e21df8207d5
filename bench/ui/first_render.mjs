// Time to first render of one page of the web UI in Debian's chromium, through
// playwright-core (installed by tests/ui's package.json): from navigation
// start (performance.timeOrigin) until [data-testid="monitor"][data-ready="true"]
// exists, which the monitor sets once it has rendered its initial data. Each
// run uses a fresh browser context (empty cache, no service worker).
//   node bench/ui/first_render.mjs URL [RUNS (10)]
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import path from 'node:path';

const here = path.dirname(fileURLToPath(import.meta.url));
const testsUi = path.resolve(here, '../../tests/ui');
const require = createRequire(path.join(testsUi, 'package.json'));

let chromium;
try {
  ({ chromium } = require('playwright-core'));
} catch {
  console.error(`first_render: playwright-core is not installed: run \`npm ci\` in ${testsUi}`);
  process.exit(2);
}

const [url, runsArg] = process.argv.slice(2);
if (!url) {
  console.error('usage: node first_render.mjs URL [RUNS]');
  process.exit(2);
}
const runs = Number(runsArg ?? 10);
const selector = '[data-testid="monitor"][data-ready="true"]';

// Records when the element first exists, in ms since navigation start.
function watchReady(sel) {
  const check = () => {
    if (window.__codecrewReadyAt === undefined && document.querySelector(sel)) {
      window.__codecrewReadyAt = performance.now();
    }
  };
  new MutationObserver(check).observe(document, {
    subtree: true,
    childList: true,
    attributes: true,
    attributeFilter: ['data-ready', 'data-testid'],
  });
}

function median(sorted) {
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

// Nearest-rank percentile.
function percentile(sorted, p) {
  const i = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[i];
}

const browser = await chromium.launch({
  executablePath: '/usr/bin/chromium',
  headless: true,
  args: [
    '--no-sandbox',
    '--disable-gpu',
    '--disable-background-networking',
    '--disable-component-update',
    '--disable-sync',
    '--no-first-run',
  ],
});
const times = [];
try {
  for (let i = 0; i < runs; i++) {
    const context = await browser.newContext({ viewport: { width: 1440, height: 900 } });
    await context.addInitScript(watchReady, selector);
    const page = await context.newPage();
    const errors = [];
    page.on('pageerror', (e) => errors.push(String(e)));
    await page.goto(url, { waitUntil: 'commit' });
    try {
      await page.waitForFunction(() => window.__codecrewReadyAt !== undefined, null, { timeout: 30000 });
    } catch (e) {
      console.error(`run ${i + 1}: ${selector} did not appear within 30 s${errors.length ? ': ' + errors.join('; ') : ''}`);
      await context.close();
      process.exitCode = 1;
      break;
    }
    const ms = await page.evaluate(() => window.__codecrewReadyAt);
    const calls = await page.evaluate(() => performance.getEntriesByType('resource').length);
    times.push(ms);
    console.log(`run ${String(i + 1).padStart(2)}: ${ms.toFixed(1)} ms (${calls} requests)`);
    await context.close();
  }
} finally {
  await browser.close();
}
if (times.length) {
  const sorted = [...times].sort((a, b) => a - b);
  console.log(
    `monitor first render over ${times.length} runs: median ${median(sorted).toFixed(1)} ms, ` +
      `p90 ${percentile(sorted, 90).toFixed(1)} ms, min ${sorted[0].toFixed(1)} ms, max ${sorted.at(-1).toFixed(1)} ms`,
  );
}
