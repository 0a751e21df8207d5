// Create the wordcount workflow from the new-workflow page, start it, watch
// it in the live monitor, approve both gates from the page, and see it
// finish; a reload mid-run loses nothing.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { GOAL, api, browserSuite, horizontalOverflow, shot, until } from './harness.mjs';

let server, browser;

const skip = browserSuite('monitor', async (started) => {
  ({ server, browser } = started);
});

test('new workflow → monitor → approve at both gates → completed', { skip, timeout: 90_000 }, async () => {
  const { page, errors } = browser;
  await page.goto(server.url + '/');
  await page.getByTestId('workflows-page').waitFor();
  await page.getByTestId('empty').getByText('No workflows yet.').waitFor();
  await shot(page, 'workflows-empty');

  await page.getByRole('link', { name: 'New workflow' }).first().click();
  await page.getByTestId('new-workflow-page').waitFor();
  // The crew selector lists the templates and shows the chosen one's stages and agents.
  const crew = page.getByTestId('crew-select');
  await crew.waitFor();
  const options = await crew.locator('option').allTextContents();
  for (const name of ['sdlc', 'codegen', 'update', 'review']) assert.ok(options.includes(name), `crew ${name} in ${options}`);
  await crew.selectOption('sdlc');
  const preview = page.getByTestId('crew-preview');
  await preview.getByText('PLANNING').first().waitFor();
  for (const s of ['DESIGN', 'BUILD', 'TEST', 'REVIEW', 'DEPLOY']) assert.ok(await preview.getByText(s, { exact: true }).count() > 0, `stage ${s} shown`);
  for (const a of ['planner', 'architect', 'developer', 'tester', 'reviewer']) assert.ok(await preview.getByText(a, { exact: true }).count() > 0, `agent ${a} shown`);
  await page.getByLabel('Goal', { exact: true }).fill(GOAL);
  await page.getByLabel('Name (optional)').fill('wordcount from the page');
  await shot(page, 'new-workflow');
  await page.getByRole('button', { name: 'Create and start' }).click();

  // The monitor of the new execution; the planner runs, then the first gate waits.
  await page.waitForURL(/#\/workflows\/1\/executions\/1$/);
  const monitor = page.getByTestId('monitor');
  await until(async () => (await monitor.getAttribute('data-ready')) === 'true', { what: 'monitor ready' });
  const banner = page.getByTestId('approval-banner');
  await banner.waitFor();
  assert.match(await banner.textContent(), /after:PLANNING/);
  // The banner comes from the approval's event, the stage's state from the
  // execution's status: the two can arrive a moment apart.
  await until(async () => (await page.getByTestId('stage-PLANNING').getAttribute('data-state')) === 'waiting', { what: 'PLANNING waiting' });
  await page.getByTestId('plan-dag').getByTestId('dag-node').first().waitFor();
  assert.equal(await page.getByTestId('dag-node').count(), 2, 'the plan has two tasks');
  await until(async () => (await page.getByTestId('live-calls').getByTestId('call-row').count()) === 2, { what: 'two planner calls' });
  await shot(page, 'monitor-waiting-approval');

  // A reload while it waits loses nothing: same calls, same gate, same events.
  const activityBefore = await page.getByTestId('activity').locator('li').count();
  await page.reload();
  await until(async () => (await page.getByTestId('monitor').getAttribute('data-ready')) === 'true', { what: 'monitor ready after reload' });
  await page.getByTestId('approval-banner').waitFor();
  await until(async () => (await page.getByTestId('activity').locator('li').count()) === activityBefore, { what: `activity back to ${activityBefore} events` });
  assert.equal(await page.getByTestId('live-calls').getByTestId('call-row').count(), 2);

  // Approve from the page; the crew goes on to the next gate (before DEPLOY).
  await page.getByTestId('approval-banner').getByRole('button', { name: 'Approve' }).click();
  await until(async () => /before:DEPLOY/.test((await page.getByTestId('approval-banner').textContent({ timeout: 1000 })) ?? ''), { what: 'the before:DEPLOY gate' });
  const eventsAtGate = Number(await page.getByTestId('activity').getAttribute('data-count'));
  await until(async () => (await page.getByTestId('stage-BUILD').getAttribute('data-state')) === 'done', { what: 'BUILD done' });
  await until(async () => (await page.locator('[data-testid=dag-node][data-state=done]').count()) === 2, { what: 'both plan tasks done after BUILD' });

  // Approve with the keyboard this time: focus the button and press Enter.
  const approve = page.getByTestId('approval-banner').getByRole('button', { name: 'Approve' });
  await approve.focus();
  await page.keyboard.press('Enter');
  await until(async () => (await monitor.getAttribute('data-status')) === 'completed', { timeout: 60_000, what: 'execution completed' });
  // The status can show (from a refresh) a moment before the last event
  // has streamed in: count the events once the completion event is there.
  await until(async () => /execution completed/.test(await page.getByTestId('activity').textContent()), { what: 'the completion event' });
  const eventsAtEnd = Number(await page.getByTestId('activity').getAttribute('data-count'));
  assert.ok(eventsAtEnd > eventsAtGate, `more events after the gate (${eventsAtGate} → ${eventsAtEnd})`);
  await until(async () => (await page.getByTestId('stage-DONE').getAttribute('data-state')) === 'done', { what: 'DONE stage' });
  assert.equal(await page.getByTestId('approval-banner').count(), 0, 'no gate waits any more');

  // Everything the API has, the page shows.
  const exec = await api(server, 'GET', '/workflows/1/executions/1');
  assert.equal(exec.status, 'completed');
  await until(async () => (await page.getByTestId('live-calls').getByTestId('call-row').count()) === exec.total_calls, { what: `${exec.total_calls} call rows` });
  assert.match(await page.getByTestId('stat-tokens').textContent(), new RegExp(exec.total_tokens.toLocaleString('en-US')));
  for (const s of ['PLANNING', 'DESIGN', 'BUILD', 'TEST', 'REVIEW', 'DEPLOY', 'MONITOR']) assert.equal(await page.getByTestId(`stage-${s}`).getAttribute('data-state'), 'done', s);
  assert.match(await page.getByTestId('activity').textContent(), /execution completed/);
  // Each agent's conversation with its tool calls: open the developer's step.
  await page.getByTestId('step').filter({ hasText: 'implement/cli' }).click();
  await page.getByTestId('conversation').getByTestId('tool-call').first().waitFor();
  assert.match(await page.getByTestId('conversation').textContent(), /write_file/);
  // The sandbox's terminal shows the commands the agents ran.
  await page.getByTestId('terminal').getByText('python3 -m unittest').first().waitFor();
  await shot(page, 'monitor-completed');
  // A fresh load shows exactly the same history: nothing lost, nothing twice.
  await page.reload();
  await until(async () => (await page.getByTestId('monitor').getAttribute('data-ready')) === 'true', { what: 'monitor ready after reload' });
  assert.equal(Number(await page.getByTestId('activity').getAttribute('data-count')), eventsAtEnd);
  assert.equal(await page.getByTestId('live-calls').getByTestId('call-row').count(), exec.total_calls);
  assert.deepEqual(errors, [], 'no page errors');
});

test('a dropped connection resumes from its last event', { skip, timeout: 60_000 }, async () => {
  const { page } = browser;
  const started = await api(server, 'POST', '/workflows/1/executions/start', undefined, { headers: { 'idempotency-key': 'drop' } });
  const eid = started.execution.id;
  await page.goto(server.url + `/#/workflows/1/executions/${eid}`);
  await page.getByTestId('approval-banner').waitFor();
  await page.getByTestId('connection').getByText('live').waitFor();
  const before = Number(await page.getByTestId('activity').getAttribute('data-count'));
  // The server dies (every connection drops) and comes back on the same port and data.
  await server.crashAndRestart({ downMs: 300 });
  await page.getByTestId('connection').getByText('reconnecting').waitFor();
  // The gate is approved (over the API) and the crew runs on to the next gate
  // while the page is still waiting to reconnect.
  const gate = (await api(server, 'GET', `/approvals?execution_id=${eid}`)).approvals[0];
  await api(server, 'POST', `/approvals/${gate.id}/approve`, {});
  await until(async () => {
    const r = await api(server, 'GET', `/approvals?execution_id=${eid}`);
    return r.approvals.length === 1 && r.approvals[0].gate === 'before:DEPLOY';
  }, { what: 'the second gate' });
  // The page reconnects with Last-Event-ID and catches up.
  await page.getByTestId('connection').getByText('live').waitFor({ timeout: 30_000 });
  await until(async () => /before:DEPLOY/.test((await page.getByTestId('approval-banner').textContent({ timeout: 1000 })) ?? ''), { what: 'the second gate on the page' });
  await until(async () => (await page.getByTestId('stage-REVIEW').getAttribute('data-state')) === 'done', { what: 'REVIEW done' });
  const resumed = Number(await page.getByTestId('activity').getAttribute('data-count'));
  assert.ok(resumed > before, `the missed events arrived (${before} → ${resumed})`);
  await page.reload();
  await until(async () => (await page.getByTestId('monitor').getAttribute('data-ready')) === 'true', { what: 'monitor ready after reload' });
  assert.equal(Number(await page.getByTestId('activity').getAttribute('data-count')), resumed, 'the resumed page had every event once');
});

test('streamed tokens and model calls in flight show as they come', { skip, timeout: 30_000 }, async () => {
  // The wordcount cassette answers at once, so this feeds the page the live-only
  // events a slow model produces (llm_call.start, then token after token) in
  // front of the real conversation stream, through the browser's own fetch, for
  // an execution that waits at its first gate (an ended one has nothing in flight).
  const { page } = browser;
  const started = await api(server, 'POST', '/workflows/1/executions/start', undefined, { headers: { 'idempotency-key': 'stream' } });
  const eid = started.execution.id;
  await until(async () => (await api(server, 'GET', `/approvals?execution_id=${eid}`)).total === 1, { what: 'the first gate' });
  const step = 'DESIGN#0/design';
  const live = (type, data) => `event: ${type}\ndata: ${JSON.stringify({ seq: null, type, workflow_id: 1, execution_id: eid, data: { agent: 'architect', step, ...data }, created_at: Date.now(), live: true })}\n\n`;
  await page.goto('about:blank'); // no stream of the previous page may reconnect through the route
  await page.route('**/events/workflows/1/stream', (route) =>
    route.fulfill({
      status: 200,
      headers: { 'content-type': 'text/event-stream' },
      body: 'retry: 60000\n\n' + live('llm_call.start', { estimated_tokens: 4321, iteration: 1 }) +
        ['Modules: ', 'wordcount.py ', 'with count() ', 'and main()'].map((text) => live('token', { text })).join(''),
    }),
  );
  try {
    await page.goto(server.url + `/#/workflows/1/executions/${eid}`);
    const inflight = page.getByTestId('call-inflight');
    await inflight.waitFor();
    assert.match(await inflight.textContent(), /architect/);
    assert.match(await inflight.textContent(), /4,321 tokens in/);
    const streaming = page.getByTestId('streaming');
    await streaming.waitFor();
    assert.match(await streaming.textContent(), /Modules: wordcount\.py with count\(\) and main\(\)/);
    assert.equal(await page.getByTestId('step').filter({ hasText: 'DESIGN / design' }).getByText('working').count(), 1, 'the step is marked working');
    await shot(page, 'monitor-streaming');
  } finally {
    await page.unroute('**/events/workflows/1/stream');
  }
});

test('the monitor fits a phone', { skip, timeout: 30_000 }, async () => {
  const { page } = browser;
  await page.setViewportSize({ width: 390, height: 844 });
  await page.goto(server.url + '/#/workflows/1/executions/1');
  await until(async () => (await page.getByTestId('monitor').getAttribute('data-ready')) === 'true', { what: 'monitor ready' });
  assert.ok((await horizontalOverflow(page)) <= 1, 'no sideways scrolling at 390 px');
  await shot(page, 'monitor-phone', { fullPage: false });
  await page.goto(server.url + '/#/workflows');
  await page.getByTestId('workflow-row').first().waitFor();
  assert.ok((await horizontalOverflow(page)) <= 1, 'the workflow list fits 390 px');
  await shot(page, 'workflows-phone', { fullPage: false });
  await page.setViewportSize({ width: 1280, height: 900 });
});
