// Pure derivations for the monitor: the stage timeline, the plan's task
// states, the live call list and the terminal's commands.
import { parseStep } from './format';
import { describeDeliveryEvent } from './pullRequest';
import type { Inflight } from './live';
import type { Conversation, Execution, LlmCall, Message, PlanTask, WfEvent } from './types';

export type StageState = 'done' | 'current' | 'waiting' | 'failed' | 'pending' | 'skipped';

export interface StageView {
  name: string;
  state: StageState;
  visits: number;
  started: number | null;
  ended: number | null;
}

const ms = (t: string | number | null | undefined) => (t == null ? null : typeof t === 'number' ? t : Date.parse(t));

export function currentStage(exec: Execution): string {
  if (exec.stage === 'WAITING_APPROVAL') return exec.progress?.paused_at ?? exec.stage;
  return exec.stage;
}

export function stageTimeline(stages: string[], exec: Execution, convs: Conversation[], status: WfEvent[]): StageView[] {
  const cur = currentStage(exec);
  let curIdx = stages.indexOf(cur);
  if (exec.status === 'completed') curIdx = stages.length - 1;
  const ends: Record<string, number> = {};
  const entered: Record<string, number> = {};
  for (const e of status) {
    if (e.type !== 'execution.stage') continue;
    const from = String(e.data.from ?? '');
    const to = String(e.data.to ?? '');
    ends[from] = e.created_at;
    if (to && to !== from && entered[to] === undefined) entered[to] = e.created_at;
  }
  const visits: Record<string, Set<number>> = {};
  const firstConv: Record<string, number> = {};
  for (const c of convs) {
    const p = parseStep(c.step);
    (visits[p.stage] ??= new Set()).add(p.visit);
    const t = ms(c.timestamp);
    if (t !== null && (firstConv[p.stage] === undefined || t < firstConv[p.stage])) firstConv[p.stage] = t;
  }
  return stages.map((name, i) => {
    let state: StageState;
    if (name === 'DONE') state = exec.status === 'completed' ? 'done' : 'pending';
    else if (curIdx < 0) state = visits[name] ? 'done' : 'pending';
    else if (i < curIdx) state = visits[name] || ends[name] ? 'done' : 'skipped';
    else if (i === curIdx) {
      if (exec.status === 'failed' || exec.status === 'cancelled') state = 'failed';
      else if (exec.status === 'waiting_approval' || exec.stage === 'WAITING_APPROVAL') state = 'waiting';
      else if (exec.status === 'completed') state = 'done';
      else state = 'current';
    } else state = 'pending';
    const started = entered[name] ?? firstConv[name] ?? (i === 0 ? ms(exec.started_at) : null);
    const ended = ends[name] ?? (name === 'DONE' && exec.status === 'completed' ? ms(exec.finished_at) : null);
    return { name, state, visits: visits[name]?.size ?? 0, started, ended };
  });
}

export type TaskState = 'done' | 'running' | 'ready' | 'blocked';

export function planTaskStates(tasks: PlanTask[], exec: Execution, convs: Conversation[], inflight: Record<string, Inflight>, conv: WfEvent[]): Record<string, TaskState> {
  const done = new Set<string>();
  for (const t of exec.progress?.plan?.tasks ?? []) if (t.state === 'done') done.add(t.id);
  const finished = new Set<string>();
  for (const e of conv) if (e.type === 'agent.finished') finished.add(String(e.data.step ?? ''));
  const started = new Set<string>();
  for (const c of convs) started.add(c.step);
  for (const s of Object.keys(inflight)) started.add(s);
  const taskOf = (step: string) => parseStep(step).sub;
  for (const s of finished) if (taskOf(s) && tasks.some((t) => t.id === taskOf(s))) done.add(taskOf(s));
  const running = new Set<string>();
  for (const s of started) if (!finished.has(s)) running.add(taskOf(s));
  const out: Record<string, TaskState> = {};
  for (const t of tasks) {
    if (done.has(t.id)) out[t.id] = 'done';
    else if (running.has(t.id) && exec.status === 'running') out[t.id] = 'running';
    else out[t.id] = t.depends_on.every((d) => done.has(d)) ? 'ready' : 'blocked';
  }
  return out;
}

/** Layers of a DAG (longest path from a root); cycles and unknown deps are tolerated. */
export function dagLayers(tasks: PlanTask[]): string[][] {
  const byId = new Map(tasks.map((t) => [t.id, t]));
  const depth = new Map<string, number>();
  const visiting = new Set<string>();
  const d = (id: string): number => {
    if (depth.has(id)) return depth.get(id)!;
    if (visiting.has(id)) return 0;
    visiting.add(id);
    const t = byId.get(id);
    const v = t && t.depends_on.length ? Math.max(...t.depends_on.filter((x) => byId.has(x)).map((x) => d(x) + 1), 0) : 0;
    visiting.delete(id);
    depth.set(id, v);
    return v;
  };
  const layers: string[][] = [];
  for (const t of tasks) (layers[d(t.id)] ??= []).push(t.id);
  return layers.filter(Boolean);
}

export interface CallRow {
  id: number;
  agent: string;
  step: string;
  model: string;
  prompt_tokens: number | null;
  completion_tokens: number | null;
  total_tokens: number;
  cost: number;
  latency: number | null;
  status: string;
  time: number | null;
}

/** The stored calls (REST) merged with calls seen on the stream and not fetched yet, newest first. */
export function mergeCalls(calls: LlmCall[], conv: WfEvent[], convs: Conversation[]): CallRow[] {
  const agentOfConv = new Map(convs.map((c) => [c.id, c]));
  const rows = new Map<number, CallRow>();
  for (const c of calls) {
    const cv = c.conversation_id === null ? undefined : agentOfConv.get(c.conversation_id);
    rows.set(c.id, {
      id: c.id,
      agent: c.agent ?? cv?.agent ?? '?',
      step: cv?.step ?? '',
      model: c.model,
      prompt_tokens: c.prompt_tokens,
      completion_tokens: c.completion_tokens,
      total_tokens: c.total_tokens,
      cost: c.cost,
      latency: c.response_time_ms,
      status: c.status,
      time: ms(c.timestamp),
    });
  }
  for (const e of conv) {
    if (e.type !== 'agent.llm_call') continue;
    const id = Number(e.data.llm_call_id);
    if (!id || rows.has(id)) continue;
    rows.set(id, {
      id,
      agent: String(e.data.agent ?? '?'),
      step: String(e.data.step ?? ''),
      model: String(e.data.model ?? ''),
      prompt_tokens: null,
      completion_tokens: null,
      total_tokens: Number(e.data.tokens ?? 0),
      cost: Number(e.data.cost ?? 0),
      latency: null,
      status: 'success',
      time: e.created_at,
    });
  }
  return [...rows.values()].sort((a, b) => b.id - a.id);
}

export interface TerminalEntry {
  key: string;
  step: string;
  agent: string;
  command: string;
  output: string;
  exitCode: number | null;
  error: string | null;
  time: string;
}

/** run_command calls and their results from a conversation's messages. */
export function terminalEntries(conv: Conversation, messages: Message[]): TerminalEntry[] {
  const commands = new Map<string, string>();
  const out: TerminalEntry[] = [];
  for (const m of messages) {
    const meta = m.message_metadata ?? {};
    if (m.role === 'assistant') {
      for (const tc of meta.tool_calls ?? []) {
        if (tc.name !== 'run_command') continue;
        let cmd = tc.arguments;
        try {
          const a = JSON.parse(tc.arguments) as { command?: string | string[] };
          if (a.command) cmd = Array.isArray(a.command) ? a.command.join(' ') : a.command;
        } catch {
          /* keep the raw arguments */
        }
        commands.set(tc.id, cmd);
      }
    } else if (m.role === 'tool' && meta.name === 'run_command') {
      const id = meta.tool_call_id ?? String(m.id);
      let output = m.content;
      let exitCode: number | null = null;
      let error: string | null = null;
      try {
        const r = JSON.parse(m.content) as Record<string, unknown>;
        const parts: string[] = [];
        for (const k of ['stdout', 'output', 'stderr']) if (typeof r[k] === 'string' && r[k]) parts.push(String(r[k]));
        output = parts.join(parts.length > 1 && !parts[0].endsWith('\n') ? '\n' : '');
        for (const k of ['exit_code', 'exitCode', 'code', 'status']) if (typeof r[k] === 'number') exitCode = r[k] as number;
        if (typeof r.error === 'string') error = r.error;
        if (r.timed_out) error = (error ? error + '; ' : '') + 'timed out';
      } catch {
        /* plain text */
      }
      out.push({ key: `${conv.id}/${id}`, step: conv.step, agent: conv.agent, command: commands.get(id) ?? '(command)', output, exitCode, error, time: m.created_at });
    }
  }
  return out;
}

export function describeEvent(e: WfEvent): string {
  const d = e.data ?? {};
  switch (e.type) {
    case 'execution.status':
      return `execution ${d.status}${d.stage ? ` (${d.stage})` : ''}${d.error ? `: ${d.error}` : ''}`;
    case 'execution.stage':
      return d.from === d.to ? `stage ${d.from} done` : `stage ${d.from} → ${d.to}`;
    case 'task.completed':
      return `task ${d.task} completed (${d.visit})`;
    case 'approval.requested':
      return `approval requested at gate ${d.gate}`;
    case 'approval.decided':
      return `gate ${d.gate}: ${d.decision}`;
    case 'agent.llm_call':
      return `${d.agent} called ${d.model}: ${d.tokens} tokens`;
    case 'agent.tool_call':
      return `${d.agent} ran ${d.tool}${d.ok === false ? ' (failed)' : ''}`;
    case 'agent.finished':
      return `${d.agent} finished ${d.step}`;
    case 'agent.guardrail_violation':
      return `${d.agent}: output refused by its schema`;
    default:
      return describeDeliveryEvent(e) ?? e.type;
  }
}
