// The bodies the real binary answers validate against the schemas its own
// /openapi.json gives them: a workflow run from the wordcount cassette until
// its first approval gate, then every read route of its objects (the
// composite answers the unit tests do not render: a workflow with its
// conversations, an execution with its job, the LLM-call pages, /v1/usage...).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import Ajv2020 from 'ajv/dist/2020.js';
import { startServer, root } from './harness.mjs';

let server;
let doc;
const ajv = new Ajv2020({ strict: false, validateFormats: false, allErrors: true });

async function call(method, path, body, headers = {}) {
  const res = await fetch(server.url + path, {
    method,
    headers: { 'content-type': 'application/json', ...headers },
    body: body === undefined ? undefined : JSON.stringify(body),
    signal: AbortSignal.timeout(20_000),
  });
  return { status: res.status, body: res.status === 204 ? null : await res.json() };
}

// Checks an answer against the schema of (pattern, method, its status).
function expectDocumented(pattern, method, { status, body }, what) {
  const answer = doc.paths[pattern]?.[method]?.responses?.[String(status)];
  assert.ok(answer, `${what}: status ${status} is not documented for ${method} ${pattern}`);
  const schema = answer.content['application/json'].schema;
  const validate = ajv.compile({ ...schema, components: doc.components });
  assert.ok(validate(body), `${what}: ${ajv.errorsText(validate.errors)}\n${JSON.stringify(body).slice(0, 2000)}`);
}

before(async () => {
  server = await startServer({ replay: join(root, 'examples/wordcount/wordcount.cassette.jsonl') });
  doc = (await call('GET', '/openapi.json')).body;
});
after(() => server?.stop());

test('answers of a workflow run validate against the document', async () => {
  const goal = 'A python3 command-line program wordcount.py that counts lines, words and characters, with unit tests';
  const created = await call('POST', '/workflows', { name: 'wordcount', description: goal });
  expectDocumented('/workflows', 'post', created, 'POST /workflows');
  const id = created.body.id;
  const started = await call('POST', `/workflows/${id}/executions/start`, {}, { 'Idempotency-Key': 'openapi-1' });
  expectDocumented('/workflows/{id}/executions/start', 'post', started, 'POST executions/start');
  const eid = started.body.execution.id;
  // Until the first gate (or the end): bounded, never a fixed sleep.
  let execution;
  for (let i = 0; i < 600; i++) {
    execution = await call('GET', `/workflows/${id}/executions/${eid}`);
    if (['waiting_approval', 'completed', 'failed'].includes(execution.body.status)) break;
    await new Promise((r) => setTimeout(r, 100));
  }
  assert.ok(['waiting_approval', 'completed'].includes(execution.body.status), JSON.stringify(execution.body.error));
  expectDocumented('/workflows/{id}/executions/{eid}', 'get', execution, 'GET execution');

  const workflow = await call('GET', `/workflows/${id}`);
  expectDocumented('/workflows/{id}', 'get', workflow, 'GET workflow');
  assert.ok(workflow.body.conversations.length > 0, 'the run stored conversations');
  const conversation = workflow.body.conversations[0].id;
  const approvals = await call('GET', `/approvals?status=all&execution_id=${eid}`);
  expectDocumented('/approvals', 'get', approvals, 'GET /approvals');
  const calls = await call('GET', `/workflows/${id}/llm-calls`);
  expectDocumented('/workflows/{id}/llm-calls', 'get', calls, 'GET workflow llm-calls');
  assert.ok(calls.body.calls.length > 0, 'the run recorded LLM calls');
  const reads = [
    ['/health', '/health'],
    ['/workflows', '/workflows'],
    ['/workflows/{id}/executions', `/workflows/${id}/executions`],
    ['/conversations/{id}', `/conversations/${conversation}`],
    ['/conversations/{id}/llm-calls', `/conversations/${conversation}/llm-calls`],
    ['/workflows/{id}/artifacts', `/workflows/${id}/artifacts`],
    ['/workflows/{id}/diffs', `/workflows/${id}/diffs`],
    ['/workflows/{id}/compare', `/workflows/${id}/compare?with=${id}`],
    ['/workflows/{id}/executions/{a}/compare/{b}', `/workflows/${id}/executions/${eid}/compare/${eid}`],
    ['/crews', '/crews'],
    ['/crews/{name}', '/crews/sdlc'],
    ['/v1/models', '/v1/models'],
    ['/v1/usage', '/v1/usage'],
  ];
  if (approvals.body.approvals.length > 0) reads.push(['/approvals/{id}', `/approvals/${approvals.body.approvals[0].id}`]);
  for (const [pattern, path] of reads) expectDocumented(pattern, 'get', await call('GET', path), `GET ${path}`);
  const missing = await call('GET', '/workflows/999999');
  expectDocumented('/workflows/{id}', 'get', missing, 'a 404');

  const ticket = await call('POST', `/workflows/${id}/stream-tickets`);
  assert.equal(ticket.status, 201);
  expectDocumented('/workflows/{id}/stream-tickets', 'post', ticket, 'POST stream-tickets');
  const health = await call('GET', '/health');
  assert.equal(typeof health.body.database.writable, 'boolean');
  expectDocumented('/health', 'get', health, 'GET /health');
});

test('a workflow with CrewAI inputs, and /v1 refusals in their dialect, validate', async () => {
  const created = await call('POST', '/workflows', { name: 'inputs', inputs: { topic: 'AI agents' } });
  assert.equal(created.status, 201);
  assert.deepEqual(created.body.inputs, { topic: 'AI agents' });
  expectDocumented('/workflows', 'post', created, 'POST /workflows with inputs');
  const bad = await call('POST', '/workflows', { name: 'inputs', inputs: { year: 2026 } });
  expectDocumented('/workflows', 'post', bad, 'inputs that are not strings');
  for (const path of ['/v1/chat/completions', '/v1/responses', '/v1/messages', '/v1/messages/count_tokens']) {
    const refused = await call('POST', path, {});
    assert.equal(refused.status, 400, path);
    expectDocumented(path, 'post', refused, `POST ${path} without a model`);
  }
});

test("from-jira's answers (seed 001's shape) validate, with no Jira configured", async () => {
  const unconfigured = await call('POST', '/workflows/from-jira/PROJ-1');
  assert.equal(unconfigured.status, 500);
  assert.equal(unconfigured.body.message, 'Could not retrieve story PROJ-1 from Jira');
  expectDocumented('/workflows/from-jira/{story_id}', 'post', unconfigured, 'from-jira without Jira');
  const notAKey = await call('POST', '/workflows/from-jira/not%20a%20key');
  assert.equal(notAKey.status, 404);
  expectDocumented('/workflows/from-jira/{story_id}', 'post', notAKey, 'from-jira with an id that cannot be a key');
});
