// Per-key budgets and rate limits refused through both official clients:
// 429 in each dialect's error shape, with Retry-After, before any upstream call.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import OpenAI from 'openai';
import Anthropic from '@anthropic-ai/sdk';
import { startWorld } from './harness.mjs';

let world;

before(async () => {
  world = await startWorld({ budget: { daily_tokens: 10 }, slow: { rpm: 2 } });
});
after(async () => world?.close());

const openai = (key) => new OpenAI({ apiKey: key, baseURL: `${world.url}/v1`, maxRetries: 0 });
const anthropic = (key) => new Anthropic({ apiKey: key, baseURL: world.url, maxRetries: 0 });
const chat = { model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'spend' }] };
const message = { model: 'claude-3-5-haiku', max_tokens: 64, messages: [{ role: 'user', content: 'spend' }] };

test('a spent daily token budget is refused in both dialects', async () => {
  await world.reset();
  await openai(world.keys.budget).chat.completions.create(chat);  // 19 tokens: over the 10 allowed
  await assert.rejects(openai(world.keys.budget).chat.completions.create(chat), (e) => {
    assert.ok(e instanceof OpenAI.RateLimitError);
    assert.equal(e.code, 'budget_exceeded');
    assert.ok(Number(e.headers.get('retry-after')) > 0);
    return true;
  });
  await assert.rejects(anthropic(world.keys.budget).messages.create(message), (e) => {
    assert.ok(e instanceof Anthropic.RateLimitError);
    assert.equal(e.error.error.type, 'rate_limit_error');
    return true;
  });
  assert.equal((await world.received()).length, 1);
});

test('a key over its requests per minute is refused with Retry-After', async () => {
  await world.reset();
  await openai(world.keys.slow).chat.completions.create(chat);
  await anthropic(world.keys.slow).messages.create(message);
  await assert.rejects(openai(world.keys.slow).chat.completions.create(chat), (e) => {
    assert.ok(e instanceof OpenAI.RateLimitError);
    assert.equal(e.code, 'rate_limit_exceeded');
    assert.ok(Number(e.headers.get('retry-after')) > 0);
    return true;
  });
  assert.equal((await world.received()).length, 2);
});
