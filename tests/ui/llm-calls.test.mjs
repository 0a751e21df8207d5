// The LLM-call table: every filter and sort of the API, from the page.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { api, browserSuite, createWorkflow, runToCompletion, shot, until } from './harness.mjs';

let server, browser, wf, exec;

const skip = browserSuite('llm_calls', async (started) => {
  ({ server, browser } = started);
  wf = await createWorkflow(server);
  exec = await runToCompletion(server, wf.id);
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
