import { useState } from 'react';
import { api, fetchAll } from '../api';
import { Empty, ErrorBox, Loading, WorkflowTabs, ExecutionSelect } from '../components/ui';
import { compareOutputs, lineDiff, type OutputChange } from '../diff';
import { fmtCost, fmtInt, fmtMs, fmtSigned } from '../format';
import { useAsync, useDocumentTitle } from '../hooks';
import { setQuery, type Location } from '../router';
import type { Artifact, Comparison, Diff, Execution } from '../types';

interface Outputs {
  diffs: Diff[];
  artifacts: Artifact[];
}

async function outputsOf(id: number, eid: number, signal: AbortSignal): Promise<Outputs> {
  const [d, a] = await Promise.all([
    fetchAll<Diff>(`/workflows/${id}/diffs`, 'diffs', { execution_id: eid }, 2000, signal),
    fetchAll<Artifact>(`/workflows/${id}/artifacts`, 'artifacts', { execution_id: eid }, 2000, signal),
  ]);
  return { diffs: d.items, artifacts: a.items };
}

const CHANGE_LABEL: Record<OutputChange, string> = { same: 'same', changed: 'different', only_a: 'only in A', only_b: 'only in B' };

export function ComparePage({ id, loc }: { id: number; loc: Location }) {
  useDocumentTitle(`Compare · workflow #${id}`);
  const execs = useAsync((signal) => fetchAll<Execution>(`/workflows/${id}/executions`, 'executions', {}, 500, signal), [id]);
  const list = execs.data?.items ?? [];
  const a = Number(loc.query.get('a')) || (list[1]?.id ?? 0);
  const b = Number(loc.query.get('b')) || (list[0]?.id ?? 0);
  const ready = a > 0 && b > 0 && a !== b;
  const cmp = useAsync(
    async (signal) => {
      if (!ready) return null;
      const [c, oa, ob] = await Promise.all([
        api<Comparison>(`/workflows/${id}/executions/${a}/compare/${b}`, { signal }),
        outputsOf(id, a, signal),
        outputsOf(id, b, signal),
      ]);
      return { c, oa, ob };
    },
    [id, a, b, ready],
  );
  const ea = list.find((e) => e.id === a);
  const eb = list.find((e) => e.id === b);

  return (
    <section data-testid="compare-page">
      <div className="page-head">
        <h1>Compare executions</h1>
        <div className="toolbar">
          <label htmlFor="cmp-a">A</label>
          <ExecutionSelect id="cmp-a" executions={list} value={a || ''} onChange={(v) => setQuery(loc, { a: v })} />
          <label htmlFor="cmp-b">B</label>
          <ExecutionSelect id="cmp-b" executions={list} value={b || ''} onChange={(v) => setQuery(loc, { b: v })} />
        </div>
      </div>
      <WorkflowTabs id={id} active="compare" />
      {execs.error && <ErrorBox error={execs.error} retry={execs.reload} />}
      {!execs.data && <Loading what="Loading executions" />}
      {execs.data && list.length < 2 && <Empty>Comparing needs two executions of this workflow; it has {list.length}.</Empty>}
      {execs.data && list.length >= 2 && !ready && <Empty>Pick two different executions.</Empty>}
      {cmp.error && <ErrorBox error={cmp.error} retry={cmp.reload} />}
      {ready && !cmp.data && !cmp.error && <Loading what="Comparing" />}
      {cmp.data && (
        <>
          <h2>Metrics</h2>
          <div className="table-wrap">
            <table className="table" data-testid="compare-metrics">
              <thead>
                <tr>
                  <th scope="col">Metric</th>
                  <th scope="col" className="num">A · #{cmp.data.c.a.id}</th>
                  <th scope="col" className="num">B · #{cmp.data.c.b.id}</th>
                  <th scope="col" className="num">B − A</th>
                </tr>
              </thead>
              <tbody>
                <tr>
                  <th scope="row">Status</th>
                  <td className="num">{cmp.data.c.a.status}</td>
                  <td className="num">{cmp.data.c.b.status}</td>
                  <td className="num">{cmp.data.c.differences.same_status ? 'same' : 'different'}</td>
                </tr>
                <tr>
                  <th scope="row">Stage</th>
                  <td className="num">{cmp.data.c.a.stage}</td>
                  <td className="num">{cmp.data.c.b.stage}</td>
                  <td className="num">{cmp.data.c.differences.same_stage ? 'same' : 'different'}</td>
                </tr>
                <MetricRow label="LLM calls" a={cmp.data.c.a.total_calls} b={cmp.data.c.b.total_calls} d={cmp.data.c.differences.total_calls} f={fmtInt} />
                <MetricRow label="Tokens" a={cmp.data.c.a.total_tokens} b={cmp.data.c.b.total_tokens} d={cmp.data.c.differences.total_tokens} f={fmtInt} />
                <MetricRow label="Cost" a={cmp.data.c.a.total_cost} b={cmp.data.c.b.total_cost} d={cmp.data.c.differences.total_cost} f={fmtCost} />
                <MetricRow label="Avg latency" a={cmp.data.c.a.avg_latency_ms} b={cmp.data.c.b.avg_latency_ms} d={cmp.data.c.differences.avg_latency_ms} f={fmtMs} />
                <tr>
                  <th scope="row">Models</th>
                  <td className="num">{cmp.data.c.a.models.join(', ') || '–'}</td>
                  <td className="num">{cmp.data.c.b.models.join(', ') || '–'}</td>
                  <td className="num">
                    {[...cmp.data.c.differences.models_added.map((m) => '+' + m), ...cmp.data.c.differences.models_removed.map((m) => '−' + m)].join(', ') || 'same'}
                  </td>
                </tr>
                {agentRows(ea, eb)}
              </tbody>
            </table>
          </div>
          <OutputSection
            title="Changed files"
            testid="compare-diffs"
            rows={compareOutputs(cmp.data.oa.diffs, cmp.data.ob.diffs, (d) => d.path, (d) => d.diff)}
            text={(d) => d.diff}
          />
          <OutputSection
            title="Artifacts"
            testid="compare-artifacts"
            rows={compareOutputs(cmp.data.oa.artifacts, cmp.data.ob.artifacts, (x) => x.kind, (x) => x.content)}
            text={(x) => x.content}
          />
        </>
      )}
    </section>
  );
}

function MetricRow({ label, a, b, d, f }: { label: string; a: number; b: number; d: number; f: (n: number) => string }) {
  return (
    <tr>
      <th scope="row">{label}</th>
      <td className="num">{f(a)}</td>
      <td className="num">{f(b)}</td>
      <td className={`num ${d > 0 ? 'delta-up' : d < 0 ? 'delta-down' : ''}`}>{fmtSigned(d, f)}</td>
    </tr>
  );
}

function agentRows(a?: Execution, b?: Execution) {
  const ba = a?.progress?.budget.agents ?? {};
  const bb = b?.progress?.budget.agents ?? {};
  const agents = [...new Set([...Object.keys(ba), ...Object.keys(bb)])].sort();
  return agents.map((ag) => {
    const x = ba[ag]?.tokens_used ?? 0;
    const y = bb[ag]?.tokens_used ?? 0;
    return <MetricRow key={ag} label={`Tokens · ${ag}`} a={x} b={y} d={y - x} f={fmtInt} />;
  });
}

function OutputSection<T>({ title, testid, rows, text }: { title: string; testid: string; rows: { key: string; change: OutputChange; a?: T; b?: T }[]; text: (t: T) => string }) {
  const [open, setOpen] = useState<string | null>(null);
  const changed = rows.filter((r) => r.change !== 'same').length;
  return (
    <section data-testid={testid}>
      <h2>
        {title} <span className="muted small">{rows.length} in all · {changed} differ</span>
      </h2>
      {rows.length === 0 ? (
        <Empty>Neither execution has any.</Empty>
      ) : (
        <ul className="output-list">
          {rows.map((r) => (
            <li key={r.key} data-testid="output-row" data-change={r.change}>
              <div className="row-between">
                <code>{r.key}</code>
                <span className={`chg chg-${r.change}`}>{CHANGE_LABEL[r.change]}</span>
                {r.change !== 'same' && (
                  <button type="button" className="btn btn-small" aria-expanded={open === r.key} onClick={() => setOpen(open === r.key ? null : r.key)}>
                    {open === r.key ? 'Hide' : 'Show'} difference
                  </button>
                )}
              </div>
              {open === r.key && (
                <pre className="line-diff">
                  {lineDiff(r.a ? text(r.a) : '', r.b ? text(r.b) : '').map((op, i) => (
                    <div key={i} className={`ld-${op.kind}`}>
                      {op.kind === 'add' ? '+ ' : op.kind === 'del' ? '− ' : '  '}
                      {op.text}
                    </div>
                  ))}
                </pre>
              )}
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
