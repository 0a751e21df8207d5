import { useMemo, useState } from 'react';
import { api, fetchAll } from '../api';
import { BarChart, LineChart, palette } from '../components/Chart';
import { Empty, ErrorBox, Loading, WorkflowTabs } from '../components/ui';
import { fmtCost, fmtInt } from '../format';
import { useAsync, useDocumentTitle } from '../hooks';
import type { LlmCall, WorkflowDetail } from '../types';
import { cumulativeSeries, totals } from '../usage';

export function UsagePage({ id }: { id: number }) {
  useDocumentTitle(`Cost & tokens · workflow #${id}`);
  const data = useAsync(
    async (signal) => {
      const [calls, wf] = await Promise.all([
        fetchAll<LlmCall>(`/workflows/${id}/llm-calls`, 'calls', { sort_by: 'timestamp', sort_dir: 'asc' }, 20000, signal),
        api<WorkflowDetail>(`/workflows/${id}`, { signal }),
      ]);
      const agentOf = new Map(wf.conversations.map((c) => [c.id, c.agent]));
      return calls.items.map((c) => ({ ...c, agent: c.agent ?? (c.conversation_id === null ? undefined : agentOf.get(c.conversation_id)) ?? '?' }));
    },
    [id],
  );
  const [exec, setExec] = useState('');
  const calls = useMemo(() => (data.data ?? []).filter((c) => !exec || String(c.execution_id) === exec), [data.data, exec]);
  const execIds = [...new Set((data.data ?? []).map((c) => c.execution_id).filter((x): x is number => x !== null))].sort((a, b) => a - b);
  const byModel = (c: LlmCall) => c.model;
  const byAgent = (c: LlmCall) => c.agent ?? '?';
  const tokens = (c: LlmCall) => c.total_tokens;
  const cost = (c: LlmCall) => c.cost;
  const modelColor = palette((data.data ?? []).map(byModel));
  const agentColor = palette((data.data ?? []).map(byAgent));
  return (
    <section data-testid="usage-page">
      <div className="page-head">
        <h1>Cost and tokens</h1>
        <div className="toolbar">
          <label htmlFor="usage-exec">Execution</label>
          <select id="usage-exec" value={exec} onChange={(e) => setExec(e.target.value)}>
            <option value="">all</option>
            {execIds.map((e) => (
              <option key={e} value={e}>
                #{e}
              </option>
            ))}
          </select>
        </div>
      </div>
      <WorkflowTabs id={id} active="usage" />
      {data.error && <ErrorBox error={data.error} retry={data.reload} />}
      {!data.data && !data.error && <Loading what="Loading calls" />}
      {data.data && calls.length === 0 && <Empty>No LLM call yet, so nothing to chart.</Empty>}
      {calls.length > 0 && (
        <div className="chart-grid">
          <section className="panel" data-testid="chart-tokens-model">
            <h2>Tokens over time, per model</h2>
            <LineChart series={cumulativeSeries(calls, byModel, tokens)} color={modelColor} format={fmtInt} label="Cumulative tokens per model" />
          </section>
          <section className="panel" data-testid="chart-tokens-agent">
            <h2>Tokens over time, per agent</h2>
            <LineChart series={cumulativeSeries(calls, byAgent, tokens)} color={agentColor} format={fmtInt} label="Cumulative tokens per agent" />
          </section>
          <section className="panel" data-testid="chart-cost-model">
            <h2>Cost over time, per model</h2>
            <LineChart series={cumulativeSeries(calls, byModel, cost)} color={modelColor} format={fmtCost} label="Cumulative cost per model" />
          </section>
          <section className="panel" data-testid="chart-cost-agent">
            <h2>Cost over time, per agent</h2>
            <LineChart series={cumulativeSeries(calls, byAgent, cost)} color={agentColor} format={fmtCost} label="Cumulative cost per agent" />
          </section>
          <section className="panel">
            <h2>Tokens per agent</h2>
            <BarChart data={totals(calls, byAgent, tokens)} color={agentColor} format={fmtInt} label="Total tokens per agent" />
          </section>
          <section className="panel">
            <h2>Cost per model</h2>
            <BarChart data={totals(calls, byModel, cost)} color={modelColor} format={fmtCost} label="Total cost per model" />
          </section>
        </div>
      )}
    </section>
  );
}
