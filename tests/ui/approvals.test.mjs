// The approvals page: a waiting gate decided from the list, a change request
// that needs a comment, and the empty state.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { api, browserSuite, createWorkflow, shot, until } from './harness.mjs';

let server, browser;

const skip = browserSuite('approvals', async (started) => {
  ({ server, browser } = started);
});

test('decide gates from the approvals page', { skip, timeout: 60_000 }, async () => {
  const { page } = browser;
  await page.goto(server.url + '/#/approvals');
  await page.getByTestId('empty').getByText('No pending approval gates.').waitFor();

  const wf = await createWorkflow(server);
  const started = await api(server, 'POST', `/workflows/${wf.id}/executions/start`, undefined, { headers: { 'idempotency-key': 'a1' } });
  const eid = started.execution.id;
  await until(async () => (await api(server, 'GET', `/approvals?execution_id=${eid}`)).total === 1, { what: 'the first gate' });
  await page.getByRole('button', { name: 'Refresh' }).click();
  const card = page.getByTestId('approval-card').first();
  await card.waitFor();
  assert.match(await card.textContent(), /after:PLANNING/);
  await shot(page, 'approvals');

  // Request changes needs a comment.
  await card.getByRole('button', { name: 'Request changes' }).click();
  await card.getByRole('alert').getByText('Say what to change').waitFor();
  await card.getByRole('button', { name: 'Approve' }).click();
  await page.getByTestId('empty').waitFor();
  const decided = await api(server, 'GET', `/approvals?execution_id=${eid}&status=approved`);
  assert.equal(decided.total, 1);
  assert.equal(decided.approvals[0].gate, 'after:PLANNING');
  await page.getByLabel('Show').selectOption('approved');
  await page.getByTestId('approval-card').first().getByText('after:PLANNING').waitFor();
});

test('a workflow from a Jira key, and paging through the list', { skip, timeout: 60_000 }, async () => {
  const { page } = browser;
  await page.goto(server.url + '/#/new');
  await page.getByLabel('A Jira story').check();
  await page.getByLabel('Jira key').fill('not a key');
  await page.getByLabel('Start it now and open the monitor').uncheck();
  await page.getByRole('button', { name: 'Create', exact: true }).click();
  await page.getByTestId('error').getByText('PROJ-123').waitFor();
  await page.getByLabel('Jira key').fill('wc-42');
  assert.equal(await page.getByLabel('Jira key').inputValue(), 'WC-42', 'keys are upper case');
  await page.getByRole('button', { name: 'Create', exact: true }).click();
  await page.getByTestId('workflow-page').waitFor();
  assert.match(await page.getByTestId('workflow-page').textContent(), /Jira WC-42/);
  await page.getByTestId('empty').getByText('This workflow has not run yet.').waitFor();

  for (let i = 0; i < 21; i++) await api(server, 'POST', '/workflows', { name: `filler ${i}`, crew: 'review' });
  const total = (await api(server, 'GET', '/workflows?page_size=1')).total;
  await page.goto(server.url + '/#/workflows');
  await page.getByTestId('pager-info').getByText(`Page 1 of ${Math.ceil(total / 20)} · ${total} in all`).waitFor();
  assert.equal(await page.getByTestId('workflow-row').count(), 20);
  await page.getByRole('button', { name: 'Next ›' }).click();
  await page.getByTestId('pager-info').getByText('Page 2 of').waitFor();
  await until(async () => (await page.getByTestId('workflow-row').count()) === total - 20, { what: 'the second page' });
  assert.match(page.url(), /page=2/);
});
