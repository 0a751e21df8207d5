import { describe, expect, it } from 'vitest';
import { dagLayers, mergeCalls, planTaskStates, stageTimeline, terminalEntries } from './monitorModel';
import type { BudgetUse, Conversation, Execution, ExecutionProgress, LlmCall, Message, WfEvent } from './types';

const exec = (over: Partial<Execution> = {}): Execution => ({
  id: 1, workflow_id: 1, status: 'running', stage: 'BUILD', started_at: '2026-01-01T00:00:00Z', finished_at: null,
  total_calls: 0, total_tokens: 0, total_cost: 0, avg_latency_ms: 0, models: [], meta: {}, inputs: {}, idempotency_key: null, error: null,
  created_at: '', updated_at: '', progress: progress(), ...over,
});
const noBudget: BudgetUse = { tokens_used: 0, cost_used: 0, tokens_limit: null, cost_limit: null, tokens_left: null, cost_left: null };
const progress = (over: Partial<ExecutionProgress> = {}): ExecutionProgress => ({
  stage: 'BUILD', paused_at: null, loops: { test: 0, review: 0 }, visits: {}, branch: null, base_commit: null,
  budget: { execution: noBudget, agents: {}, step_limits: { tokens: null, cost: null } }, plan: null, tasks_done: [],
  gates: { passed: [], pending: null }, commits: {}, ...over,
});
const conv = (id: number, step: string, agent = 'dev'): Conversation => ({
  id, workflow_id: 1, execution_id: 1, agent, step, prompt: '', output: '', details: '', timestamp: '2026-01-01T00:00:01Z', total_tokens_used: 10, total_cost: 0,
});
const ev = (seq: number, type: string, data: Record<string, unknown>, t = 1000): WfEvent => ({ seq, type, workflow_id: 1, execution_id: 1, data, created_at: t, live: false });
const stages = ['PLANNING', 'DESIGN', 'BUILD', 'TEST', 'DONE'];

describe('stageTimeline', () => {
  it('marks stages before the current one done, the current one running, the rest pending', () => {
    const v = stageTimeline(stages, exec(), [conv(1, 'PLANNING#0/plan'), conv(2, 'BUILD#0/implement/a')], [ev(1, 'execution.stage', { from: 'PLANNING', to: 'BUILD' }, 5000)]);
    expect(v.map((s) => s.state)).toEqual(['done', 'skipped', 'current', 'pending', 'pending']);
    expect(v[0].ended).toBe(5000);
    expect(v[2].started).toBe(5000);
  });
  it('knows a gate and the end', () => {
    const waiting = exec({ status: 'waiting_approval', stage: 'WAITING_APPROVAL', progress: progress({ stage: 'PLANNING', paused_at: 'PLANNING' }) });
    expect(stageTimeline(stages, waiting, [], [])[0].state).toBe('waiting');
    const done = stageTimeline(stages, exec({ status: 'completed', stage: 'DONE' }), [conv(1, 'PLANNING#0/plan'), conv(2, 'BUILD#1/x')], []);
    expect(done.map((s) => s.state)).toEqual(['done', 'skipped', 'done', 'skipped', 'done']);
    expect(stageTimeline(stages, exec({ status: 'failed', stage: 'TEST' }), [], [])[3].state).toBe('failed');
  });
});

describe('the plan', () => {
  const tasks = [
    { id: 'a', title: 'A', depends_on: [] },
    { id: 'b', title: 'B', depends_on: ['a'] },
    { id: 'c', title: 'C', depends_on: ['a', 'b'] },
    { id: 'd', title: 'D', depends_on: [] },
  ];
  it('layers by longest path', () => {
    expect(dagLayers(tasks)).toEqual([['a', 'd'], ['b'], ['c']]);
    expect(dagLayers([{ id: 'x', title: '', depends_on: ['y'] }, { id: 'y', title: '', depends_on: ['x'] }]).flat().sort()).toEqual(['x', 'y']);
  });
  it('derives task states from the progress view, the steps and the events', () => {
    const e = exec({ progress: progress({ plan: { summary: '', tasks: tasks.map((t) => ({ ...t, description: '', files: [], state: t.id === 'a' ? 'done' : 'pending' })) } }) });
    const s = planTaskStates(tasks, e, [conv(1, 'BUILD#0/implement/b')], {}, []);
    expect(s).toEqual({ a: 'done', b: 'running', c: 'blocked', d: 'ready' });
    const s2 = planTaskStates(tasks, e, [conv(1, 'BUILD#0/implement/b')], {}, [ev(3, 'agent.finished', { step: 'BUILD#0/implement/b' })]);
    expect(s2.b).toBe('done');
    expect(s2.c).toBe('ready');
  });
});

describe('mergeCalls', () => {
  it('merges stored calls with ones seen only on the stream, newest first', () => {
    const stored = [{ id: 1, conversation_id: 7, execution_id: 1, model: 'm', prompt_tokens: 5, completion_tokens: 5, total_tokens: 10, response_time_ms: 3, status: 'success', cost: 0.1, timestamp: '2026-01-01T00:00:00Z' }] as LlmCall[];
    const rows = mergeCalls(stored, [ev(4, 'agent.llm_call', { llm_call_id: 1, agent: 'x' }), ev(5, 'agent.llm_call', { llm_call_id: 2, agent: 'dev', model: 'm', tokens: 20, cost: 0 })], [conv(7, 'P#0/a', 'planner')]);
    expect(rows.map((r) => [r.id, r.agent, r.latency])).toEqual([[2, 'dev', null], [1, 'planner', 3]]);
  });
});

describe('terminalEntries', () => {
  it('pairs run_command calls with their output', () => {
    const msgs = [
      { id: 1, conversation_id: 1, role: 'assistant', content: '', message_metadata: { tool_calls: [{ id: 't1', name: 'run_command', arguments: '{"command":"python3 -m unittest"}' }] }, created_at: 'a' },
      { id: 2, conversation_id: 1, role: 'tool', content: '{"exit_code":1,"stdout":"FAIL\\n","stderr":"boom"}', message_metadata: { tool_call_id: 't1', name: 'run_command' }, created_at: 'b' },
      { id: 3, conversation_id: 1, role: 'tool', content: '{}', message_metadata: { tool_call_id: 'x', name: 'write_file' }, created_at: 'c' },
    ] as Message[];
    const t = terminalEntries(conv(1, 'TEST#0/test', 'tester'), msgs);
    expect(t).toHaveLength(1);
    expect(t[0]).toMatchObject({ command: 'python3 -m unittest', output: 'FAIL\nboom', exitCode: 1, agent: 'tester' });
  });
});
