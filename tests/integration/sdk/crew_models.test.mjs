// Crews as models through the official `openai` npm client against the real
// codecrew binary replaying the hand-written codegen cassette
// (examples/crewcode): /v1/models lists crew/<template>; a chat completion on
// crew/codegen answers the generated files as fenced blocks with the run's
// usage, whole and streamed (stages as content lines first, then the same
// files, usage and [DONE]); files in fenced blocks seed the workspace; an
// unknown crew is a 404 in OpenAI's shape; a caller that disconnects before
// the answer cancels the crew (a second world whose crews call the fake
// upstream's slow model). The same crews answer through /v1/responses
// (whole and streamed) and Anthropic's /v1/messages. Crew models go through the key's admission like
// any model (429 past its rpm, their calls recorded under the key); a crew
// that fails is a 409 in OpenAI's and Anthropic's shapes; and an SDK's
// retries or a repeated Idempotency-Key start one run, not several.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import OpenAI from 'openai';
import Anthropic from '@anthropic-ai/sdk';
import { startWorld, eventually, root } from './harness.mjs';

let world;
let client;

before(async () => {
  world = await startWorld({ main: {} }, { serveArgs: ['--replay', join(root, 'examples/crewcode/codegen.cassette.jsonl')] });
  client = new OpenAI({ apiKey: world.keys.main, baseURL: `${world.url}/v1`, maxRetries: 0, timeout: 60_000 });
});
after(async () => world?.close());

const request = [{ role: 'user', content: 'A python slugify(text) function with unit tests' }];

test('models list the crews', async () => {
  const ids = [];
  for await (const model of client.models.list()) ids.push(model.id);
  for (const crew of ['crew/codegen', 'crew/update', 'crew/sdlc', 'crew/review']) assert.ok(ids.includes(crew), `${crew} in ${ids}`);
});

test('a crew answers like a model', async () => {
  const r = await client.chat.completions.create({ model: 'crew/codegen', messages: request });
  assert.equal(r.object, 'chat.completion');
  assert.equal(r.model, 'crew/codegen');
  assert.equal(r.choices[0].finish_reason, 'stop');
  const content = r.choices[0].message.content;
  assert.match(content, /^```slugify\.py\n/);
  assert.match(content, /def slugify\(text\):/);
  assert.match(content, /```test_slugify\.py\n/);
  assert.equal(r.usage.prompt_tokens, 2500);  // five calls of the cassette, 500 prompt tokens each
  assert.equal(r.usage.total_tokens, r.usage.prompt_tokens + r.usage.completion_tokens);
});

test('a streamed crew shows its stages, then the same files, usage and [DONE]', async () => {
  const whole = await client.chat.completions.create({ model: 'crew/codegen', messages: request });
  const stream = await client.chat.completions.create({
    model: 'crew/codegen', messages: request, stream: true, stream_options: { include_usage: true },
  });
  let content = '';
  let finish = null;
  let usage = null;
  for await (const chunk of stream) {
    assert.equal(chunk.object, 'chat.completion.chunk');
    for (const choice of chunk.choices) {
      content += choice.delta.content ?? '';
      finish = choice.finish_reason ?? finish;
    }
    if (chunk.usage) usage = chunk.usage;
  }
  assert.ok(content.startsWith('> stage PLANNING\n> stage BUILD\n'), content.slice(0, 80));
  assert.ok(content.endsWith(whole.choices[0].message.content), 'the streamed answer ends with the files');
  assert.equal(finish, 'stop');
  assert.equal(usage.total_tokens, whole.usage.total_tokens);
});

test('files in fenced blocks seed the workspace and are not answered back unchanged', async () => {
  const messages = [{ role: 'user', content: 'Add a slugify module next to this.\n```README.md\n# tools\n```\n' }];
  const r = await client.chat.completions.create({ model: 'crew/codegen', messages });
  const content = r.choices[0].message.content;
  assert.match(content, /```slugify\.py\n/);
  assert.doesNotMatch(content, /README\.md/);
});

test('a crew answers through the Responses API and Anthropic messages as well', async () => {
  const goal = request[0].content;
  const r = await client.responses.create({ model: 'crew/codegen', input: goal });
  assert.equal(r.model, 'crew/codegen');
  assert.equal(r.status, 'completed');
  assert.match(r.output_text, /^```slugify\.py\n/);
  assert.match(r.output_text, /def slugify\(text\):/);
  assert.equal(r.usage.input_tokens, 2500);

  const stream = await client.responses.create({ model: 'crew/codegen', input: goal, stream: true });
  let text = '';
  let completed;
  for await (const event of stream) {
    if (event.type === 'response.output_text.delta') text += event.delta;
    if (event.type === 'response.completed') completed = event.response;
  }
  assert.ok(text.startsWith('> stage PLANNING\n'), text.slice(0, 80));
  assert.ok(text.endsWith(r.output_text), 'the streamed answer ends with the files');
  assert.equal(completed.usage.total_tokens, r.usage.total_tokens);

  const anthropic = new Anthropic({ apiKey: world.keys.main, baseURL: world.url, maxRetries: 0, timeout: 60_000 });
  const m = await anthropic.messages.create({ model: 'crew/codegen', max_tokens: 1024, messages: request });
  assert.equal(m.model, 'crew/codegen');
  assert.match(m.content[0].text, /def slugify\(text\):/);
  assert.equal(m.usage.input_tokens, 2500);
});

test('an unknown crew is a 404 in OpenAI\'s shape', async () => {
  await assert.rejects(client.chat.completions.create({ model: 'crew/nope', messages: request }), (e) => {
    assert.equal(e.status, 404);
    assert.equal(e.code, 'model_not_found');
    return true;
  });
});

test('a caller that disconnects before the answer cancels the crew', async () => {
  process.env.CODECREW_MODEL = 'oa/gpt-4o-mini';
  let live;
  try {
    live = await startWorld();
  } finally {
    delete process.env.CODECREW_MODEL;
  }
  try {
    await live.enqueue({ text: 'still thinking', latency_ms: 1500 });
    const slow = new OpenAI({ apiKey: live.keys.main, baseURL: `${live.url}/v1`, maxRetries: 0, timeout: 20_000 });
    const controller = new AbortController();
    const answer = slow.chat.completions.create({ model: 'crew/codegen', messages: request }, { signal: controller.signal });
    await eventually(async () => (await live.received()).length > 0, "the planner's model call");
    controller.abort();
    await assert.rejects(answer);
    const headers = { Authorization: `Bearer ${live.keys.main}` };
    const status = await eventually(async () => {
      const workflows = await (await fetch(`${live.url}/workflows`, { headers })).json();
      const wf = workflows.workflows[0];
      const list = await (await fetch(`${live.url}/workflows/${wf.id}/executions`, { headers })).json();
      return list.executions[0]?.status === 'cancelled' ? 'cancelled' : null;
    }, 'the execution to be cancelled');
    assert.equal(status, 'cancelled');
  } finally {
    await live.close();
  }
});

// A world whose crews call the fake upstream's model (scripted per test).
async function liveWorld(keys, env = {}) {
  Object.assign(process.env, { CODECREW_MODEL: 'oa/gpt-4o-mini', ...env });
  try {
    return await startWorld(keys);
  } finally {
    for (const k of ['CODECREW_MODEL', ...Object.keys(env)]) delete process.env[k];
  }
}

async function executionsOf(world, key) {
  const headers = { Authorization: `Bearer ${key}` };
  const workflows = await (await fetch(`${world.url}/workflows?page_size=200`, { headers })).json();
  let total = 0;
  for (const wf of workflows.workflows) {
    total += (await (await fetch(`${world.url}/workflows/${wf.id}/executions`, { headers })).json()).total;
  }
  return total;
}

test('a failing crew is a 409 in both shapes, and the SDKs\' retries start one run each', async () => {
  const live = await liveWorld();
  try {
    // Every model call fails for good (400): the crew fails.
    await live.enqueue(Array.from({ length: 40 }, () => ({ status: 400, error_message: 'no such thing' })));
    const openai = new OpenAI({ apiKey: live.keys.main, baseURL: `${live.url}/v1`, maxRetries: 2, timeout: 30_000 });
    await assert.rejects(openai.chat.completions.create({ model: 'crew/codegen', messages: request }), (e) => {
      assert.equal(e.status, 409);
      assert.equal(e.code, 'crew_failed');
      return true;
    });
    assert.equal(await executionsOf(live, live.keys.main), 1, 'two SDK retries, one run');
    const anthropic = new Anthropic({ apiKey: live.keys.main, baseURL: live.url, maxRetries: 2, timeout: 30_000 });
    await assert.rejects(anthropic.messages.create({ model: 'crew/codegen', max_tokens: 1024, messages: request }), (e) => {
      assert.equal(e.status, 409);
      assert.equal(e.error.type, 'error');
      assert.match(e.error.error.message, /did not complete/);
      return true;
    });
    assert.equal(await executionsOf(live, live.keys.main), 2);
  } finally {
    await live.close();
  }
});

test('a repeated Idempotency-Key answers from the first run', async () => {
  const live = await liveWorld();
  try {
    await live.enqueue(Array.from({ length: 40 }, () => ({ status: 400, error_message: 'no such thing' })));
    const body = JSON.stringify({ model: 'crew/codegen', messages: request });
    const post = () => fetch(`${live.url}/v1/chat/completions`, {
      method: 'POST', body,
      headers: { Authorization: `Bearer ${live.keys.main}`, 'Content-Type': 'application/json', 'Idempotency-Key': 'once' },
    });
    const first = await post();
    const again = await post();
    assert.equal(first.status, 409);
    assert.equal(again.status, 409);
    assert.deepEqual(await again.json(), await first.json());
    assert.equal(await executionsOf(live, live.keys.main), 1);
  } finally {
    await live.close();
  }
});

test('a crew model is admitted like any model: refused past the key\'s rpm, its calls are the key\'s', async () => {
  const replaying = await startWorld({ main: { rpm: 2 } },
    { serveArgs: ['--replay', join(root, 'examples/crewcode/codegen.cassette.jsonl')] });
  try {
    const c = new OpenAI({ apiKey: replaying.keys.main, baseURL: `${replaying.url}/v1`, maxRetries: 0, timeout: 60_000 });
    const r = await c.chat.completions.create({ model: 'crew/codegen', messages: request });
    const usage = await replaying.usage(replaying.keys.main);
    assert.equal(usage.total_calls, 5, 'the crew\'s five model calls are recorded under the key');
    assert.equal(usage.total_tokens_used, r.usage.total_tokens);
    await c.chat.completions.create({ model: 'crew/codegen', messages: request });
    await assert.rejects(c.chat.completions.create({ model: 'crew/codegen', messages: request }), (e) => {
      assert.equal(e.status, 429);
      assert.equal(e.code, 'rate_limit_exceeded');
      return true;
    });
    assert.equal(await executionsOf(replaying, replaying.keys.main), 2, 'the refused request started nothing');
  } finally {
    await replaying.close();
  }
});

test('a caller still waiting past run_timeout_seconds gets a 504 naming the execution, which goes on', async () => {
  const live = await liveWorld(undefined, { CODECREW_CREWCODE_TIMEOUT_SECONDS: '1' });
  try {
    await live.enqueue({ text: 'still thinking', latency_ms: 3000 });
    const c = new OpenAI({ apiKey: live.keys.main, baseURL: `${live.url}/v1`, maxRetries: 0, timeout: 20_000 });
    await assert.rejects(c.chat.completions.create({ model: 'crew/codegen', messages: request }), (e) => {
      assert.equal(e.status, 504);
      assert.match(e.message, /execution \d+ goes on/);
      return true;
    });
    const headers = { Authorization: `Bearer ${live.keys.main}` };
    const workflows = await (await fetch(`${live.url}/workflows`, { headers })).json();
    const list = await (await fetch(`${live.url}/workflows/${workflows.workflows[0].id}/executions`, { headers })).json();
    assert.notEqual(list.executions[0].status, 'cancelled', 'the crew goes on after the 504');
  } finally {
    await live.close();
  }
});
