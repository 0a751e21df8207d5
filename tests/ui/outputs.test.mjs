// A finished execution's outputs: the diffs side by side with syntax
// highlighting, the artifacts rendered from markdown, the cost and token
// charts, the workflow list and overview.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { api, browserSuite, createWorkflow, horizontalOverflow, runToCompletion, shot, until } from './harness.mjs';

let server, browser, wf, exec;

const skip = browserSuite('outputs', async (started) => {
  ({ server, browser } = started);
  wf = await createWorkflow(server);
  exec = await runToCompletion(server, wf.id);
});

test('the workflow list and the workflow page', { skip }, async () => {
  const { page } = browser;
  // The list comes with each workflow's latest execution: no request per row.
  const perRow = [];
  const onRequest = (r) => { if (/\/executions\?/.test(r.url())) perRow.push(r.url()); };
  page.on('request', onRequest);
  await page.goto(server.url + '/#/workflows');
  const row = page.getByTestId('workflow-row').first();
  await row.waitFor();
  page.off('request', onRequest);
  assert.deepEqual(perRow, []);
  assert.equal(await page.getByTestId('workflow-row').count(), 1);
  assert.match(await row.textContent(), /wordcount/);
  assert.match(await row.textContent(), new RegExp(`execution #${exec.id}`));
  assert.match(await row.getByTestId('status').textContent(), /completed/);
  assert.match(await row.textContent(), /DONE/);
  assert.match(await row.textContent(), new RegExp(exec.total_tokens.toLocaleString('en-US')));
  // The status filter: nothing is running.
  await page.getByLabel('Status').selectOption('running');
  await page.getByTestId('empty').getByText('No workflow is running.').waitFor();
  await page.getByLabel('Status').selectOption('completed');
  await page.getByTestId('workflow-row').first().waitFor();
  await page.getByLabel('Status').selectOption('');
  await page.getByTestId('workflow-row').first().waitFor();
  await shot(page, 'workflows');

  await page.getByRole('link', { name: `#${wf.id} wordcount` }).click();
  await page.getByTestId('workflow-page').waitFor();
  await page.getByTestId('execution-row').first().waitFor();
  assert.equal(await page.getByTestId('execution-row').count(), 1);
  await shot(page, 'workflow');
});

test('a diff side by side, highlighted', { skip }, async () => {
  const { page } = browser;
  const diffs = await api(server, 'GET', `/workflows/${wf.id}/diffs?execution_id=${exec.id}`);
  await page.goto(server.url + `/#/workflows/${wf.id}`);
  await page.getByRole('link', { name: 'Diffs' }).click();
  await page.getByTestId('diffs-page').waitFor();
  await page.getByTestId('diff-file').first().waitFor();
  assert.equal(await page.getByTestId('diff-file').count(), diffs.total, 'one entry per changed file');
  await page.getByTestId('diff-file').filter({ hasText: 'wordcount.py' }).filter({ hasNotText: 'test_' }).click();
  const view = page.getByTestId('diff-view');
  await view.getByText('wordcount.py', { exact: true }).waitFor();
  const table = page.getByTestId('diff-table');
  await table.waitFor();
  assert.ok(await table.locator('td.code-add').count() > 5, 'added lines on the right');
  assert.ok(await table.locator('.hljs-keyword').count() > 0, 'python keywords highlighted');
  assert.match(await table.textContent(), /def count/);
  assert.ok(await table.locator('td.code-empty').count() > 0, 'the old side of a new file is empty');
  await shot(page, 'diffs');
  // The unified view is a checkbox away.
  await page.getByLabel('Unified').check();
  assert.ok(await page.locator('table.diff-unified').count() === 1);
});

test('artifacts rendered from markdown', { skip }, async () => {
  const { page } = browser;
  await page.goto(server.url + `/#/workflows/${wf.id}/artifacts`);
  await page.getByTestId('artifact-link').first().waitFor();
  const arts = await api(server, 'GET', `/workflows/${wf.id}/artifacts?execution_id=${exec.id}`);
  assert.equal(await page.getByTestId('artifact-link').count(), arts.total);
  await page.getByTestId('artifact-link').filter({ hasText: 'requirements' }).click();
  const view = page.getByTestId('artifact-view');
  await view.locator('h1', { hasText: 'Requirements' }).waitFor();
  assert.ok(await view.locator('li').count() >= 3, 'a markdown list');
  assert.ok(await view.locator('code').count() >= 1, 'inline code');
  await shot(page, 'artifacts');
  await page.getByTestId('artifact-link').filter({ hasText: 'plan' }).first().click();
  await view.locator('.hljs-attr').first().waitFor(); // JSON, pretty and highlighted
});

test('cost and tokens over time, per model and per agent', { skip }, async () => {
  const { page } = browser;
  await page.goto(server.url + `/#/workflows/${wf.id}/usage`);
  await page.getByTestId('chart-tokens-agent').waitFor();
  // one line per agent that called a model, one per model
  const agents = new Set();
  const wfd = await api(server, 'GET', `/workflows/${wf.id}`);
  for (const c of wfd.conversations) agents.add(c.agent);
  await until(async () => (await page.getByTestId('chart-tokens-agent').getByTestId('chart-line').count()) === agents.size, { what: `${agents.size} agent lines` });
  assert.equal(await page.getByTestId('chart-tokens-model').getByTestId('chart-line').count(), exec.models.length);
  assert.match(await page.getByTestId('chart-tokens-model').textContent(), new RegExp(`replay: ${exec.total_tokens.toLocaleString('en-US')}`));
  await shot(page, 'usage');
});

test('error and not-found states', { skip }, async () => {
  const { page } = browser;
  await page.goto(server.url + '/#/workflows/999');
  const err = page.getByTestId('error');
  await err.waitFor();
  assert.match(await err.textContent(), /404/);
  assert.match(await err.textContent(), /workflow 999 not found/);
  assert.equal(await err.getByRole('button', { name: 'Try again' }).count(), 1);
  await page.goto(server.url + `/#/workflows/${wf.id}/executions/999`);
  await page.locator('[data-testid=monitor][data-ready=false]').getByTestId('error').waitFor();
  await page.goto(server.url + '/#/no/such/page');
  await page.getByTestId('not-found').waitFor();
  await page.goto(server.url + `/#/workflows/${wf.id}/compare`);
  await page.getByTestId('empty').getByText('Comparing needs two executions').waitFor();
});

test('every page fits a phone', { skip, timeout: 60_000 }, async () => {
  const { page } = browser;
  await page.setViewportSize({ width: 390, height: 844 });
  try {
    const pages = {
      workflows: ['/#/workflows', 'workflows-page'],
      new: ['/#/new', 'new-workflow-page'],
      approvals: ['/#/approvals', 'approvals-page'],
      workflow: [`/#/workflows/${wf.id}`, 'workflow-page'],
      diffs: [`/#/workflows/${wf.id}/diffs`, 'diff-table'],
      artifacts: [`/#/workflows/${wf.id}/artifacts`, 'artifact-view'],
      'llm-calls': [`/#/workflows/${wf.id}/llm-calls`, 'calls-table'],
      usage: [`/#/workflows/${wf.id}/usage`, 'chart-tokens-agent'],
    };
    for (const [name, [route, testid]] of Object.entries(pages)) {
      await page.goto(server.url + route);
      await page.getByTestId(testid).waitFor();
      const overflow = await horizontalOverflow(page);
      assert.ok(overflow <= 1, `${name} scrolls sideways by ${overflow} px at 390 px`);
      if (name === 'diffs' || name === 'new') await shot(page, `${name}-phone`, { fullPage: false });
    }
  } finally {
    await page.setViewportSize({ width: 1280, height: 900 });
  }
});
