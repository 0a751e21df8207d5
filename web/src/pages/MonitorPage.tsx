import { useEffect, useMemo, useRef, useState } from 'react';
import { api, ApiError, fetchAll, qs } from '../api';
import { ApprovalActions } from '../components/ApprovalActions';
import { Empty, ErrorBox, Loading, Stat, StatusBadge } from '../components/ui';
import { loadCrew, stageNames } from '../crews';
import { duration, fmtClock, fmtCost, fmtInt, fmtMs, fmtTime, parseStep } from '../format';
import { useDebounced, useDocumentTitle } from '../hooks';
import { useLiveEvents, type Inflight, type LiveState } from '../live';
import {
  dagLayers, describeEvent, mergeCalls, planTaskStates, stageTimeline, terminalEntries,
  type CallRow, type StageView, type TaskState, type TerminalEntry,
} from '../monitorModel';
import type { Approval, Conversation, Crew, Execution, LlmCall, LlmCallPage, Message, PlanTask, WfEvent, WorkflowDetail } from '../types';

interface Data {
  exec?: Execution;
  wf?: WorkflowDetail;
  calls?: LlmCall[];
  approvals?: Approval[];
  crew?: Crew | null;
}

/** All LLM calls of an execution: the workflow endpoint, else each conversation's. */
async function loadCalls(
  wid: number,
  eid: number,
  convs: (() => Promise<Conversation[]>) | undefined,
  signal: AbortSignal,
  newestOnly = false,
): Promise<LlmCall[]> {
  try {
    if (newestOnly) {
      const r = await api<LlmCallPage>(`/workflows/${wid}/llm-calls` + qs({ execution_id: eid, sort_by: 'id', sort_dir: 'desc', page_size: 50 }), { signal });
      return r.calls;
    }
    const r = await fetchAll<LlmCall>(`/workflows/${wid}/llm-calls`, 'calls', { execution_id: eid, sort_by: 'id', sort_dir: 'asc' }, 20000, signal);
    return r.items;
  } catch (e) {
    if (!(e instanceof ApiError && e.status === 404) || !convs) throw e;
    const mine = (await convs()).filter((c) => c.execution_id === eid);
    const all: LlmCall[] = [];
    for (let i = 0; i < mine.length; i += 6) {
      const parts = await Promise.all(
        mine.slice(i, i + 6).map((c) => fetchAll<LlmCall>(`/conversations/${c.id}/llm-calls`, 'calls', { sort_by: 'id', sort_dir: 'asc' }, 5000, signal)),
      );
      for (const p of parts) all.push(...p.items);
    }
    return all;
  }
}

export function MonitorPage({ id, eid }: { id: number; eid: number }) {
  useDocumentTitle(`Execution #${eid}`);
  const live = useLiveEvents(id, eid);
  const [data, setData] = useState<Data>({});
  const [error, setError] = useState<Error | null>(null);
  const [selected, setSelected] = useState<string | null>(null);
  const abort = useRef(new AbortController());

  // Initial load.
  useEffect(() => {
    const ctl = new AbortController();
    abort.current = ctl;
    const signal = ctl.signal;
    (async () => {
      // Everything at once: the calls and the crew only wait for the workflow when they need it.
      const wfP = api<WorkflowDetail>(`/workflows/${id}`, { signal });
      const [exec, wf, approvals, calls, crew] = await Promise.all([
        api<Execution>(`/workflows/${id}/executions/${eid}`, { signal }),
        wfP,
        api<{ approvals: Approval[] }>('/approvals' + qs({ execution_id: eid, status: 'all', page_size: 100 }), { signal }),
        loadCalls(id, eid, () => wfP.then((w) => w.conversations), signal),
        wfP.then((w) => loadCrew(w.crew, signal)).catch(() => null),
      ]);
      performance.mark('codecrew:monitor-data');
      if (!signal.aborted) setData({ exec, wf, calls, approvals: approvals.approvals, crew });
    })().catch((e: Error) => {
      if (!signal.aborted && e.name !== 'AbortError') setError(e);
    });
    return () => ctl.abort();
  }, [id, eid]);

  // Refreshes driven by the live events.
  const refreshExec = useDebounced(async () => {
    const signal = abort.current.signal;
    try {
      const [exec, approvals] = await Promise.all([
        api<Execution>(`/workflows/${id}/executions/${eid}`, { signal }),
        api<{ approvals: Approval[] }>('/approvals' + qs({ execution_id: eid, status: 'all', page_size: 100 }), { signal }),
      ]);
      setData((d) => ({ ...d, exec, approvals: approvals.approvals }));
    } catch {
      /* the next event retries */
    }
  }, 250);
  const refreshSteps = useDebounced(async () => {
    const signal = abort.current.signal;
    try {
      const [wf, newest] = await Promise.all([api<WorkflowDetail>(`/workflows/${id}`, { signal }), loadCalls(id, eid, undefined, signal, true).catch(() => null)]);
      setData((d) => {
        let calls = d.calls;
        if (newest && calls) {
          const byId = new Map(calls.map((c) => [c.id, c]));
          for (const c of newest) byId.set(c.id, c);
          calls = [...byId.values()];
        }
        return { ...d, wf, calls };
      });
    } catch {
      /* the next event retries */
    }
  }, 400);
  const seen = useRef({ status: 0, conv: 0 });
  useEffect(() => {
    if (!data.exec) return;
    if (live.status.length > seen.current.status) refreshExec();
    if (live.conv.length > seen.current.conv) {
      refreshSteps();
      refreshExec();
    }
    seen.current = { status: live.status.length, conv: live.conv.length };
  }, [live.status.length, live.conv.length, data.exec, refreshExec, refreshSteps]);

  const { exec, wf, calls, approvals, crew } = data;
  const convs = useMemo(() => (wf?.conversations ?? []).filter((c) => c.execution_id === eid), [wf, eid]);
  const rows = useMemo(() => mergeCalls(calls ?? [], live.conv, convs), [calls, live.conv, convs]);
  const streamsReady = live.statusCaughtUp && live.convCaughtUp;
  const ready = !!(exec && wf && calls && approvals) && streamsReady;

  if (error) {
    return (
      <section data-testid="monitor" data-ready="false">
        <ErrorBox error={error} retry={() => window.location.reload()} />
      </section>
    );
  }
  if (!exec || !wf || !calls || !approvals) {
    return (
      <section data-testid="monitor" data-ready="false">
        <Loading what="Loading the execution" />
      </section>
    );
  }
  const pending = approvals.filter((a) => a.status === 'pending');
  const stages = stageTimeline(stageNames(crew), exec, convs, live.status);
  return (
    <section className="monitor" data-testid="monitor" data-ready={ready ? 'true' : 'false'} data-status={exec.status}>
      <div className="page-head">
        <div>
          <div className="crumbs">
            <a href="#/workflows">Workflows</a> › <a href={`#/workflows/${id}`}>#{id} {wf.name}</a> ›
          </div>
          <h1>Execution #{eid}</h1>
          <div className="muted">
            <StatusBadge status={exec.status} /> stage <strong data-testid="exec-stage">{exec.stage}</strong> · crew {wf.crew}
            {exec.meta?.checkpoint?.branch && <> · branch <code>{exec.meta.checkpoint.branch}</code></>}
            <ConnectionDot live={live} />
          </div>
        </div>
        <ExecActions id={id} exec={exec} onDone={refreshExec} />
      </div>
      {exec.error && (
        <div className="state state-error" role="alert">
          <strong>Failed:</strong> <pre className="inline-pre">{exec.error}</pre>
        </div>
      )}
      <div className="stats" data-testid="exec-stats">
        <Stat label="LLM calls" value={fmtInt(Math.max(exec.total_calls, rows.length))} testid="stat-calls" />
        <Stat label="Tokens" value={fmtInt(exec.total_tokens)} testid="stat-tokens" />
        <Stat label="Cost" value={fmtCost(exec.total_cost)} />
        <Stat label="Avg latency" value={fmtMs(exec.avg_latency_ms)} />
        <Stat label="Elapsed" value={<Elapsed start={exec.started_at} end={exec.finished_at} />} />
        <Stat label={exec.models.length > 1 ? `Models (${exec.models.length})` : 'Model'} value={<span className="stat-small" title={exec.models.join(', ')}>{exec.models.join(', ') || '–'}</span>} />
      </div>
      {pending.map((a) => (
        <div key={a.id} className="approval-banner" role="region" aria-label={`Approval gate ${a.gate}`} data-testid="approval-banner">
          <div>
            <strong>Waiting for approval</strong> at gate <code>{a.gate}</code> since {fmtClock(a.requested_at)}.
          </div>
          <ApprovalActions approval={a} onDecided={refreshExec} />
        </div>
      ))}
      <StageTimeline stages={stages} />
      <div className="monitor-grid">
        <div className="col">
          <PlanDag tasks={exec.meta?.checkpoint?.plan?.tasks ?? []} states={planTaskStates(exec.meta?.checkpoint?.plan?.tasks ?? [], exec, convs, live.inflight, live.conv)} summary={exec.meta?.checkpoint?.plan?.summary} />
          <Steps convs={convs} inflight={live.inflight} conv={live.conv} selected={selected} onSelect={setSelected} />
          <ConversationPanel convs={convs} step={selected ?? latestStep(convs, live.inflight)} live={live} />
        </div>
        <div className="col">
          <CallsPanel rows={rows} inflight={Object.values(live.inflight)} />
          <Terminal convs={convs} conv={live.conv} />
          <Activity events={[...live.status, ...live.conv]} />
        </div>
      </div>
    </section>
  );
}

function latestStep(convs: Conversation[], inflight: Record<string, Inflight>): string | null {
  const f = Object.keys(inflight);
  if (f.length) return f[f.length - 1];
  return convs.length ? convs[convs.length - 1].step : null;
}

function ConnectionDot({ live }: { live: LiveState }) {
  const states = [live.statusState, live.convState];
  const label = states.every((s) => s === 'open') ? 'live' : states.some((s) => s === 'reconnecting') ? 'reconnecting…' : states.includes('unauthorized') ? 'not authorised' : 'connecting…';
  return (
    <span className={`conn conn-${label.replace('…', '').replace(' ', '-')}`} data-testid="connection" aria-live="polite">
      {' · '}
      <span className="dot" aria-hidden="true" /> {label}
    </span>
  );
}

function Elapsed({ start, end }: { start: string | null; end: string | null }) {
  const [, tick] = useState(0);
  useEffect(() => {
    if (end || !start) return;
    const t = setInterval(() => tick((x) => x + 1), 1000);
    return () => clearInterval(t);
  }, [start, end]);
  if (!start) return <>–</>;
  return <>{fmtMs(duration(start, end ?? new Date().toISOString()))}</>;
}

function ExecActions({ id, exec, onDone }: { id: number; exec: Execution; onDone: () => void }) {
  const [busy, setBusy] = useState(false);
  const [err, setErr] = useState<string | null>(null);
  const act = async (verb: 'cancel' | 'resume') => {
    setBusy(true);
    setErr(null);
    try {
      await api(`/workflows/${id}/executions/${exec.id}/${verb}`, { method: 'POST' });
      onDone();
    } catch (e) {
      setErr((e as Error).message);
    } finally {
      setBusy(false);
    }
  };
  const ended = ['completed', 'failed', 'cancelled'].includes(exec.status);
  return (
    <div className="btn-col">
      <div className="btn-row">
        <a className="btn" href={`#/workflows/${id}/diffs?execution=${exec.id}`}>Diffs</a>
        <a className="btn" href={`#/workflows/${id}/artifacts?execution=${exec.id}`}>Artifacts</a>
        <a className="btn" href={`#/workflows/${id}/llm-calls?execution_id=${exec.id}`}>All calls</a>
        {!ended && (
          <button type="button" className="btn btn-danger" disabled={busy} onClick={() => act('cancel')}>
            Cancel
          </button>
        )}
        {exec.status === 'failed' && (
          <button type="button" className="btn" disabled={busy} onClick={() => act('resume')}>
            Resume
          </button>
        )}
      </div>
      {err && <p className="form-error" role="alert">{err}</p>}
    </div>
  );
}

function StageTimeline({ stages }: { stages: StageView[] }) {
  return (
    <ol className="timeline" aria-label="Stages" data-testid="stage-timeline">
      {stages.map((s) => (
        <li key={s.name} className={`stage stage-${s.state}`} data-testid={`stage-${s.name}`} data-state={s.state}>
          <span className="stage-name">{s.name}</span>
          <span className="stage-meta">
            {s.state === 'waiting' ? 'waiting for approval' : s.state}
            {s.visits > 1 && ` · ${s.visits} visits`}
          </span>
          <span className="stage-time">
            {s.started ? fmtClock(s.started) : ''}
            {s.started && s.ended ? ` · ${fmtMs(s.ended - s.started)}` : ''}
          </span>
        </li>
      ))}
    </ol>
  );
}

function PlanDag({ tasks, states, summary }: { tasks: PlanTask[]; states: Record<string, TaskState>; summary?: string }) {
  const layers = useMemo(() => dagLayers(tasks), [tasks]);
  if (!tasks.length)
    return (
      <section className="panel" aria-labelledby="plan-h">
        <h2 id="plan-h">Plan</h2>
        <Empty>No plan yet: the planner writes it in PLANNING.</Empty>
      </section>
    );
  const W = 170, H = 46, GX = 50, GY = 16, P = 8;
  const pos = new Map<string, { x: number; y: number }>();
  layers.forEach((layer, i) => layer.forEach((tid, j) => pos.set(tid, { x: P + i * (W + GX), y: P + j * (H + GY) })));
  const width = P * 2 + layers.length * (W + GX) - GX;
  const height = P * 2 + Math.max(...layers.map((l) => l.length)) * (H + GY) - GY;
  const counts = Object.values(states).reduce<Record<string, number>>((m, s) => ((m[s] = (m[s] ?? 0) + 1), m), {});
  return (
    <section className="panel" aria-labelledby="plan-h" data-testid="plan-dag">
      <h2 id="plan-h">
        Plan <span className="muted small">{tasks.length} tasks · {counts.done ?? 0} done{counts.running ? ` · ${counts.running} running` : ''}</span>
      </h2>
      {summary && <p className="muted small">{summary}</p>}
      <div className="dag-wrap">
        <svg width={width} height={height} viewBox={`0 0 ${width} ${height}`} role="img" aria-label={`Plan: ${tasks.map((t) => `${t.id} ${states[t.id]}`).join(', ')}`}>
          <defs>
            <marker id="arrow" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="6" markerHeight="6" orient="auto-start-reverse">
              <path d="M 0 0 L 10 5 L 0 10 z" fill="#8a94a6" />
            </marker>
          </defs>
          {tasks.flatMap((t) =>
            t.depends_on.filter((d) => pos.has(d)).map((d) => {
              const a = pos.get(d)!, b = pos.get(t.id)!;
              const x1 = a.x + W, y1 = a.y + H / 2, x2 = b.x, y2 = b.y + H / 2;
              return <path key={`${d}-${t.id}`} d={`M${x1},${y1} C${x1 + GX / 2},${y1} ${x2 - GX / 2},${y2} ${x2 - 2},${y2}`} className="dag-edge" markerEnd="url(#arrow)" />;
            }),
          )}
          {tasks.map((t) => {
            const p = pos.get(t.id)!;
            const st = states[t.id];
            return (
              <g key={t.id} transform={`translate(${p.x},${p.y})`} className={`dag-node dag-${st}`} data-testid="dag-node" data-state={st}>
                <title>{`${t.id}: ${t.title}${t.files?.length ? `\nfiles: ${t.files.join(', ')}` : ''}\n${st}`}</title>
                <rect width={W} height={H} rx={6} />
                <text x={10} y={18} className="dag-id">{truncate(t.id, 20)} · {st}</text>
                <text x={10} y={35} className="dag-title">{truncate(t.title, 24)}</text>
              </g>
            );
          })}
        </svg>
      </div>
    </section>
  );
}

function truncate(s: string, n: number) {
  return s.length > n ? s.slice(0, n - 1) + '…' : s;
}

function Steps({ convs, inflight, conv, selected, onSelect }: { convs: Conversation[]; inflight: Record<string, Inflight>; conv: WfEvent[]; selected: string | null; onSelect: (s: string) => void }) {
  const finished = new Set(conv.filter((e) => e.type === 'agent.finished').map((e) => String(e.data.step)));
  const tools = new Map<string, number>();
  for (const e of conv) if (e.type === 'agent.tool_call') tools.set(String(e.data.step), (tools.get(String(e.data.step)) ?? 0) + 1);
  const steps = [...convs.map((c) => c.step), ...Object.keys(inflight).filter((s) => !convs.some((c) => c.step === s))];
  return (
    <section className="panel" aria-labelledby="steps-h" data-testid="agents">
      <h2 id="steps-h">Agents</h2>
      {steps.length === 0 ? (
        <Empty>No agent has started yet.</Empty>
      ) : (
        <ul className="steps" role="list">
          {steps.map((step) => {
            const c = convs.find((x) => x.step === step);
            const p = parseStep(step);
            const busy = !!inflight[step] || (!finished.has(step) && !c?.output);
            return (
              <li key={step}>
                <button type="button" className={`step ${selected === step ? 'selected' : ''}`} aria-pressed={selected === step} onClick={() => onSelect(step)} data-testid="step">
                  <span className="step-agent">{c?.agent ?? inflight[step]?.agent}</span>
                  <span className="step-name">
                    {p.stage}
                    {p.visit ? `#${p.visit}` : ''} / {[p.task, p.sub].filter(Boolean).join('/')}
                  </span>
                  <span className="step-meta">
                    {busy ? <span className="pill pill-live">working</span> : null}
                    {tools.get(step) ? `${tools.get(step)} tool${tools.get(step) === 1 ? '' : 's'} · ` : ''}
                    {fmtInt(c?.total_tokens_used ?? 0)} tok
                  </span>
                </button>
              </li>
            );
          })}
        </ul>
      )}
    </section>
  );
}

function ConversationPanel({ convs, step, live }: { convs: Conversation[]; step: string | null; live: LiveState }) {
  const c = convs.find((x) => x.step === step);
  const [msgs, setMsgs] = useState<{ cid: number; messages: Message[] } | null>(null);
  const [err, setErr] = useState<Error | null>(null);
  const version = live.conv.filter((e) => e.data.step === step).length;
  useEffect(() => {
    if (!c) return;
    const ctl = new AbortController();
    api<Conversation>(`/conversations/${c.id}`, { signal: ctl.signal }).then(
      (r) => setMsgs({ cid: c.id, messages: r.messages ?? [] }),
      (e: Error) => e.name !== 'AbortError' && setErr(e),
    );
    return () => ctl.abort();
  }, [c?.id, version]);
  const streaming = step ? live.tokens[step] : undefined;
  return (
    <section className="panel" aria-labelledby="conv-h" data-testid="conversation">
      <h2 id="conv-h">
        Conversation {step && <code className="small">{step}</code>}
      </h2>
      {!step && <Empty>Pick an agent step to read its conversation.</Empty>}
      {err && <ErrorBox error={err} />}
      {c && (
        <details className="prompt">
          <summary>Task prompt</summary>
          <pre className="wrap">{c.prompt}</pre>
        </details>
      )}
      {c && msgs?.cid === c.id && (
        <ol className="messages" tabIndex={0} aria-label="Messages">
          {msgs.messages.map((m) => (
            <MessageView key={m.id} m={m} />
          ))}
        </ol>
      )}
      {c && msgs?.cid !== c.id && !err && <Loading what="Loading messages" />}
      {streaming !== undefined && (
        <div className="msg msg-assistant msg-streaming" aria-live="polite" data-testid="streaming">
          <div className="msg-head">assistant · streaming</div>
          <pre className="wrap">{streaming || '…'}</pre>
        </div>
      )}
    </section>
  );
}

function MessageView({ m }: { m: Message }) {
  const meta = m.message_metadata ?? {};
  return (
    <li className={`msg msg-${m.role}`}>
      <div className="msg-head">
        {m.role}
        {meta.name ? ` · ${meta.name}` : ''}
        {meta.model ? ` · ${meta.model}` : ''}
        {meta.prompt_tokens !== undefined ? ` · ${fmtInt(meta.prompt_tokens)} → ${fmtInt(meta.completion_tokens)} tokens` : ''}
        {meta.cost ? ` · ${fmtCost(meta.cost)}` : ''} · {fmtClock(m.created_at)}
      </div>
      {m.content && (m.role === 'tool' ? <ToolResult content={m.content} /> : <pre className="wrap">{m.content}</pre>)}
      {(meta.tool_calls ?? []).map((tc) => (
        <details key={tc.id} className="tool-call" data-testid="tool-call">
          <summary>
            call <strong>{tc.name}</strong>
          </summary>
          <pre className="wrap">{prettyJson(tc.arguments)}</pre>
        </details>
      ))}
    </li>
  );
}

/** A tool's JSON result, its text fields (stdout, content, ...) shown as text, not as escaped JSON. */
function ToolResult({ content }: { content: string }) {
  let v: unknown;
  try {
    v = JSON.parse(content);
  } catch {
    return <pre className="wrap">{content.slice(0, 20000)}</pre>;
  }
  if (!v || typeof v !== 'object' || Array.isArray(v)) return <pre className="wrap">{prettyJson(content)}</pre>;
  const entries = Object.entries(v as Record<string, unknown>).filter(([, x]) => x !== null && x !== '');
  return (
    <dl className="tool-result">
      {entries.map(([k, x]) => (
        <div key={k} className={k === 'error' || k === 'stderr' ? 'tr-err' : undefined}>
          <dt>{k}</dt>
          <dd>{typeof x === 'string' ? <pre className="wrap">{x.slice(0, 20000)}</pre> : <code>{JSON.stringify(x)}</code>}</dd>
        </div>
      ))}
    </dl>
  );
}

function prettyJson(s: string): string {
  try {
    const v = JSON.parse(s);
    return JSON.stringify(v, null, 2).slice(0, 20000);
  } catch {
    return s.slice(0, 20000);
  }
}

function CallsPanel({ rows, inflight }: { rows: CallRow[]; inflight: Inflight[] }) {
  return (
    <section className="panel" aria-labelledby="calls-h" data-testid="live-calls">
      <h2 id="calls-h">
        LLM calls <span className="muted small">{rows.length}</span>
      </h2>
      {rows.length === 0 && inflight.length === 0 ? (
        <Empty>No model call yet.</Empty>
      ) : (
        <div className="table-wrap scroll" tabIndex={0} role="region" aria-label="LLM calls of this execution">
          <table className="table table-compact">
            <thead>
              <tr>
                <th scope="col">#</th>
                <th scope="col">Time</th>
                <th scope="col">Agent</th>
                <th scope="col">Model</th>
                <th scope="col" className="num">Tokens (in → out)</th>
                <th scope="col" className="num">Cost</th>
                <th scope="col" className="num">Latency</th>
              </tr>
            </thead>
            <tbody>
              {inflight.map((f) => (
                <tr key={'f' + f.step} className="row-live" data-testid="call-inflight">
                  <td>…</td>
                  <td>{fmtClock(f.started)}</td>
                  <td>{f.agent}</td>
                  <td colSpan={4}>
                    <span className="pill pill-live">calling</span> {f.estimated_tokens ? `~${fmtInt(f.estimated_tokens)} tokens in` : ''}
                  </td>
                </tr>
              ))}
              {rows.map((r) => (
                <tr key={r.id} data-testid="call-row" className={r.status !== 'success' ? 'row-warn' : undefined}>
                  <td>{r.id}</td>
                  <td>{fmtClock(r.time)}</td>
                  <td title={r.step}>{r.agent}</td>
                  <td>{r.model}</td>
                  <td className="num">
                    {r.prompt_tokens !== null ? `${fmtInt(r.prompt_tokens)} → ${fmtInt(r.completion_tokens)}` : fmtInt(r.total_tokens)}
                  </td>
                  <td className="num">{fmtCost(r.cost)}</td>
                  <td className="num">{r.latency !== null ? fmtMs(r.latency) : '…'}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}

function Terminal({ convs, conv }: { convs: Conversation[]; conv: WfEvent[] }) {
  // The steps that ran commands, and how many (a new one refetches that step).
  const runs = new Map<string, number>();
  for (const e of conv) if (e.type === 'agent.tool_call' && e.data.tool === 'run_command') runs.set(String(e.data.step), (runs.get(String(e.data.step)) ?? 0) + 1);
  const key = [...runs.entries()].map(([s, n]) => `${s}:${n}`).join('|');
  const [entries, setEntries] = useState<Record<string, TerminalEntry[]>>({});
  const loaded = useRef<Record<string, number>>({});
  const unmounted = useRef(new AbortController());
  useEffect(() => {
    const c = new AbortController();
    unmounted.current = c;
    loaded.current = {};
    return () => c.abort();
  }, []);
  useEffect(() => {
    for (const [step, n] of runs) {
      const c = convs.find((x) => x.step === step);
      if (!c || loaded.current[step] === n) continue;
      loaded.current[step] = n;
      api<Conversation>(`/conversations/${c.id}`, { signal: unmounted.current.signal }).then(
        (r) => setEntries((m) => ({ ...m, [step]: terminalEntries(c, r.messages ?? []) })),
        () => {
          if (loaded.current[step] === n) delete loaded.current[step]; // retried with the next event
        },
      );
    }
  }, [key, convs.length]);
  const all = Object.values(entries).flat().sort((a, b) => a.time.localeCompare(b.time));
  const ref = useRef<HTMLDivElement>(null);
  useEffect(() => {
    if (ref.current) ref.current.scrollTop = ref.current.scrollHeight;
  }, [all.length]);
  return (
    <section className="panel" aria-labelledby="term-h" data-testid="terminal">
      <h2 id="term-h">Sandbox terminal</h2>
      {runs.size === 0 ? (
        <Empty>No command has run in the sandbox yet.</Empty>
      ) : (
        <div className="terminal" ref={ref} tabIndex={0} aria-label="Sandbox output">
          {all.map((t) => (
            <div key={t.key} className="term-entry">
              <div className="term-cmd">
                <span className="term-who">{t.agent}</span> $ {t.command}
              </div>
              {t.output && <pre>{t.output}</pre>}
              {t.error && <pre className="term-err">{t.error}</pre>}
              {t.exitCode !== null && <div className={t.exitCode === 0 ? 'term-ok' : 'term-err'}>exit {t.exitCode}</div>}
            </div>
          ))}
          {all.length === 0 && <Loading what="Loading output" />}
        </div>
      )}
    </section>
  );
}

function Activity({ events }: { events: WfEvent[] }) {
  const recent = [...events].sort((a, b) => (b.seq ?? 0) - (a.seq ?? 0)).slice(0, 80);
  return (
    <section className="panel" aria-labelledby="act-h" data-testid="activity" data-count={events.length}>
      <h2 id="act-h">
        Activity <span className="muted small">{events.length} events{events.length > recent.length ? `, the last ${recent.length} shown` : ''}</span>
      </h2>
      {recent.length === 0 ? (
        <Empty>Nothing has happened yet.</Empty>
      ) : (
        <ol className="activity" tabIndex={0} aria-label="Events, newest first">
          {recent.map((e) => (
            <li key={e.seq ?? Math.random()} className={`act act-${e.type.split('.')[0]}`}>
              <time title={fmtTime(e.created_at)}>{fmtClock(e.created_at)}</time> {describeEvent(e)}
            </li>
          ))}
        </ol>
      )}
    </section>
  );
}
