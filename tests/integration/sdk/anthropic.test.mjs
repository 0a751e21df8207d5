// The official `@anthropic-ai/sdk` npm client against codecrew's /v1/messages
// and the fake upstream: plain, streamed, tool use (whole and streamed),
// usage, errors, and an OpenAI model translated both ways.
import { test, before, after, beforeEach } from 'node:test';
import assert from 'node:assert/strict';
import Anthropic from '@anthropic-ai/sdk';
import { startWorld } from './harness.mjs';

let world;
let client;

before(async () => {
  world = await startWorld();
  client = new Anthropic({ apiKey: world.keys.main, baseURL: world.url, maxRetries: 0, timeout: 20_000 });
});
after(async () => world?.close());
beforeEach(async () => world.reset());

const weatherTool = {
  name: 'get_weather',
  description: 'Weather of a city',
  input_schema: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] },
};
const weatherCall = {
  text: '',
  finish: 'tool_calls',
  tool_calls: [{ id: 'toolu_1', name: 'get_weather', arguments: '{"city":"Paris"}' }],
};
const ask = (model, extra = {}) => ({
  model, max_tokens: 256, system: 'be brief', messages: [{ role: 'user', content: 'hello' }], ...extra,
});

test('plain message with usage', async () => {
  await world.enqueue({ text: 'Hi there' });
  const r = await client.messages.create(ask('claude-3-5-haiku'));
  assert.equal(r.type, 'message');
  assert.equal(r.role, 'assistant');
  assert.equal(r.content[0].type, 'text');
  assert.equal(r.content[0].text, 'Hi there');
  assert.equal(r.stop_reason, 'end_turn');
  assert.deepEqual([r.usage.input_tokens, r.usage.output_tokens], [12, 7]);
  const [sent] = await world.received();
  assert.equal(sent.target, '/v1/messages');
  assert.ok(!sent.body.includes(world.keys.main));
});

test('streamed message through the SDK stream helper', async () => {
  const text = 'A streamed answer in pieces.';
  await world.enqueue({ text });
  const stream = client.messages.stream(ask('claude-3-5-haiku'));
  let deltas = 0;
  stream.on('text', () => { deltas += 1; });
  const final = await stream.finalMessage();
  assert.equal(final.content[0].text, text);
  assert.ok(deltas > 2, `expected several text deltas, got ${deltas}`);
  assert.equal(final.usage.output_tokens, 7);
});

test('tool use, whole and streamed', async () => {
  await world.enqueue(weatherCall);
  const whole = await client.messages.create(ask('claude-3-5-haiku', { tools: [weatherTool] }));
  assert.equal(whole.stop_reason, 'tool_use');
  const block = whole.content.find((b) => b.type === 'tool_use');
  assert.equal(block.name, 'get_weather');
  assert.deepEqual(block.input, { city: 'Paris' });

  await world.enqueue(weatherCall);
  const final = await client.messages.stream(ask('claude-3-5-haiku', { tools: [weatherTool] })).finalMessage();
  const streamed = final.content.find((b) => b.type === 'tool_use');
  assert.equal(final.stop_reason, 'tool_use');
  assert.deepEqual(streamed.input, { city: 'Paris' });
});

test('an OpenAI model through the Anthropic client, whole and streamed', async () => {
  await world.enqueue({ text: 'From GPT.' });
  const r = await client.messages.create(ask('gpt-4o-mini'));
  assert.equal(r.content[0].text, 'From GPT.');
  assert.equal(r.usage.input_tokens, 12);
  await world.enqueue(weatherCall);
  const final = await client.messages.stream(ask('gpt-4o-mini', { tools: [weatherTool] })).finalMessage();
  assert.deepEqual(final.content.find((b) => b.type === 'tool_use').input, { city: 'Paris' });
  const received = await world.received();
  assert.deepEqual(received.map((r) => r.target), ['/v1/chat/completions', '/v1/chat/completions']);
  assert.equal(received[1].stream, true);
});

test('errors arrive as the SDK error classes with Anthropic types', async () => {
  await assert.rejects(client.messages.create(ask('no-such-model')), (e) => {
    assert.ok(e instanceof Anthropic.NotFoundError);
    assert.equal(e.error.error.type, 'not_found_error');
    return true;
  });
  const stranger = new Anthropic({ apiKey: 'cc_not_a_real_key_0000', baseURL: world.url, maxRetries: 0 });
  await assert.rejects(stranger.messages.create(ask('claude-3-5-haiku')), Anthropic.AuthenticationError);
  await world.enqueue({ status: 500, error_message: 'provider exploded' });
  await assert.rejects(client.messages.create(ask('claude-3-5-haiku')), (e) => {
    assert.ok(e instanceof Anthropic.APIError);
    assert.equal(e.status, 502);
    assert.equal(e.error.type, 'error');
    return true;
  });
});
