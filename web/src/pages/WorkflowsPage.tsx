import { api, qs } from '../api';
import { Empty, ErrorBox, Loading, Pager, StatusBadge } from '../components/ui';
import { fmtAgo, fmtCost, fmtInt, fmtTime } from '../format';
import { useAsync, useDocumentTitle, usePolling } from '../hooks';
import { setQuery, type Location } from '../router';
import type { Answer, Execution, Workflow } from '../types';

const STATUSES = ['', 'pending', 'running', 'waiting_approval', 'completed', 'failed', 'cancelled'];
const PAGE_SIZE = 20;

interface Row extends Workflow {
  latest?: Execution | null;
}

export function WorkflowsPage({ loc }: { loc: Location }) {
  useDocumentTitle('Workflows');
  const status = loc.query.get('status') ?? '';
  const page = Math.max(1, Number(loc.query.get('page') ?? 1) || 1);
  const list = useAsync(
    async (signal) => {
      const r = await api<Answer<'/workflows', 'get'>>(
        '/workflows' + qs({ page, page_size: PAGE_SIZE, status }),
        { signal },
      );
      // Each workflow comes with its latest execution (stage, tokens, cost) or null.
      const rows: Row[] = r.workflows.map((w) => ({ ...w, latest: w.latest_execution ?? null }));
      return { ...r, rows };
    },
    [status, page],
  );

  const live = !!list.data?.rows.some((w) => ['pending', 'running', 'waiting_approval'].includes(w.status));
  usePolling(list.reload, 4000, live);

  return (
    <section data-testid="workflows-page">
      <div className="page-head">
        <h1>Workflows</h1>
        <a className="btn btn-primary" href="#/new">
          New workflow
        </a>
      </div>
      <div className="toolbar">
        <label htmlFor="status-filter">Status</label>
        <select id="status-filter" value={status} onChange={(e) => setQuery(loc, { status: e.target.value, page: undefined })}>
          {STATUSES.map((s) => (
            <option key={s} value={s}>
              {s ? s.replace('_', ' ') : 'any'}
            </option>
          ))}
        </select>
        <button type="button" className="btn btn-small" onClick={list.reload} disabled={list.loading}>
          Refresh
        </button>
      </div>
      {list.error && <ErrorBox error={list.error} retry={list.reload} />}
      {!list.data && list.loading && <Loading what="Loading workflows" />}
      {list.data && list.data.rows.length === 0 && (
        <Empty action={<a className="btn btn-primary" href="#/new">Create a workflow</a>}>
          {status ? `No workflow is ${status.replace('_', ' ')}.` : 'No workflows yet.'}
        </Empty>
      )}
      {list.data && list.data.rows.length > 0 && (
        <>
          <div className="table-wrap">
            <table className="table" data-testid="workflows-table">
              <thead>
                <tr>
                  <th scope="col">Workflow</th>
                  <th scope="col">Status</th>
                  <th scope="col">Stage</th>
                  <th scope="col" className="num">Tokens</th>
                  <th scope="col" className="num">Cost</th>
                  <th scope="col">Updated</th>
                </tr>
              </thead>
              <tbody>
                {list.data.rows.map((w) => {
                  const latest = w.latest;
                  return (
                    <tr key={w.id} data-testid="workflow-row">
                      <td data-label="Workflow">
                        <a href={`#/workflows/${w.id}`} className="strong">
                          #{w.id} {w.name}
                        </a>
                        <div className="muted small">
                          {w.crew}
                          {w.jira_story_id ? ` · ${w.jira_story_id}` : ''}
                          {latest ? (
                            <>
                              {' · '}
                              <a href={`#/workflows/${w.id}/executions/${latest.id}`}>execution #{latest.id}</a>
                            </>
                          ) : null}
                        </div>
                      </td>
                      <td data-label="Status">
                        <StatusBadge status={w.status} />
                      </td>
                      <td data-label="Stage">{latest?.stage ?? '–'}</td>
                      <td data-label="Tokens" className="num">
                        {fmtInt(latest?.total_tokens)}
                      </td>
                      <td data-label="Cost" className="num">
                        {fmtCost(latest?.total_cost)}
                      </td>
                      <td data-label="Updated" title={fmtTime(w.updated_at)}>
                        {fmtAgo(w.updated_at)}
                      </td>
                    </tr>
                  );
                })}
              </tbody>
            </table>
          </div>
          <Pager page={list.data.page} pageSize={list.data.page_size} total={list.data.total} onPage={(p) => setQuery(loc, { page: p })} />
        </>
      )}
    </section>
  );
}
