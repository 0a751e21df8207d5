// A server with API keys: the page asks for a key, refuses a wrong one,
// keeps a right one for the session, and asks again when it is revoked.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { api, browserSuite, createKey, shot } from './harness.mjs';

let server, browser, key;

const skip = browserSuite('api_key', async (started) => {
  ({ server, browser } = started);
  key = createKey(server.dataDir);
}, { server: { dev: false } });

test('the key prompt', { skip, timeout: 60_000 }, async () => {
  const { page, errors } = browser;
  await page.goto(server.url + '/#/workflows');
  const prompt = page.getByTestId('key-prompt');
  await prompt.waitFor();
  assert.equal(await page.getByTestId('workflows-page').count(), 0, 'nothing is shown without a key');
  await shot(page, 'api-key-prompt');
  await page.getByLabel('Key', { exact: true }).fill('cc_not_a_key');
  await page.getByRole('button', { name: 'Continue' }).click();
  await prompt.getByRole('alert').getByText(/refused/).waitFor();

  await page.getByLabel('Key', { exact: true }).fill(key);
  await page.getByRole('button', { name: 'Continue' }).click();
  await page.getByTestId('workflows-page').waitFor();
  await page.getByTestId('empty').getByText('No workflows yet.').waitFor();
  assert.equal(await page.evaluate(() => sessionStorage.getItem('codecrew.apiKey')), key, 'kept in the session');

  // Data created with the key shows; a reload keeps the key.
  await api(server, 'POST', '/workflows', { name: 'behind a key', crew: 'sdlc' }, { key });
  await page.reload();
  await page.getByTestId('workflow-row').first().waitFor();
  assert.match(await page.getByTestId('workflow-row').first().textContent(), /behind a key/);
  assert.equal(await page.getByTestId('key-prompt').count(), 0);

  // The live streams carry the key too: the monitor of a started execution goes live.
  const started = await api(server, 'POST', '/workflows/1/executions/start', undefined, { key, headers: { 'idempotency-key': 'k1' } });
  await page.goto(server.url + `/#/workflows/1/executions/${started.execution.id}`);
  await page.getByTestId('approval-banner').waitFor();
  await page.getByTestId('connection').getByText('live').waitFor();
  await shot(page, 'monitor-with-key');

  // A 401 (here: a key the server no longer knows) brings the prompt back.
  await page.evaluate(() => sessionStorage.setItem('codecrew.apiKey', 'cc_revoked'));
  await page.goto(server.url + '/#/workflows');
  await page.reload();
  await page.getByTestId('key-prompt').waitFor();
  assert.equal(await page.evaluate(() => sessionStorage.getItem('codecrew.apiKey')), null, 'the bad key is forgotten');
  assert.deepEqual(errors, []);
});
