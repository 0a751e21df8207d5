import { useEffect, useMemo, useRef, useState } from 'react';
import { api, ApiError, fetchAll, qs } from '../api';
import { ApprovalActions } from '../components/ApprovalActions';
import { ErrorBox, Loading, Stat, StatusBadge } from '../components/ui';
import { loadCrew, stageNames } from '../crews';
import { duration, fmtClock, fmtCost, fmtInt, fmtMs } from '../format';
import { useDebounced, useDocumentTitle } from '../hooks';
import { useLiveEvents, type Inflight, type LiveState } from '../live';
import {
  mergeCalls, planTaskStates, stageTimeline, 
  
} from '../monitorModel';
import { Activity, CallsPanel, PlanDag, StageTimeline, Terminal } from '../components/monitor/Panels';
import { ConversationPanel, Steps } from '../components/monitor/Conversation';
import { DeliveryLine } from '../components/monitor/Delivery';
import type { Answer, Approval, Conversation, Crew, Execution, LlmCall, LlmCallPage, WorkflowDetail } from '../types';

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
        api<Answer<'/workflows/{id}/executions/{eid}', 'get'>>(`/workflows/${id}/executions/${eid}`, { signal }),
        wfP,
        api<Answer<'/approvals', 'get'>>('/approvals' + qs({ execution_id: eid, status: 'all', page_size: 100 }), { signal }),
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
        api<Answer<'/workflows/{id}/executions/{eid}', 'get'>>(`/workflows/${id}/executions/${eid}`, { signal }),
        api<Answer<'/approvals', 'get'>>('/approvals' + qs({ execution_id: eid, status: 'all', page_size: 100 }), { signal }),
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
            {exec.progress?.branch && <> · branch <code>{exec.progress.branch}</code></>}
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
      <DeliveryLine id={id} eid={eid} events={live.status} />
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
          <PlanDag tasks={exec.progress?.plan?.tasks ?? []} states={planTaskStates(exec.progress?.plan?.tasks ?? [], exec, convs, live.inflight, live.conv)} summary={exec.progress?.plan?.summary} />
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
