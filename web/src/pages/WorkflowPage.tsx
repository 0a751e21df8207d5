import { useMemo, useState } from 'react';
import { api, fetchAll } from '../api';
import { PullRequestPanel } from '../components/PullRequestPanel';
import { RepositorySearch } from '../components/RepositorySearch';
import { Empty, ErrorBox, Loading, StatusBadge, WorkflowTabs } from '../components/ui';
import { fmtCost, fmtInt, fmtMs, fmtTime, duration } from '../format';
import { useAsync, useDocumentTitle, usePolling } from '../hooks';
import { useWorkflowEvents } from '../live';
import { followUpLabel, followUps, isDeliveryEvent } from '../pullRequest';
import { navigate } from '../router';
import type { Answer, Execution, WorkflowDetail } from '../types';

export function WorkflowPage({ id }: { id: number }) {
  const wf = useAsync((signal) => api<WorkflowDetail>(`/workflows/${id}`, { signal }), [id]);
  const execs = useAsync((signal) => fetchAll<Execution>(`/workflows/${id}/executions`, 'executions', {}, 1000, signal), [id]);
  useDocumentTitle(wf.data ? wf.data.name : `Workflow #${id}`);
  // The delivery events: the pull request panel refetches on each, and they name the follow-up executions.
  const delivery = useWorkflowEvents(id, isDeliveryEvent);
  const followUpOf = useMemo(() => new Map(followUps(delivery.events).map((f) => [f.executionId, f])), [delivery.events]);
  const [picked, setPicked] = useState<number[]>([]);
  const running = !!execs.data?.items.some((e) => ['pending', 'running', 'waiting_approval'].includes(e.status));
  usePolling(() => {
    execs.reload();
    wf.reload();
  }, 3000, running);
  const [busy, setBusy] = useState(false);
  const [actionError, setActionError] = useState<Error | null>(null);

  const start = async () => {
    setBusy(true);
    setActionError(null);
    try {
      const r = await api<Answer<'/workflows/{id}/executions/start', 'post'>>(`/workflows/${id}/executions/start`, { method: 'POST', headers: { 'Idempotency-Key': `web-${id}-${Date.now()}` } });
      navigate(`/workflows/${id}/executions/${r.execution.id}`);
    } catch (e) {
      setActionError(e as Error);
    } finally {
      setBusy(false);
    }
  };
  const remove = async () => {
    if (!window.confirm(`Delete workflow #${id} with everything in it?`)) return;
    try {
      await api(`/workflows/${id}`, { method: 'DELETE' });
      navigate('/workflows');
    } catch (e) {
      setActionError(e as Error);
    }
  };
  const toggle = (eid: number) => setPicked((p) => (p.includes(eid) ? p.filter((x) => x !== eid) : [...p.slice(-1), eid]));

  if (wf.error) return <ErrorBox error={wf.error} retry={wf.reload} />;
  if (!wf.data) return <Loading what="Loading the workflow" />;
  const w = wf.data;
  const list = execs.data?.items ?? [];
  return (
    <section data-testid="workflow-page">
      <div className="page-head">
        <div>
          <h1>
            #{w.id} {w.name}
          </h1>
          <div className="muted">
            <StatusBadge status={w.status} /> crew <strong>{w.crew}</strong>
            {w.jira_story_id && <> · Jira {w.jira_story_id}</>}
            {w.repository_url && <> · repo {w.repository_url}</>} · created {fmtTime(w.created_at)}
          </div>
        </div>
        <div className="btn-row">
          <button type="button" className="btn btn-primary" onClick={start} disabled={busy}>
            {busy ? 'Starting…' : 'Start an execution'}
          </button>
          <button type="button" className="btn btn-danger" onClick={remove}>
            Delete
          </button>
        </div>
      </div>
      <WorkflowTabs id={id} active="overview" />
      {actionError && <ErrorBox error={actionError} />}
      {w.description && <p className="goal">{w.description}</p>}
      <PullRequestPanel id={id} events={delivery.events} hasRepository={!!w.repository_url} />
      {list.length > 0 && (
        <>
          <h2>Search the repository</h2>
          <RepositorySearch id={id} />
        </>
      )}
      <div className="row-between">
        <h2>Executions</h2>
        <button
          type="button"
          className="btn"
          disabled={picked.length !== 2}
          onClick={() => navigate(`/workflows/${id}/compare?a=${Math.min(...picked)}&b=${Math.max(...picked)}`)}
          title="Pick two executions to compare"
        >
          Compare selected ({picked.length}/2)
        </button>
      </div>
      {execs.error && <ErrorBox error={execs.error} retry={execs.reload} />}
      {!execs.data && execs.loading && <Loading what="Loading executions" />}
      {execs.data && list.length === 0 && <Empty action={<button type="button" className="btn btn-primary" onClick={start}>Start one</button>}>This workflow has not run yet.</Empty>}
      {list.length > 0 && (
        <div className="table-wrap">
          <table className="table" data-testid="executions-table">
            <thead>
              <tr>
                <th scope="col">Pick</th>
                <th scope="col">Execution</th>
                <th scope="col">Status</th>
                <th scope="col">Stage</th>
                <th scope="col" className="num">Calls</th>
                <th scope="col" className="num">Tokens</th>
                <th scope="col" className="num">Cost</th>
                <th scope="col" className="num">Avg latency</th>
                <th scope="col">Started</th>
                <th scope="col" className="num">Took</th>
              </tr>
            </thead>
            <tbody>
              {list.map((e) => (
                <tr key={e.id} data-testid="execution-row">
                  <td data-label="Pick">
                    <input type="checkbox" aria-label={`Pick execution ${e.id} to compare`} checked={picked.includes(e.id)} onChange={() => toggle(e.id)} />
                  </td>
                  <td data-label="Execution">
                    <a href={`#/workflows/${id}/executions/${e.id}`}>#{e.id} monitor</a>
                    {followUpOf.has(e.id) && (
                      <span className="pill" title={followUpLabel(followUpOf.get(e.id)!.kind)} data-testid="execution-follow-up">
                        follow-up {followUpOf.get(e.id)!.attempt}
                      </span>
                    )}
                  </td>
                  <td data-label="Status">
                    <StatusBadge status={e.status} />
                  </td>
                  <td data-label="Stage">{e.stage}</td>
                  <td data-label="Calls" className="num">{fmtInt(e.total_calls)}</td>
                  <td data-label="Tokens" className="num">{fmtInt(e.total_tokens)}</td>
                  <td data-label="Cost" className="num">{fmtCost(e.total_cost)}</td>
                  <td data-label="Avg latency" className="num">{fmtMs(e.avg_latency_ms)}</td>
                  <td data-label="Started">{fmtTime(e.started_at)}</td>
                  <td data-label="Took" className="num">{fmtMs(duration(e.started_at, e.finished_at))}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <h2>Agent steps</h2>
      {w.conversations.length === 0 ? (
        <Empty>No agent has worked on it yet.</Empty>
      ) : (
        <div className="table-wrap">
          <table className="table">
            <thead>
              <tr>
                <th scope="col">Execution</th>
                <th scope="col">Agent</th>
                <th scope="col">Step</th>
                <th scope="col" className="num">Tokens</th>
                <th scope="col" className="num">Cost</th>
                <th scope="col">When</th>
              </tr>
            </thead>
            <tbody>
              {w.conversations.map((c) => (
                <tr key={c.id}>
                  <td data-label="Execution">{c.execution_id ? <a href={`#/workflows/${id}/executions/${c.execution_id}`}>#{c.execution_id}</a> : '–'}</td>
                  <td data-label="Agent">{c.agent}</td>
                  <td data-label="Step"><code>{c.step}</code></td>
                  <td data-label="Tokens" className="num">{fmtInt(c.total_tokens_used)}</td>
                  <td data-label="Cost" className="num">{fmtCost(c.total_cost)}</td>
                  <td data-label="When">{fmtTime(c.timestamp)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}
