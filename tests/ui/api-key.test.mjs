// A server with API keys: the page asks for a key, refuses a wrong one,
// keeps a right one for the session, and asks again when it is revoked. The
// live monitor uses the browser's own WebSocket with a stream ticket, and a
// revoked key closes it.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { api, BINARY, browserSuite, createKey, shot, until } from './harness.mjs';

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

test('the live monitor authenticates its WebSocket with a ticket, and a revoked key closes it', { skip, timeout: 60_000 }, async () => {
  const { page, errors } = browser;
  const member = createKey(server.dataDir, 'ui', 'member');
  const wf = await api(server, 'POST', '/workflows', { name: 'ticketed', crew: 'sdlc' }, { key: member });
  const started = await api(server, 'POST', `/workflows/${wf.id}/executions/start`, undefined, { key: member, headers: { 'idempotency-key': 'k2' } });

  const sockets = [];
  const requests = [];
  const onSocket = (ws) => {
    const entry = { url: ws.url(), closed: false };
    ws.on('close', () => (entry.closed = true));
    sockets.push(entry);
  };
  const onRequest = (r) => requests.push({ method: r.method(), url: r.url(), auth: r.headers()['authorization'] });
  await page.goto(server.url + '/#/workflows');
  await page.evaluate((k) => sessionStorage.setItem('codecrew.apiKey', k), member);
  await page.goto(server.url + `/#/workflows/${wf.id}/executions/${started.execution.id}`);
  page.on('websocket', onSocket);
  page.on('request', onRequest);
  try {
    await page.reload();
    await page.getByTestId('approval-banner').waitFor();
    await page.getByTestId('connection').getByText('live').waitFor();

    // One native WebSocket, opened with a ticket (no key in its URL), after a POST for the ticket with the key.
    assert.equal(sockets.length, 1, JSON.stringify(sockets));
    assert.match(sockets[0].url, new RegExp(`/ws/workflows/${wf.id}\\?ticket=cst_[0-9a-f]{64}(&|$)`));
    assert.ok(!sockets[0].url.includes(member), 'the key never goes in a URL');
    const posts = requests.filter((r) => r.method === 'POST' && r.url.endsWith(`/workflows/${wf.id}/stream-tickets`));
    assert.equal(posts.length, 1);
    assert.equal(posts[0].auth, `Bearer ${member}`);
    assert.equal(requests.filter((r) => r.url.includes('/events/workflows/')).length, 0, 'no fetch()-read SSE with a key');

    // Revoking the key (another process, through the store) closes the socket; the page asks for a key again.
    const list = execFileSync(BINARY, ['keys', 'list', '--tenant', 'ui', '--data-dir', server.dataDir], { encoding: 'utf8' });
    const line = list.split('\n').find((l) => l.includes(member.slice(0, 11)));
    const id = /^\s*(\d+)/.exec(line)[1];
    execFileSync(BINARY, ['keys', 'revoke', id, '--data-dir', server.dataDir]);
    await until(() => sockets[0].closed, { what: 'the revoked key\'s socket to close' });
    await page.getByTestId('key-prompt').waitFor();
    assert.equal(await page.evaluate(() => sessionStorage.getItem('codecrew.apiKey')), null, 'the revoked key is forgotten');
    assert.deepEqual(errors, []);
  } finally {
    page.off('websocket', onSocket);
    page.off('request', onRequest);
  }
});
