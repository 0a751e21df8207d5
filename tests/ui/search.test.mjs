// The workflow page's search box over the workflow's repository: a finished
// wordcount run's workspace, searched by words, ranked by BM25 (the test
// server has no embedding model) and said so.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { browserSuite, createWorkflow, runToCompletion, shot } from './harness.mjs';

let server, browser, wf;

const skip = browserSuite('search', async (started) => {
  ({ server, browser } = started);
  wf = await createWorkflow(server);
  await runToCompletion(server, wf.id, { idem: 'search' });
});

test('search the repository from the workflow page', { skip, timeout: 60_000 }, async () => {
  const { page } = browser;
  await page.goto(server.url + `/#/workflows/${wf.id}`);
  const box = page.getByTestId('repo-search');
  await box.waitFor();
  const search = box.getByRole('button', { name: 'Search' });
  assert.ok(await search.isDisabled(), 'nothing typed yet');
  await box.getByLabel('Search the repository').fill('count the words of a file');
  await search.click();
  const results = page.getByTestId('repo-search-results');
  await results.waitFor();
  assert.equal((await page.getByTestId('repo-search-ranking').textContent()).trim(), 'bm25');
  const hits = results.locator('li');
  assert.ok((await hits.count()) >= 1, 'at least one chunk');
  assert.match(await results.textContent(), /wordcount/);
  // A hit opens to its text.
  await hits.first().getByRole('button').click();
  await results.locator('pre').first().waitFor();
  await shot(page, 'search');
});
