// The official `openai` npm client against codecrew's /v1 gateway and the fake
// upstream: plain, streamed, tool calls (whole and streamed), usage, errors,
// a model of another provider (Anthropic, Gemini) translated both ways,
// embeddings, and a disconnect (AbortController) that cancels upstream.
import { test, before, after, beforeEach } from 'node:test';
import assert from 'node:assert/strict';
import OpenAI from 'openai';
import { startWorld, eventually } from './harness.mjs';

let world;
let client;

before(async () => {
  world = await startWorld();
  client = new OpenAI({ apiKey: world.keys.main, baseURL: `${world.url}/v1`, maxRetries: 0, timeout: 20_000 });
});
after(async () => world?.close());
beforeEach(async () => world.reset());

const weatherTool = {
  type: 'function',
  function: {
    name: 'get_weather',
    description: 'Weather of a city',
    parameters: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] },
  },
};
const weatherCall = {
  text: '',
  finish: 'tool_calls',
  tool_calls: [{ id: 'call_1', name: 'get_weather', arguments: '{"city":"Paris","unit":"celsius"}' }],
};
const hello = [{ role: 'user', content: 'Say hello in French' }];

test('plain completion with usage', async () => {
  await world.enqueue({ text: 'Bonjour!' });
  const r = await client.chat.completions.create({ model: 'gpt-4o-mini', messages: hello });
  assert.equal(r.object, 'chat.completion');
  assert.equal(r.model, 'gpt-4o-mini');
  assert.equal(r.choices[0].message.content, 'Bonjour!');
  assert.equal(r.choices[0].finish_reason, 'stop');
  assert.deepEqual([r.usage.prompt_tokens, r.usage.completion_tokens, r.usage.total_tokens], [12, 7, 19]);
  const [sent] = await world.received();
  assert.equal(sent.target, '/v1/chat/completions');
  assert.ok(!sent.body.includes(world.keys.main), 'the caller key never reaches the provider');
});

test('streamed completion with include_usage', async () => {
  const text = 'Streaming arrives in several pieces.';
  await world.enqueue({ text });
  const stream = await client.chat.completions.create({
    model: 'gpt-4o-mini', messages: hello, stream: true, stream_options: { include_usage: true },
  });
  let content = '';
  let finish = null;
  let usage = null;
  let chunks = 0;
  for await (const chunk of stream) {
    chunks += 1;
    assert.equal(chunk.object, 'chat.completion.chunk');
    for (const choice of chunk.choices) {
      content += choice.delta.content ?? '';
      finish = choice.finish_reason ?? finish;
    }
    if (chunk.usage) usage = chunk.usage;
  }
  assert.equal(content, text);
  assert.ok(chunks > 3, `expected several chunks, got ${chunks}`);
  assert.equal(finish, 'stop');
  assert.equal(usage.total_tokens, 19);
});

test('tool call, whole', async () => {
  await world.enqueue(weatherCall);
  const r = await client.chat.completions.create({ model: 'gpt-4o-mini', messages: hello, tools: [weatherTool] });
  const call = r.choices[0].message.tool_calls[0];
  assert.equal(r.choices[0].finish_reason, 'tool_calls');
  assert.equal(call.id, 'call_1');
  assert.equal(call.function.name, 'get_weather');
  assert.deepEqual(JSON.parse(call.function.arguments), { city: 'Paris', unit: 'celsius' });
});

test('tool call, streamed through the SDK stream helper', async () => {
  await world.enqueue(weatherCall);
  const runner = client.chat.completions.stream({ model: 'gpt-4o-mini', messages: hello, tools: [weatherTool] });
  let argumentDeltas = 0;
  runner.on('chunk', (chunk) => {
    if (chunk.choices[0]?.delta?.tool_calls?.[0]?.function?.arguments) argumentDeltas += 1;
  });
  const final = await runner.finalChatCompletion();
  const call = final.choices[0].message.tool_calls[0];
  assert.equal(final.choices[0].finish_reason, 'tool_calls');
  assert.equal(call.function.name, 'get_weather');
  assert.deepEqual(JSON.parse(call.function.arguments), { city: 'Paris', unit: 'celsius' });
  assert.ok(argumentDeltas > 1, 'arguments arrive as several deltas');
});

test('an Anthropic model through the OpenAI client, whole and streamed', async () => {
  await world.enqueue({ text: 'From Claude.' });
  const r = await client.chat.completions.create({ model: 'claude-3-5-haiku', messages: hello });
  assert.equal(r.choices[0].message.content, 'From Claude.');
  assert.equal(r.usage.prompt_tokens, 12);
  await world.enqueue(weatherCall);
  const final = await client.chat.completions
    .stream({ model: 'claude-3-5-haiku', messages: hello, tools: [weatherTool] })
    .finalChatCompletion();
  assert.deepEqual(JSON.parse(final.choices[0].message.tool_calls[0].function.arguments), { city: 'Paris', unit: 'celsius' });
  const targets = (await world.received()).map((r) => r.target);
  assert.deepEqual(targets, ['/v1/messages', '/v1/messages']);
});

test('a Gemini model through the OpenAI client', async () => {
  await world.enqueue({ text: 'From Gemini.' });
  const r = await client.chat.completions.create({ model: 'gemini-2.0-flash', messages: hello });
  assert.equal(r.choices[0].message.content, 'From Gemini.');
  const [sent] = await world.received();
  assert.equal(sent.target, '/v1beta/models/gemini-2.0-flash:generateContent');
});

test('errors arrive as the SDK error classes with OpenAI codes', async () => {
  await assert.rejects(client.chat.completions.create({ model: 'no-such-model', messages: hello }), (e) => {
    assert.ok(e instanceof OpenAI.NotFoundError);
    assert.equal(e.code, 'model_not_found');
    return true;
  });
  await assert.rejects(client.chat.completions.create({ model: 'gpt-4o-mini', messages: [] }), OpenAI.BadRequestError);
  const stranger = new OpenAI({ apiKey: 'cc_not_a_real_key_0000', baseURL: `${world.url}/v1`, maxRetries: 0 });
  await assert.rejects(stranger.chat.completions.create({ model: 'gpt-4o-mini', messages: hello }), OpenAI.AuthenticationError);
  await world.enqueue({ status: 500, error_message: 'provider exploded' });
  await assert.rejects(client.chat.completions.create({ model: 'gpt-4o-mini', messages: hello }), (e) => {
    assert.ok(e instanceof OpenAI.APIError);
    assert.equal(e.status, 502);
    return true;
  });
});

test('embeddings: the SDK default (base64) and floats agree', async () => {
  const input = ['first text', 'second text'];
  const viaBase64 = await client.embeddings.create({ model: 'text-embedding-3-small', input });
  const viaFloats = await client.embeddings.create({ model: 'text-embedding-3-small', input, encoding_format: 'float' });
  assert.equal(viaBase64.data.length, 2);
  assert.equal(viaBase64.data[0].embedding.length, 8);
  assert.deepEqual(viaBase64.data.map((d) => d.embedding), viaFloats.data.map((d) => d.embedding));
  assert.notDeepEqual(viaFloats.data[0].embedding, viaFloats.data[1].embedding);
  assert.equal(viaFloats.usage.prompt_tokens, 12);
  await assert.rejects(client.embeddings.create({ model: 'claude-3-5-haiku', input: 'x' }), (e) => {
    assert.ok(e instanceof OpenAI.BadRequestError);
    assert.equal(e.param, 'model');
    return true;
  });
});

test('a client that disconnects cancels the upstream stream', async () => {
  await world.enqueue({ text: 'x'.repeat(400), chunk_delay_ms: 100 });
  const controller = new AbortController();
  const stream = await client.chat.completions.create(
    { model: 'gpt-4o-mini', messages: hello, stream: true }, { signal: controller.signal });
  let pieces = 0;
  try {
    for await (const chunk of stream) {
      if (chunk.choices[0]?.delta?.content) pieces += 1;
      if (pieces === 2) controller.abort();
    }
  } catch (e) {
    assert.ok(e instanceof OpenAI.APIUserAbortError || e.name === 'AbortError', `unexpected ${e}`);
  }
  assert.ok(pieces < 10, `the stream stopped early (${pieces} of 50 pieces read)`);
  await eventually(async () => (await world.stats()).aborted_streams >= 1, 'the upstream stream to be abandoned');
  const call = await eventually(async () => {
    const usage = await world.usage(world.keys.main);
    return usage.calls.find((c) => c.error_code === 'cancelled');
  }, 'the cancelled call record');
  assert.equal(call.status, 'failed');
  assert.equal(call.model, 'gpt-4o-mini');
});
