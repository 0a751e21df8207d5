// The LLM-call table: every filter and sort of the API, from the page.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { api, browserSuite, createWorkflow, runToCompletion, shot, until } from './harness.mjs';

let server, browser, wf, exec;

// The execution is started by a request with its own id and a W3C trace
// context: with tracing off the server keeps the incoming trace, so every call
// of the execution carries this request id and trace id (and no span id).
const REQUEST_ID = 'ui-test-req-1';
const TRACE_ID = '0af7651916cd43dd8448eb211c80319c';
const TRACEPARENT = `00-${TRACE_ID}-b7ad6b7169203331-01`;

const skip = browserSuite('llm_calls', async (started) => {
  ({ server, browser } = started);
  wf = await createWorkflow(server);
  exec = await runToCompletion(server, wf.id, { headers: { 'x-request-id': REQUEST_ID, traceparent: TRACEPARENT } });
});

const total = async (page) => Number((await page.getByTestId('calls-total').locator('.stat-value').textContent()).replace(/[^0-9]/g, ''));

test('filter and sort the LLM calls', { skip, timeout: 60_000 }, async () => {
  const { page } = browser;
  await page.goto(server.url + `/#/workflows/${wf.id}/llm-calls`);
  await page.getByTestId('calls-table').waitFor();
  assert.equal(await total(page), exec.total_calls);
  assert.equal(await page.getByTestId('call-row').count(), Math.min(25, exec.total_calls));

  // Filter by agent.
  const dev = await api(server, 'GET', `/workflows/${wf.id}/llm-calls?agent=developer&page_size=1`);
  assert.ok(dev.total > 0);
  await page.getByLabel('Agent').fill('developer');
  await page.getByRole('button', { name: 'Apply' }).click();
  await until(async () => (await total(page)) === dev.total, { what: `${dev.total} developer calls` });
  const agents = await page.getByTestId('call-agent').allTextContents();
  assert.ok(agents.length === dev.total && agents.every((a) => a === 'developer'), `only developer rows: ${agents}`);
  assert.match(page.url(), /agent=developer/, 'the filter is in the URL');

  // Sort by tokens, largest first (a click), then smallest first (the keyboard).
  await page.getByTestId('sort-total_tokens').click();
  await until(async () => (await page.locator('th[aria-sort=descending]').textContent())?.includes('Tokens'), { what: 'sorted by tokens' });
  await until(async () => {
    const t = (await page.getByTestId('call-tokens').allTextContents()).map((x) => Number(x.replace(/,/g, '')));
    return t.length === dev.total && t.every((v, i) => i === 0 || t[i - 1] >= v);
  }, { what: 'descending tokens' });
  await page.getByTestId('sort-total_tokens').focus();
  await page.keyboard.press('Enter');
  await until(async () => {
    const t = (await page.getByTestId('call-tokens').allTextContents()).map((x) => Number(x.replace(/,/g, '')));
    return (await page.locator('th[aria-sort=ascending]').count()) === 1 && t.every((v, i) => i === 0 || t[i - 1] <= v);
  }, { what: 'ascending tokens' });
  await shot(page, 'llm-calls');

  // Search text, model and dates; a filter that matches nothing says so.
  await page.getByLabel('Search text').fill('test_wordcount.py');
  await page.getByRole('button', { name: 'Apply' }).click();
  const q = await api(server, 'GET', `/workflows/${wf.id}/llm-calls?agent=developer&q=test_wordcount.py&page_size=1`);
  await until(async () => (await total(page)) === q.total, { what: `${q.total} calls mentioning test_wordcount.py` });
  await page.getByLabel('Model').fill('no-such-model');
  await page.getByRole('button', { name: 'Apply' }).click();
  await page.getByTestId('empty').getByText('No call matches these filters.').waitFor();
  await page.getByRole('button', { name: 'Clear' }).click();
  await until(async () => (await total(page)) === exec.total_calls, { what: 'all calls again' });
  const today = new Date().toISOString().slice(0, 10);
  await page.getByLabel('From').fill('2000-01-01');
  await page.getByLabel('To').fill('2000-01-02');
  await page.getByRole('button', { name: 'Apply' }).click();
  await page.getByTestId('empty').waitFor();
  await page.getByLabel('To').fill(today > '2000-01-02' ? '2999-12-31' : today);
  await page.getByRole('button', { name: 'Apply' }).click();
  await until(async () => (await total(page)) === exec.total_calls, { what: 'all calls in the date range' });

  // Paging and an execution filter.
  await page.getByLabel('Per page').selectOption('10');
  await until(async () => (await page.getByTestId('call-row').count()) === 10, { what: '10 rows' });
  await page.getByRole('button', { name: 'Next ›' }).click();
  await until(async () => (await page.getByTestId('pager-info').textContent()).startsWith('Page 2'), { what: 'page 2' });
  await page.getByLabel('Execution').selectOption(String(exec.id));
  await page.getByRole('button', { name: 'Apply' }).click();
  await until(async () => (await total(page)) === exec.total_calls, { what: 'the execution filter' });
  // A row opens to its details.
  await page.getByTestId('call-row').first().getByRole('button').click();
  await page.locator('.call-detail').getByText('prompt_hash').waitFor();
});

test("a call's details show its request id and trace id, each copyable", { skip, timeout: 60_000 }, async () => {
  const { page, context } = browser;
  const first = (await api(server, 'GET', `/workflows/${wf.id}/llm-calls?execution_id=${exec.id}&sort_by=id&sort_dir=asc&page_size=1`)).calls[0];
  assert.equal(first.request_id, REQUEST_ID, 'the API gives the request id of the POST that started the execution');
  assert.equal(first.trace_id, TRACE_ID, 'the API gives the trace id of its traceparent');
  assert.equal(first.span_id, null, 'no span id with tracing off');

  await page.goto(server.url + `/#/workflows/${wf.id}/llm-calls?execution_id=${exec.id}&sort_by=id&sort_dir=asc`);
  await page.getByTestId('calls-table').waitFor();
  const row = page.getByTestId('call-row').first();
  // The table may still show the previous test's query for a moment (the
  // page changes only its hash): wait for this query's first row.
  await until(async () => (await row.getByRole('button').textContent()) === String(first.id), {
    what: `call #${first.id} first in the table`,
  });
  await row.getByRole('button').click();
  const detail = page.getByTestId('call-detail');
  await detail.waitFor();
  assert.equal(await detail.getByTestId('call-request-id').textContent(), REQUEST_ID);
  assert.equal(await detail.getByTestId('call-trace-id').textContent(), TRACE_ID);
  assert.equal(await detail.getByTestId('call-span-id').count(), 0, 'a null span id is left out');
  const ids = detail.getByTestId('call-ids');
  assert.match(await ids.textContent(), /Request id/);
  assert.match(await ids.textContent(), /Trace id/);
  assert.doesNotMatch(await ids.textContent(), /Span id/);
  assert.equal(
    await detail.getByTestId('call-trace-id').evaluate((el) => getComputedStyle(el).fontFamily.includes('monospace')),
    true,
    'the ids are in monospace',
  );
  await shot(page, 'llm-call-ids', { fullPage: false });

  // The copy button puts the trace id on the clipboard.
  await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: new URL(server.url).origin });
  await detail.getByRole('button', { name: 'Copy trace id' }).click();
  await detail.getByRole('button', { name: 'Copy trace id' }).getByText('Copied').waitFor();
  assert.equal(await page.evaluate(() => navigator.clipboard.readText()), TRACE_ID);
  await detail.getByRole('button', { name: 'Copy request id' }).click();
  await until(async () => (await page.evaluate(() => navigator.clipboard.readText())) === REQUEST_ID, { what: 'the request id on the clipboard' });
});
