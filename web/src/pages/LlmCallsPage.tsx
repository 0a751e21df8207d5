import { Fragment, useEffect, useState, type FormEvent } from 'react';
import { api, fetchAll, qs } from '../api';
import { Empty, ErrorBox, IdList, Loading, Pager, Stat, WorkflowTabs } from '../components/ui';
import { fmtCost, fmtInt, fmtMs, fmtTime } from '../format';
import { useAsync, useDocumentTitle } from '../hooks';
import { setQuery, type Location } from '../router';
import type { Execution, LlmCall, LlmCallPage } from '../types';

const SORTS: [string, string][] = [
  ['id', '#'],
  ['timestamp', 'Time'],
  ['model', 'Model'],
  ['total_tokens', 'Tokens'],
  ['cost', 'Cost'],
  ['response_time_ms', 'Latency'],
];
const FILTERS = ['execution_id', 'agent', 'model', 'q', 'date_from', 'date_to'] as const;

export function LlmCallsPage({ id, loc }: { id: number; loc: Location }) {
  useDocumentTitle(`LLM calls · workflow #${id}`);
  const get = (k: string) => loc.query.get(k) ?? '';
  const sortBy = get('sort_by') || 'timestamp';
  const sortDir = get('sort_dir') || 'desc';
  const page = Math.max(1, Number(get('page')) || 1);
  const pageSize = Number(get('page_size')) || 25;
  const params = { page, page_size: pageSize, sort_by: sortBy, sort_dir: sortDir, ...Object.fromEntries(FILTERS.map((k) => [k, get(k)])) };
  const key = qs(params);
  const calls = useAsync((signal) => api<LlmCallPage>(`/workflows/${id}/llm-calls${key}`, { signal }), [id, key]);
  const execs = useAsync((signal) => fetchAll<Execution>(`/workflows/${id}/executions`, 'executions', {}, 500, signal), [id]);
  const models = [...new Set((execs.data?.items ?? []).flatMap((e) => e.models))].sort();
  const agents = [...new Set((execs.data?.items ?? []).flatMap((e) => Object.keys(e.progress?.budget.agents ?? {})))].sort();

  // The text filters are edited in a form and applied together.
  const [draft, setDraft] = useState<Record<string, string>>({});
  useEffect(() => setDraft(Object.fromEntries(FILTERS.map((k) => [k, loc.query.get(k) ?? '']))), [loc.query]);
  const apply = (e: FormEvent) => {
    e.preventDefault();
    setQuery(loc, { ...draft, page: undefined });
  };
  const clear = () => setQuery(loc, { ...Object.fromEntries(FILTERS.map((k) => [k, undefined])), page: undefined });
  const sortOn = (k: string) => setQuery(loc, { sort_by: k, sort_dir: sortBy === k && sortDir === 'desc' ? 'asc' : 'desc', page: undefined });
  const [open, setOpen] = useState<number | null>(null);
  const filtered = FILTERS.some((k) => get(k));

  return (
    <section data-testid="llm-calls-page">
      <div className="page-head">
        <h1>LLM calls</h1>
      </div>
      <WorkflowTabs id={id} active="llm-calls" />
      <form className="filters card" onSubmit={apply} aria-label="Filters" data-testid="call-filters">
        <div className="field">
          <label htmlFor="f-exec">Execution</label>
          <select id="f-exec" value={draft.execution_id ?? ''} onChange={(e) => setDraft({ ...draft, execution_id: e.target.value })}>
            <option value="">all</option>
            {(execs.data?.items ?? []).map((e) => (
              <option key={e.id} value={e.id}>
                #{e.id}
              </option>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor="f-agent">Agent</label>
          <input id="f-agent" list="f-agents" value={draft.agent ?? ''} onChange={(e) => setDraft({ ...draft, agent: e.target.value })} placeholder="any" />
          <datalist id="f-agents">
            {agents.map((a) => (
              <option key={a} value={a} />
            ))}
          </datalist>
        </div>
        <div className="field">
          <label htmlFor="f-model">Model</label>
          <input id="f-model" list="f-models" value={draft.model ?? ''} onChange={(e) => setDraft({ ...draft, model: e.target.value })} placeholder="any" />
          <datalist id="f-models">
            {models.map((m) => (
              <option key={m} value={m} />
            ))}
          </datalist>
        </div>
        <div className="field">
          <label htmlFor="f-q">Search text</label>
          <input id="f-q" type="search" value={draft.q ?? ''} onChange={(e) => setDraft({ ...draft, q: e.target.value })} placeholder="in prompts and answers" />
        </div>
        <div className="field">
          <label htmlFor="f-from">From</label>
          <input id="f-from" type="date" value={draft.date_from ?? ''} onChange={(e) => setDraft({ ...draft, date_from: e.target.value })} />
        </div>
        <div className="field">
          <label htmlFor="f-to">To</label>
          <input id="f-to" type="date" value={draft.date_to ?? ''} onChange={(e) => setDraft({ ...draft, date_to: e.target.value })} />
        </div>
        <div className="field">
          <label htmlFor="f-size">Per page</label>
          <select id="f-size" value={pageSize} onChange={(e) => setQuery(loc, { page_size: e.target.value, page: undefined })}>
            {[10, 25, 50, 100, 200].map((n) => (
              <option key={n} value={n}>
                {n}
              </option>
            ))}
          </select>
        </div>
        <div className="actions">
          <button type="submit" className="btn btn-primary">
            Apply
          </button>
          <button type="button" className="btn" onClick={clear} disabled={!filtered}>
            Clear
          </button>
        </div>
      </form>
      {calls.error && <ErrorBox error={calls.error} retry={calls.reload} />}
      {!calls.data && calls.loading && <Loading what="Loading calls" />}
      {calls.data && (
        <>
          <div className="stats">
            <Stat label="Matching calls" value={fmtInt(calls.data.total)} testid="calls-total" />
            <Stat label="Tokens (whole workflow)" value={fmtInt(calls.data.total_tokens_used)} />
            <Stat label="Cost (whole workflow)" value={fmtCost(calls.data.total_cost)} />
          </div>
          {calls.data.calls.length === 0 ? (
            <Empty>{filtered ? 'No call matches these filters.' : 'No LLM call yet.'}</Empty>
          ) : (
            <div className={`table-wrap ${calls.loading ? 'is-loading' : ''}`}>
              <table className="table table-compact" data-testid="calls-table">
                <thead>
                  <tr>
                    {SORTS.slice(0, 2).map(([k, label]) => <SortTh key={k} k={k} label={label} sortBy={sortBy} sortDir={sortDir} onSort={sortOn} />)}
                    <th scope="col">Execution</th>
                    <th scope="col">Agent</th>
                    <SortTh k="model" label="Model" sortBy={sortBy} sortDir={sortDir} onSort={sortOn} />
                    <th scope="col" className="num">In → out</th>
                    <SortTh k="total_tokens" label="Tokens" sortBy={sortBy} sortDir={sortDir} onSort={sortOn} num />
                    <SortTh k="cost" label="Cost" sortBy={sortBy} sortDir={sortDir} onSort={sortOn} num />
                    <SortTh k="response_time_ms" label="Latency" sortBy={sortBy} sortDir={sortDir} onSort={sortOn} num />
                    <th scope="col">Status</th>
                  </tr>
                </thead>
                <tbody>
                  {calls.data.calls.map((c) => (
                    <Fragment key={c.id}>
                      <tr data-testid="call-row" className={c.status !== 'success' ? 'row-warn' : undefined}>
                        <td data-label="#">
                          <button type="button" className="link" aria-expanded={open === c.id} onClick={() => setOpen(open === c.id ? null : c.id)} title="Details">
                            {c.id}
                          </button>
                        </td>
                        <td data-label="Time">{fmtTime(c.timestamp)}</td>
                        <td data-label="Execution">{c.execution_id ? <a href={`#/workflows/${id}/executions/${c.execution_id}`}>#{c.execution_id}</a> : '–'}</td>
                        <td data-label="Agent" data-testid="call-agent">{c.agent ?? '–'}</td>
                        <td data-label="Model">{c.model}</td>
                        <td data-label="In → out" className="num">{fmtInt(c.prompt_tokens)} → {fmtInt(c.completion_tokens)}</td>
                        <td data-label="Tokens" className="num" data-testid="call-tokens">{fmtInt(c.total_tokens)}</td>
                        <td data-label="Cost" className="num">{fmtCost(c.cost)}</td>
                        <td data-label="Latency" className="num">{fmtMs(c.response_time_ms)}</td>
                        <td data-label="Status">{c.status}{c.error_code ? ` (${c.error_code})` : ''}</td>
                      </tr>
                      {open === c.id && (
                        <tr className="row-detail">
                          <td colSpan={10}>
                            <CallDetail call={c} />
                          </td>
                        </tr>
                      )}
                    </Fragment>
                  ))}
                </tbody>
              </table>
            </div>
          )}
          <Pager page={calls.data.page} pageSize={calls.data.page_size} total={calls.data.total} onPage={(p) => setQuery(loc, { page: p })} />
        </>
      )}
    </section>
  );
}

function SortTh({ k, label, sortBy, sortDir, onSort, num }: { k: string; label: string; sortBy: string; sortDir: string; onSort: (k: string) => void; num?: boolean }) {
  const active = sortBy === k;
  return (
    <th scope="col" className={num ? 'num' : undefined} aria-sort={active ? (sortDir === 'asc' ? 'ascending' : 'descending') : 'none'}>
      <button type="button" className="sort" onClick={() => onSort(k)} data-testid={`sort-${k}`}>
        {label} <span aria-hidden="true">{active ? (sortDir === 'asc' ? '▲' : '▼') : '↕'}</span>
      </button>
    </th>
  );
}

function CallDetail({ call }: { call: LlmCall }) {
  // The ids are shown on their own (with copy buttons), the rest as JSON.
  const { request_data, response_data, request_id, trace_id, span_id, ...rest } = call as unknown as Record<string, unknown>;
  const ids = [
    { label: 'Request id', value: call.request_id, testid: 'call-request-id' },
    { label: 'Trace id', value: call.trace_id, testid: 'call-trace-id' },
    { label: 'Span id', value: call.span_id, testid: 'call-span-id' },
  ];
  return (
    <div className="call-detail" data-testid="call-detail">
      <IdList ids={ids} testid="call-ids" />
      <pre className="wrap">{JSON.stringify(rest, null, 2)}</pre>
      {request_data !== undefined && (
        <details>
          <summary>Request</summary>
          <pre className="wrap">{JSON.stringify(request_data, null, 2).slice(0, 50000)}</pre>
        </details>
      )}
      {response_data !== undefined && (
        <details>
          <summary>Response</summary>
          <pre className="wrap">{JSON.stringify(response_data, null, 2).slice(0, 50000)}</pre>
        </details>
      )}
    </div>
  );
}
