// The dialects beyond chat, with the clients that speak them, against the
// real codecrew binary and the fake upstream: the `openai` client's
// responses.create (whole, streamed, function tools and their outputs,
// previous_response_id), the Vercel AI SDK's default provider call
// (`openai(model)` speaks the Responses API: generateText, streamText, tools),
// the Anthropic client's messages.countTokens, /v1/models listing the
// upstream models beside the crews, /v1 errors in each dialect's shape, and
// the OpenAPI document of these routes.
import { test, before, after, beforeEach } from 'node:test';
import assert from 'node:assert/strict';
import OpenAI from 'openai';
import Anthropic from '@anthropic-ai/sdk';
import { createOpenAI } from '@ai-sdk/openai';
import { generateText, streamText, tool, jsonSchema, stepCountIs } from 'ai';
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
  name: 'get_weather',
  description: 'Weather of a city',
  parameters: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'], additionalProperties: false },
  strict: true,
};
const weatherCall = {
  text: '',
  finish: 'tool_calls',
  tool_calls: [{ id: 'call_1', name: 'get_weather', arguments: '{"city":"Paris"}' }],
};

test('responses.create: text, instructions and usage, recorded and priced', async () => {
  await world.enqueue({ text: 'Bonjour!' });
  const r = await client.responses.create({ model: 'gpt-4o-mini', instructions: 'Be brief.', input: 'Say hello in French' });
  assert.equal(r.object, 'response');
  assert.equal(r.status, 'completed');
  assert.equal(r.model, 'gpt-4o-mini');
  assert.equal(r.output_text, 'Bonjour!');
  assert.deepEqual([r.usage.input_tokens, r.usage.output_tokens, r.usage.total_tokens], [12, 7, 19]);
  const [sent] = await world.received();
  assert.equal(sent.target, '/v1/chat/completions');
  const body = JSON.parse(sent.body);
  assert.deepEqual(body.messages.map((m) => m.role), ['system', 'user']);
  assert.ok(!sent.body.includes(world.keys.main));
  // Recorded (the writer batches) under the key, priced.
  const call = await eventually(async () => (await world.usage(world.keys.main)).calls.find((c) => c.total_tokens === 19),
    'the call record');
  assert.equal(call.model, 'gpt-4o-mini');
  assert.ok(call.cost > 0);
});

test('responses.create streamed: its events in order, the text and the final response', async () => {
  const text = 'A streamed answer in several pieces.';
  await world.enqueue({ text });
  const stream = await client.responses.create({ model: 'gpt-4o-mini', input: 'Tell me', stream: true });
  const types = [];
  let deltas = '';
  let completed;
  let last = -1;
  for await (const event of stream) {
    assert.equal(event.sequence_number, last + 1);
    last = event.sequence_number;
    if (types.at(-1) !== event.type) types.push(event.type);
    if (event.type === 'response.output_text.delta') deltas += event.delta;
    if (event.type === 'response.completed') completed = event.response;
  }
  assert.equal(deltas, text);
  assert.deepEqual(types, [
    'response.created', 'response.in_progress', 'response.output_item.added', 'response.content_part.added',
    'response.output_text.delta', 'response.output_text.done', 'response.content_part.done',
    'response.output_item.done', 'response.completed',
  ]);
  assert.equal(completed.output[0].content[0].text, text);
  assert.equal(completed.usage.total_tokens, 19);

  // The SDK's stream helper assembles the same.
  await world.enqueue({ text });
  const final = await client.responses.stream({ model: 'claude-3-5-haiku', input: 'Tell me' }).finalResponse();
  assert.equal(final.output_text, text);
  const [, sent] = await world.received();
  assert.equal(sent.target, '/v1/messages');
});

test('responses.create with a function tool, its output sent back with previous_response_id', async () => {
  await world.enqueue(weatherCall);
  const first = await client.responses.create({ model: 'gpt-4o-mini', input: 'Weather in Paris?', tools: [weatherTool] });
  const call = first.output.find((item) => item.type === 'function_call');
  assert.ok(call, JSON.stringify(first.output));
  assert.equal(call.name, 'get_weather');
  assert.deepEqual(JSON.parse(call.arguments), { city: 'Paris' });

  await world.enqueue({ text: 'Sunny, 21C.' });
  const second = await client.responses.create({
    model: 'gpt-4o-mini',
    previous_response_id: first.id,
    input: [{ type: 'function_call_output', call_id: call.call_id, output: '{"sky":"sunny","c":21}' }],
    tools: [weatherTool],
  });
  assert.equal(second.output_text, 'Sunny, 21C.');
  assert.equal(second.previous_response_id, first.id);
  const sent = JSON.parse((await world.received())[1].body);
  assert.deepEqual(sent.messages.map((m) => m.role), ['user', 'assistant', 'tool']);
  assert.equal(sent.messages[1].tool_calls[0].id, call.call_id);
  assert.equal(sent.messages[2].tool_call_id, call.call_id);

  // Streamed, the call's arguments arrive as deltas.
  await world.enqueue(weatherCall);
  const stream = client.responses.stream({ model: 'gpt-4o-mini', input: 'Weather in Paris?', tools: [weatherTool] });
  let args = '';
  stream.on('response.function_call_arguments.delta', (e) => { args += e.delta; });
  const final = await stream.finalResponse();
  assert.equal(args, '{"city":"Paris"}');
  assert.equal(final.output.find((item) => item.type === 'function_call').call_id, 'call_1');
});

test('responses errors come in OpenAI\'s shape', async () => {
  await assert.rejects(client.responses.create({ model: 'no-such-model', input: 'hi' }), (e) => {
    assert.equal(e.status, 404);
    assert.equal(e.code, 'model_not_found');
    return true;
  });
  await assert.rejects(client.responses.create({ model: 'gpt-4o-mini', input: 'hi', previous_response_id: 'resp_nope' }), (e) => {
    assert.equal(e.status, 400);
    assert.equal(e.param, 'previous_response_id');
    return true;
  });
  await assert.rejects(client.responses.retrieve('resp_nope'), (e) => {
    assert.equal(e.status, 404);
    assert.equal(e.error.type, 'invalid_request_error');
    return true;
  });
});

test('the Vercel AI SDK\'s default provider call (Responses API): text, stream, tools', async () => {
  const openai = createOpenAI({ apiKey: world.keys.main, baseURL: `${world.url}/v1` });
  await world.enqueue({ text: 'Hello from the gateway.' });
  const r = await generateText({ model: openai('gpt-4o-mini'), prompt: 'Say hello', maxRetries: 0 });
  assert.equal(r.text, 'Hello from the gateway.');
  assert.equal(r.usage.inputTokens, 12);
  assert.equal(r.usage.outputTokens, 7);
  assert.equal(r.finishReason, 'stop');
  assert.equal((await world.received())[0].target, '/v1/chat/completions');

  const text = 'Streaming through the Responses API.';
  await world.enqueue({ text });
  const streamed = streamText({ model: openai('gemini-2.0-flash'), prompt: 'Stream it', maxRetries: 0 });
  let chunks = 0;
  let whole = '';
  for await (const part of streamed.textStream) {
    chunks += 1;
    whole += part;
  }
  assert.equal(whole, text);
  assert.ok(chunks > 1, `expected several chunks, got ${chunks}`);
  assert.equal((await streamed.usage).totalTokens, 19);

  await world.enqueue(weatherCall);
  const withTools = await generateText({
    model: openai('gpt-4o-mini'),
    prompt: 'Weather in Paris?',
    maxRetries: 0,
    tools: {
      get_weather: tool({
        description: 'Weather of a city',
        inputSchema: jsonSchema({ type: 'object', properties: { city: { type: 'string' } }, required: ['city'] }),
      }),
    },
  });
  assert.equal(withTools.toolCalls.length, 1);
  assert.equal(withTools.toolCalls[0].toolName, 'get_weather');
  assert.deepEqual(withTools.toolCalls[0].input, { city: 'Paris' });
});

test('the Vercel AI SDK\'s tool loop: the next step names the call by reference', async () => {
  const openai = createOpenAI({ apiKey: world.keys.main, baseURL: `${world.url}/v1` });
  await world.enqueue(weatherCall);
  await world.enqueue({ text: 'It is sunny in Paris.' });
  const r = await generateText({
    model: openai('gpt-4o-mini'),
    prompt: 'Weather in Paris?',
    maxRetries: 0,
    stopWhen: stepCountIs(3),
    tools: {
      get_weather: tool({
        description: 'Weather of a city',
        inputSchema: jsonSchema({ type: 'object', properties: { city: { type: 'string' } }, required: ['city'] }),
        execute: async ({ city }) => ({ city, sky: 'sunny' }),
      }),
    },
  });
  assert.equal(r.text, 'It is sunny in Paris.');
  assert.equal(r.steps.length, 2);
  const second = JSON.parse((await world.received())[1].body);
  assert.deepEqual(second.messages.map((m) => m.role), ['user', 'assistant', 'tool']);
  assert.equal(second.messages[1].tool_calls[0].id, 'call_1');
  assert.deepEqual(JSON.parse(second.messages[2].content), { city: 'Paris', sky: 'sunny' });
});

test('the Anthropic client\'s countTokens: the provider\'s count for Claude, an estimate for others', async () => {
  const anthropic = new Anthropic({ apiKey: world.keys.main, baseURL: world.url, maxRetries: 0, timeout: 20_000 });
  const params = { system: 'be brief', messages: [{ role: 'user', content: 'How long is this sentence in tokens?' }] };
  const claude = await anthropic.messages.countTokens({ model: 'claude-3-5-haiku', ...params });
  const [sent] = await world.received();
  assert.equal(sent.target, '/v1/messages/count_tokens');
  assert.equal(claude.input_tokens, Buffer.byteLength(sent.body));  // the fake counts the bytes it was sent
  assert.ok(!sent.body.includes(world.keys.main));

  const gpt = await anthropic.messages.countTokens({ model: 'gpt-4o-mini', ...params });
  assert.ok(gpt.input_tokens > 5 && gpt.input_tokens < 60, `${gpt.input_tokens}`);
  assert.equal((await world.received()).length, 1);

  await assert.rejects(anthropic.messages.countTokens({ model: 'no-such-model', ...params }), (e) => {
    assert.equal(e.status, 404);
    assert.equal(e.error.type, 'error');
    assert.equal(e.error.error.type, 'not_found_error');
    return true;
  });
});

test('/v1/models lists the upstream models beside the crews, each once', async () => {
  const ids = [];
  for await (const model of client.models.list()) ids.push(model.id);
  for (const id of ['gpt-4o-mini', 'claude-3-5-haiku', 'gemini-2.0-flash', 'oa/fake-large', 'gm/gemini-fake-pro', 'crew/codegen'])
    assert.ok(ids.includes(id), `${id} in ${ids}`);
  assert.equal(new Set(ids).size, ids.length, `duplicates in ${ids}`);
});

test('with only OPENAI_API_KEY and OPENAI_BASE_URL set: the upstream models are listed beside the crews and callable', async () => {
  const keyOnly = await startWorld({ main: {} }, {
    providers: false,
    env: (upstream) => ({ OPENAI_API_KEY: 'sk-env-only-0123456789', OPENAI_BASE_URL: `${upstream}/v1` }),
  });
  try {
    const c = new OpenAI({ apiKey: keyOnly.keys.main, baseURL: `${keyOnly.url}/v1`, maxRetries: 0, timeout: 20_000 });
    const ids = [];
    for await (const model of c.models.list()) ids.push(model.id);
    for (const id of ['gpt-4o-mini', 'fake-large', 'crew/codegen']) assert.ok(ids.includes(id), `${id} in ${ids}`);
    assert.equal(new Set(ids).size, ids.length, `duplicates in ${ids}`);
    await keyOnly.enqueue({ text: 'from the large model' });
    const r = await c.responses.create({ model: 'fake-large', input: 'hi' });
    assert.equal(r.output_text, 'from the large model');
    const [sent] = await keyOnly.received();
    assert.equal(JSON.parse(sent.body).model, 'fake-large');
  } finally {
    await keyOnly.close();
  }
});

test('unknown /v1 paths answer in the dialect of the path', async () => {
  const headers = { Authorization: `Bearer ${world.keys.main}`, 'Content-Type': 'application/json' };
  const openaiShape = await fetch(`${world.url}/v1/assistants`, { method: 'POST', headers, body: '{}' });
  assert.equal(openaiShape.status, 404);
  const o = await openaiShape.json();
  assert.equal(o.error.type, 'invalid_request_error');
  assert.ok('param' in o.error && 'code' in o.error && !('details' in o.error));
  const anthropicShape = await fetch(`${world.url}/v1/messages/batches`, { method: 'POST', headers, body: '{}' });
  assert.equal(anthropicShape.status, 404);
  const a = await anthropicShape.json();
  assert.equal(a.type, 'error');
  assert.equal(a.error.type, 'not_found_error');
});

test('the OpenAPI document describes the dialect routes in their own shapes', async () => {
  const doc = await (await fetch(`${world.url}/openapi.json`)).json();
  const component = (schema) => (schema.$ref ? doc.components.schemas[schema.$ref.split('/').pop()] : schema);
  const responses = doc.paths['/v1/responses'].post;
  assert.ok(component(responses.requestBody.content['application/json'].schema).properties.previous_response_id);
  assert.ok(responses.responses['200'].content['text/event-stream']);
  assert.equal(responses.responses['400'].content['application/json'].schema.$ref, '#/components/schemas/OpenAiError');
  const count = doc.paths['/v1/messages/count_tokens'].post;
  assert.deepEqual(component(count.responses['200'].content['application/json'].schema).required, ['input_tokens']);
  assert.equal(count.responses['404'].content['application/json'].schema.$ref, '#/components/schemas/AnthropicError');
  assert.deepEqual(doc.components.schemas.AnthropicError.properties.type.enum, ['error']);
});
