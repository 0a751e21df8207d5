// Crews as models through the official `openai` npm client against the real
// codecrew binary replaying the hand-written codegen cassette
// (examples/crewcode): /v1/models lists crew/<template>; a chat completion on
// crew/codegen answers the generated files as fenced blocks with the run's
// usage, whole and streamed (stages as content lines first, then the same
// files, usage and [DONE]); files in fenced blocks seed the workspace; an
// unknown crew is a 404 in OpenAI's shape; a caller that disconnects before
// the answer cancels the crew (a second world whose crews call the fake
// upstream's slow model).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import OpenAI from 'openai';
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
