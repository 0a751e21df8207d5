// The pull request a delivery opened (issue #18): the workflow page's panel
// (link, state, branches, head; the checks with their conclusions and
// output; the loop stopped for a person, its follow-up executions), the
// Refresh button, and the monitor's line of what an execution pushed. The
// tests have no GitHub: seed_pull_request writes the pull request, its
// checks and the delivery events into the store before the server starts,
// and the Refresh reads a fake GitHub on loopback (GITHUB_API_URL; the server
// replays no cassette, whose client would answer GitHub's requests too).
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import http from 'node:http';
import path from 'node:path';
import { ROOT, api, browserSuite, createWorkflow, horizontalOverflow, shot, skipReason, until } from './harness.mjs';

const SEED = process.env.CODECREW_SEED_PULL_REQUEST || path.join(ROOT, 'build/release/tests/ui/seed_pull_request');
const HEAD = 'c9d8e7f6a5b4c3d2e1f0a9b8c7d6e5f4a3b2c1d0';
const REASON = 'the same failure came back after a fix (fingerprint 5d41402abc4b2a76)';

let server, browser, seeded, github;
const dataDir = skipReason() ? undefined : mkdtempSync(path.join(tmpdir(), 'codecrew-ui-'));

// A fake GitHub REST API: the pull request, its check runs and commit
// status. Its answer about the pull request waits for `release()`, so the
// test sees the refresh queued before it lands.
function fakeGitHub() {
  const requests = [];
  let release;
  const held = new Promise((r) => (release = r));
  const send = (res, status, body) => {
    res.writeHead(status, { 'content-type': 'application/json' });
    res.end(JSON.stringify(body));
  };
  const run = (name, conclusion, title, text = '') => ({
    id: name.length,
    name,
    head_sha: HEAD,
    status: 'completed',
    conclusion,
    html_url: `https://github.com/acme/wordcount/runs/${name}`,
    output: { title, summary: '', text },
  });
  const srv = http.createServer(async (req, res) => {
    const url = req.url.split('?')[0];
    requests.push(`${req.method} ${url}`);
    if (url === '/repos/acme/wordcount/pulls/42') {
      await held;
      return send(res, 200, {
        number: 42,
        html_url: 'https://github.com/acme/wordcount/pull/42',
        title: 'wordcount: count lines, words and characters',
        state: 'open',
        draft: false,
        merged: false,
        head: { ref: 'codecrew/execution-1', sha: HEAD },
        base: { ref: 'main' },
      });
    }
    if (url === `/repos/acme/wordcount/commits/${HEAD}/check-runs`)
      return send(res, 200, {
        total_count: 3,
        check_runs: [
          run('build', 'success', 'Build succeeded'),
          run('tests', 'failure', '3 tests failed', 'E   AssertionError: assert (0, 0, 0) == (1, 0, 0)\n'),
          run('lint', 'success', 'ruff: no problems'),
        ],
      });
    if (url === `/repos/acme/wordcount/commits/${HEAD}/status`) return send(res, 200, { state: 'success', sha: HEAD, statuses: [] });
    return send(res, 404, { message: 'Not Found' });
  });
  return new Promise((resolve) =>
    srv.listen(0, '127.0.0.1', () => resolve({ url: `http://127.0.0.1:${srv.address().port}`, requests, release, close: () => srv.close() })),
  );
}

// Seeded and faked before the suite starts the server (which reads GITHUB_API_URL at its start).
if (dataDir) {
  if (!existsSync(SEED)) throw new Error(`seed_pull_request not found at ${SEED} (build the target seed_pull_request)`);
  seeded = JSON.parse(execFileSync(SEED, ['--data-dir', dataDir], { encoding: 'utf8' }));
  github = await fakeGitHub();
  process.env.GITHUB_API_URL = github.url;
  delete process.env.GITHUB_TOKEN;
}
after(() => {
  github?.release(); // a held answer, if a test failed before it let go
  github?.close();
});

const skip = browserSuite(
  'pull_request',
  async (started) => {
    ({ server, browser } = started);
  },
  { server: { dataDir, replay: false } },
);

const [FIRST, FIX, REVIEW] = [0, 1, 2];

test('the workflow page shows the pull request, its checks and the loop', { skip }, async () => {
  const { page, errors } = browser;
  const wf = seeded.workflow_id;
  await page.goto(server.url + `/#/workflows/${wf}`);
  const panel = page.getByTestId('pull-request');
  await panel.waitFor();

  const link = panel.getByTestId('pr-link');
  assert.equal((await link.textContent()).trim(), '#42 wordcount: count lines, words and characters');
  assert.equal(await link.getAttribute('href'), 'https://github.com/acme/wordcount/pull/42');
  assert.equal(await link.getAttribute('target'), '_blank');
  assert.match(await link.getAttribute('rel'), /noopener/);
  assert.equal(await panel.getByTestId('pr-state').textContent(), 'draft');
  assert.equal(await panel.getAttribute('data-state'), 'open');
  assert.equal(await panel.getByTestId('pr-repository').textContent(), 'acme/wordcount');
  assert.equal(await panel.getByTestId('pr-branches').textContent(), `main ← codecrew/execution-${seeded.executions[FIRST]}`);
  assert.equal(await panel.getByTestId('pr-head-sha').textContent(), HEAD.slice(0, 7));
  assert.equal(await panel.getByTestId('pr-head-sha').getAttribute('title'), HEAD);

  // Both checks, with their conclusions; the failed one's output a click away.
  const checks = panel.getByTestId('pr-check');
  await until(async () => (await checks.count()) === 2, { what: 'two checks' });
  const build = checks.filter({ has: page.getByRole('link', { name: 'build' }) });
  const tests = checks.filter({ has: page.getByRole('link', { name: 'tests' }) });
  assert.equal(await build.getByTestId('check-result').textContent(), 'success');
  assert.equal(await build.getByTestId('check-result').getAttribute('data-tone'), 'ok');
  assert.equal(await tests.getByTestId('check-result').textContent(), 'failure');
  assert.equal(await tests.getByTestId('check-result').getAttribute('data-tone'), 'bad');
  assert.match(await tests.textContent(), /3 tests failed/);
  assert.equal(await tests.getByRole('link', { name: 'tests' }).getAttribute('href'), 'https://github.com/acme/wordcount/runs/9001');
  const output = tests.getByTestId('check-output');
  assert.equal(await output.locator('pre').isVisible(), false, 'the output is folded');
  await output.locator('summary').click();
  await output.locator('pre').getByText('AssertionError: assert (0, 0, 0) == (1, 0, 0)').waitFor();
  assert.equal(await build.getByTestId('check-output').count(), 0, 'no output, no fold');

  // The loop stopped: why, in a callout; its two follow-ups, each linking to its execution's monitor.
  const callout = panel.getByTestId('pr-needs-human');
  assert.equal(await callout.getAttribute('role'), 'alert');
  assert.equal((await callout.textContent()).trim(), `codecrew stopped: ${REASON}; a person needs to look.`);
  assert.equal(await panel.getByTestId('pr-loop-state').textContent(), 'needs a person');
  assert.equal(await panel.getByTestId('pr-fix-attempts').textContent(), '2 follow-ups');
  const attempts = panel.getByTestId('pr-follow-up');
  await until(async () => (await attempts.count()) === 2, { what: 'two follow-ups' });
  assert.match(await attempts.nth(0).textContent(), new RegExp(`^Attempt 1: fix the failing checks · execution #${seeded.executions[FIX]}`));
  assert.match(await attempts.nth(1).textContent(), new RegExp(`^Attempt 2: answer review comment 1234 · execution #${seeded.executions[REVIEW]}`));
  assert.equal(
    await attempts.nth(1).getByRole('link').getAttribute('href'),
    `#/workflows/${wf}/executions/${seeded.executions[REVIEW]}`,
  );
  // The executions table marks the follow-ups.
  await page.getByTestId('execution-row').nth(2).waitFor();
  assert.equal(await page.getByTestId('execution-follow-up').count(), 2);
  assert.equal(await page.getByTestId('error').count(), 0);
  assert.deepEqual(errors, []);
  await shot(page, 'pull-request');

  // The follow-up's link opens its monitor.
  await attempts.nth(0).getByRole('link').click();
  await page.locator('[data-testid=monitor][data-ready=true]').waitFor();
  assert.equal(new URL(page.url()).hash, `#/workflows/${wf}/executions/${seeded.executions[FIX]}`);
});

test('Refresh queues a read of GitHub and the panel follows it live', { skip }, async () => {
  const { page } = browser;
  const wf = seeded.workflow_id;
  await page.goto(server.url + `/#/workflows/${wf}`);
  const panel = page.getByTestId('pull-request');
  await panel.getByTestId('pr-check').nth(1).waitFor();
  const posted = page.waitForResponse((r) => r.url().endsWith(`/workflows/${wf}/pr/refresh`) && r.request().method() === 'POST');
  await panel.getByRole('button', { name: 'Refresh' }).click();
  const response = await posted;
  assert.equal(response.status(), 202);
  assert.deepEqual(await response.json(), { status: 'queued', pull_request: 42 });
  const status = panel.getByTestId('pr-refresh-status');
  await until(async () => (await status.textContent()) === 'Refresh queued.', { what: 'the refresh queued' });
  await until(() => github.requests.includes('GET /repos/acme/wordcount/pulls/42'), { what: 'the server to ask GitHub' });
  await shot(page, 'pull-request-refresh-queued', { fullPage: false });

  // GitHub answers: no longer a draft, a third check. The delivery.refreshed event brings it without a reload.
  github.release();
  await panel.getByTestId('pr-check').filter({ has: page.getByRole('link', { name: 'lint' }) }).waitFor();
  await until(async () => (await panel.getByTestId('pr-state').textContent()) === 'open', { what: 'the state to be open' });
  await until(async () => (await status.textContent()) === 'Refreshed from GitHub.', { what: 'the refresh to land' });
  assert.equal(await panel.getByTestId('pr-check').count(), 3);
  assert.equal(await panel.getByTestId('pr-needs-human').count(), 1, 'a refresh does not restart the loop');
});

test('the monitor says what an execution pushed, and which follow-up it is', { skip }, async () => {
  const { page } = browser;
  const wf = seeded.workflow_id;
  const branch = `codecrew/execution-${seeded.executions[FIRST]}`;

  await page.goto(server.url + `/#/workflows/${wf}/executions/${seeded.executions[FIRST]}`);
  await page.locator('[data-testid=monitor][data-ready=true]').waitFor();
  const line = page.getByTestId('delivery-line');
  await line.waitFor();
  assert.equal((await line.textContent()).trim(), `Pushed ${branch} @ 3f2a9c1, pull request #42 (opened)`);
  assert.equal(await line.getByTestId('delivery-link').getAttribute('href'), 'https://github.com/acme/wordcount/pull/42');
  assert.equal(await line.getByTestId('delivery-link').getAttribute('target'), '_blank');
  assert.equal(await page.getByTestId('delivery-follow-up').count(), 0, 'the first execution is no follow-up');
  // The loop's events read as sentences in the activity list.
  await page.getByTestId('activity').getByText(`codecrew stopped on #42: ${REASON}`).waitFor();

  await page.goto(server.url + `/#/workflows/${wf}/executions/${seeded.executions[REVIEW]}`);
  await page.locator(`[data-testid=monitor][data-ready=true]`).waitFor();
  const follow = page.getByTestId('delivery-follow-up');
  await follow.waitFor();
  assert.equal(await follow.getAttribute('data-kind'), 'review_comment:1234');
  assert.match(await follow.textContent(), /^Follow-up 2 of pull request #42: answer review comment 1234/);
  assert.equal((await page.getByTestId('delivery-line').textContent()).trim(), `Pushed ${branch} @ c9d8e7f, pull request #42 (updated)`);
  await shot(page, 'monitor-delivery', { fullPage: false });
});

test('a workflow without a pull request shows no error', { skip }, async () => {
  const { page } = browser;
  const wf = await createWorkflow(server, { name: 'no pull request' });
  const pr = page.waitForResponse((r) => new URL(r.url()).pathname === `/workflows/${wf.id}/pr`);
  await page.goto(server.url + `/#/workflows/${wf.id}`);
  await page.getByTestId('workflow-page').waitFor();
  assert.equal((await pr).status(), 404);
  await page.getByTestId('empty').getByText('This workflow has not run yet.').waitFor();
  assert.equal(await page.getByTestId('error').count(), 0);
  assert.equal(await page.getByTestId('pull-request').count(), 0);
  assert.equal(await page.getByRole('alert').count(), 0);
  // The API agrees: nothing to show, nothing to refresh.
  await api(server, 'GET', `/workflows/${wf.id}/pr`, undefined, { ok: [404] });
});

test('the pull request fits a phone', { skip }, async () => {
  const { page } = browser;
  await page.setViewportSize({ width: 390, height: 844 });
  try {
    await page.goto(server.url + `/#/workflows/${seeded.workflow_id}`);
    const panel = page.getByTestId('pull-request');
    await panel.getByTestId('pr-check').nth(1).waitFor();
    for (const o of await panel.getByTestId('check-output').all()) await o.locator('summary').click();
    const overflow = await horizontalOverflow(page);
    assert.ok(overflow <= 1, `the workflow page scrolls sideways by ${overflow} px at 390 px`);
    await panel.scrollIntoViewIfNeeded();
    await shot(page, 'pull-request-phone');
    await page.goto(server.url + `/#/workflows/${seeded.workflow_id}/executions/${seeded.executions[REVIEW]}`);
    await page.getByTestId('delivery-line').waitFor();
    const monitorOverflow = await horizontalOverflow(page);
    assert.ok(monitorOverflow <= 1, `the monitor scrolls sideways by ${monitorOverflow} px at 390 px`);
  } finally {
    await page.setViewportSize({ width: 1280, height: 900 });
  }
});
