// The approvals page: a waiting gate decided from the list, a change request
// that needs a comment, and the empty state.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { api, createWorkflow, launch, shot, skipReason, startServer, until } from './harness.mjs';

const skip = skipReason();
if (skip) console.log(`# SKIP ui.approvals: ${skip}`);
let server, browser;

before(async () => {
  if (skip) return;
  server = await startServer();
  browser = await launch();
});
after(async () => {
  await browser?.close();
  await server?.stop();
});

test('decide gates from the approvals page', { skip: skip ?? false, timeout: 60_000 }, async () => {
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
