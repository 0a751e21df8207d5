// Two executions of one workflow compared: metrics and output differences.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { browserSuite, createWorkflow, runToCompletion, shot } from './harness.mjs';

let server, browser, wf, a, b;

const skip = browserSuite('compare', async (started) => {
  ({ server, browser } = started);
  wf = await createWorkflow(server);
  a = await runToCompletion(server, wf.id, { idem: 'first' });
  b = await runToCompletion(server, wf.id, { idem: 'second' });
});

test('pick two executions and compare them', { skip, timeout: 60_000 }, async () => {
  const { page } = browser;
  await page.goto(server.url + `/#/workflows/${wf.id}`);
  await page.getByTestId('execution-row').nth(1).waitFor();
  const compare = page.getByRole('button', { name: /Compare selected/ });
  assert.ok(await compare.isDisabled(), 'needs two picks');
  await page.getByLabel(`Pick execution ${a.id} to compare`).check();
  await page.getByLabel(`Pick execution ${b.id} to compare`).check();
  await compare.click();
  await page.waitForURL(new RegExp(`compare\\?a=${a.id}&b=${b.id}`));
  const metrics = page.getByTestId('compare-metrics');
  await metrics.waitFor();
  const text = await metrics.textContent();
  assert.match(text, new RegExp(`A · #${a.id}`));
  assert.match(text, new RegExp(`B · #${b.id}`));
  const calls = metrics.locator('tr', { hasText: 'LLM calls' });
  assert.deepEqual((await calls.locator('td').allTextContents()).map((s) => s.trim()), [String(a.total_calls), String(b.total_calls), '±0']);
  assert.ok(await metrics.locator('tr', { hasText: 'Tokens · developer' }).count() === 1, 'per-agent tokens');
  // The same cassette gives the same files: every output is the same, and the page says so.
  const diffs = page.getByTestId('compare-diffs');
  await diffs.getByTestId('output-row').first().waitFor();
  const rows = await diffs.getByTestId('output-row').count();
  assert.ok(rows >= 3, 'the changed files of both');
  assert.equal(await diffs.locator('[data-change=same]').count(), rows);
  assert.match(await diffs.textContent(), /0 differ/);
  const arts = page.getByTestId('compare-artifacts');
  assert.ok((await arts.getByTestId('output-row').count()) >= 5);
  await shot(page, 'compare');
  // Swapping the pair from the selects keeps working.
  await page.getByLabel('A', { exact: true }).selectOption(String(b.id));
  await page.getByLabel('B', { exact: true }).selectOption(String(a.id));
  await page.waitForURL(new RegExp(`a=${b.id}&b=${a.id}`));
  await metrics.getByText(`A · #${b.id}`).waitFor();
});
