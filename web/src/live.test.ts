import { describe, expect, it } from 'vitest';
import { applyEvents, type LiveState } from './live';
import type { WfEvent } from './types';

const empty: LiveState = { status: [], conv: [], tokens: {}, inflight: {}, statusState: 'open', convState: 'open', statusChunks: 0, convChunks: 0, statusCaughtUp: true, convCaughtUp: true, version: 0 };
const ev = (seq: number | null, type: string, data: Record<string, unknown> = {}, execution_id = 1): WfEvent => ({
  seq, type, workflow_id: 1, execution_id, data, created_at: 1000, live: seq === null,
});

describe('applyEvents', () => {
  it('splits channels, drops duplicates and other executions', () => {
    let s = applyEvents(empty, [ev(1, 'execution.status', { status: 'running' }), ev(2, 'agent.llm_call', { step: 'P#0/a' }), ev(3, 'task.completed', {}, 2)], 1);
    s = applyEvents(s, [ev(1, 'execution.status'), ev(2, 'agent.llm_call', { step: 'P#0/a' }), ev(4, 'agent.finished', { step: 'P#0/a' })], 1);
    expect(s.status.map((e) => e.seq)).toEqual([1]);
    expect(s.conv.map((e) => e.seq)).toEqual([2, 4]);
  });

  it('streams tokens and in-flight calls until the stored call lands', () => {
    let s = applyEvents(empty, [ev(null, 'llm_call.start', { step: 'B#0/x', agent: 'dev', estimated_tokens: 50 }), ev(null, 'token', { step: 'B#0/x', text: 'Hel' }), ev(null, 'token', { step: 'B#0/x', text: 'lo' })], 1);
    expect(s.inflight['B#0/x'].agent).toBe('dev');
    expect(s.tokens['B#0/x']).toBe('Hello');
    s = applyEvents(s, [ev(9, 'agent.llm_call', { step: 'B#0/x' })], 1);
    expect(s.inflight['B#0/x']).toBeUndefined();
    s = applyEvents(s, [ev(10, 'agent.finished', { step: 'B#0/x' })], 1);
    expect(s.tokens['B#0/x']).toBeUndefined();
  });

  it('returns the same state when nothing applies', () => {
    expect(applyEvents(empty, [ev(5, 'task.completed', {}, 7)], 1)).toBe(empty);
  });
});
