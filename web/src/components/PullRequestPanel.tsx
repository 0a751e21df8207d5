// The workflow's pull request (SPEC §11): its link, state and branches, the
// checks on its head with their conclusions and output, and the loop that
// answers them (its state, its attempts, why it stopped, its follow-up
// executions). Refetched whenever a delivery.* event of the workflow arrives;
// a workflow without a pull request shows nothing (or a quiet line when it
// names a repository).
import { useEffect, useMemo, useRef, useState } from 'react';
import { api, ApiError, qs } from '../api';
import { fmtAgo, fmtTime } from '../format';
import { useAsync, useDebounced } from '../hooks';
import { checkBadge, checkFailed, followUpLabel, followUps, loopBadge, prStateBadge, shortSha } from '../pullRequest';
import type { Answer, Check, CheckPage, PullRequest, WfEvent } from '../types';
import { Badge, ErrorBox, Pager } from './ui';

const CHECKS_PAGE_SIZE = 50;

/** GET /workflows/{id}/pr, or null when the workflow has no pull request (404). */
async function loadPullRequest(id: number, signal: AbortSignal): Promise<PullRequest | null> {
  try {
    return await api<PullRequest>(`/workflows/${id}/pr`, { signal });
  } catch (e) {
    if (e instanceof ApiError && e.status === 404) return null;
    throw e;
  }
}

export function PullRequestPanel({ id, events, hasRepository }: { id: number; events: WfEvent[]; hasRepository: boolean }) {
  const pr = useAsync((signal) => loadPullRequest(id, signal), [id]);
  const [page, setPage] = useState(1);
  const exists = !!pr.data;
  const checks = useAsync(
    (signal) => (exists ? api<CheckPage>(`/workflows/${id}/pr/checks` + qs({ page, page_size: CHECKS_PAGE_SIZE }), { signal }) : Promise.resolve(null)),
    [id, page, exists],
  );

  // Every delivery event may change the pull request or its checks: refetch both (at most every 300 ms).
  const reload = useDebounced(() => {
    pr.reload();
    checks.reload();
  }, 300);
  const seen = useRef(events.length);
  useEffect(() => {
    if (events.length === seen.current) return;
    seen.current = events.length;
    reload();
  }, [events.length, reload]);

  const attempts = useMemo(() => followUps(events), [events]);

  if (pr.error) return <ErrorBox error={pr.error} retry={pr.reload} />;
  if (pr.data === undefined) return null; // loading: the panel appears once there is something to show
  if (pr.data === null)
    return hasRepository ? (
      <p className="muted small" data-testid="pr-none">
        No pull request yet: the crew opens one when it delivers.
      </p>
    ) : null;
  const p = pr.data;
  const state = prStateBadge(p.state, p.draft);
  const loop = loopBadge(p.loop.state);
  return (
    <section className="panel pr-panel" aria-labelledby="pr-h" data-testid="pull-request" data-state={p.state} data-loop={p.loop.state}>
      <div className="row-between">
        <h2 id="pr-h">Pull request</h2>
        <RefreshButton id={id} events={events} />
      </div>
      <div className="pr-head">
        <a className="pr-title" href={p.url} target="_blank" rel="noopener noreferrer" data-testid="pr-link">
          #{p.number} {p.title}
        </a>{' '}
        <Badge label={state.label} tone={state.tone} testid="pr-state" title={p.draft ? `${p.state}, draft` : p.state} />
      </div>
      <div className="muted pr-meta">
        {p.repository && (
          <>
            <code data-testid="pr-repository">{p.repository}</code> ·{' '}
          </>
        )}
        <span data-testid="pr-branches">
          <code>{p.base_branch}</code> ← <code>{p.head_branch}</code>
        </span>{' '}
        · head{' '}
        <code data-testid="pr-head-sha" title={p.head_sha}>
          {shortSha(p.head_sha)}
        </code>{' '}
        · updated <span title={fmtTime(p.updated_at)}>{fmtAgo(p.updated_at)}</span>
      </div>
      {p.loop.state === 'needs_human' && (
        <div className="callout callout-bad" role="alert" data-testid="pr-needs-human">
          <strong>codecrew stopped:</strong> {p.loop.reason || 'the loop gave up'}; a person needs to look.
        </div>
      )}
      <div className="pr-loop" data-testid="pr-loop">
        Loop <Badge label={loop.label} tone={loop.tone} testid="pr-loop-state" />
        {' · '}
        <span data-testid="pr-fix-attempts">
          {p.loop.fix_attempts} {p.loop.fix_attempts === 1 ? 'follow-up' : 'follow-ups'}
        </span>
        {p.loop.state === 'fixing' && p.loop.reason && <> · running: {followUpLabel(p.loop.reason)}</>}
      </div>

      <h3>Checks</h3>
      <ChecksTable data={checks.data ?? undefined} error={checks.error} retry={checks.reload} headSha={p.head_sha} />
      {checks.data && checks.data.total > CHECKS_PAGE_SIZE && <Pager page={page} pageSize={CHECKS_PAGE_SIZE} total={checks.data.total} onPage={setPage} />}

      <h3>Follow-ups</h3>
      {attempts.length === 0 ? (
        <p className="muted small" data-testid="pr-no-follow-ups">
          None yet: the loop starts one when a check fails or a reviewer asks for changes.
        </p>
      ) : (
        <ol className="follow-ups" data-testid="pr-follow-ups">
          {attempts.map((f) => (
            <li key={`${f.attempt}-${f.executionId}`} data-testid="pr-follow-up" data-kind={f.kind}>
              <strong>Attempt {f.attempt}</strong>: {followUpLabel(f.kind)}
              {f.executionId !== null && (
                <>
                  {' · '}
                  <a href={`#/workflows/${id}/executions/${f.executionId}`}>execution #{f.executionId}</a>
                </>
              )}
              <span className="muted small"> · {fmtTime(f.at)}</span>
            </li>
          ))}
        </ol>
      )}
    </section>
  );
}

function ChecksTable({ data, error, retry, headSha }: { data?: CheckPage; error?: Error; retry: () => void; headSha: string }) {
  if (error) return <ErrorBox error={error} retry={retry} />;
  if (!data) return <p className="muted small">Loading the checks…</p>;
  if (data.checks.length === 0)
    return (
      <p className="muted small" data-testid="pr-no-checks">
        No check has reported on <code>{shortSha(headSha)}</code> yet.
      </p>
    );
  return (
    <div className="table-wrap">
      <table className="table checks-table" data-testid="pr-checks">
        <thead>
          <tr>
            <th scope="col">Check</th>
            <th scope="col">Result</th>
            <th scope="col">Summary</th>
            <th scope="col">Updated</th>
          </tr>
        </thead>
        <tbody>
          {data.checks.map((c) => (
            <CheckRow key={c.id} check={c} />
          ))}
        </tbody>
      </table>
    </div>
  );
}

function CheckRow({ check: c }: { check: Check }) {
  const badge = checkBadge(c.status, c.conclusion);
  const failed = checkFailed(c.status, c.conclusion);
  const [summary, ...rest] = (c.summary || '').split('\n');
  return (
    <tr data-testid="pr-check" data-name={c.name} data-conclusion={c.conclusion ?? ''} className={failed ? 'row-bad' : undefined}>
      <td data-label="Check">
        {c.url ? (
          <a href={c.url} target="_blank" rel="noopener noreferrer">
            {c.name}
          </a>
        ) : (
          c.name
        )}
      </td>
      <td data-label="Result">
        <Badge label={badge.label} tone={badge.tone} testid="check-result" />
      </td>
      <td data-label="Summary">
        <div className="check-summary">
          {summary || <span className="muted">–</span>}
          {rest.length > 0 && <div className="muted small">{rest.join(' ')}</div>}
          {c.output && (
            <details className="check-output" data-testid="check-output">
              <summary>Output (tail)</summary>
              <pre className="wrap">{c.output}</pre>
            </details>
          )}
        </div>
      </td>
      <td data-label="Updated">
        <span title={fmtTime(c.updated_at)}>{fmtAgo(c.updated_at)}</span>
      </td>
    </tr>
  );
}

function RefreshButton({ id, events }: { id: number; events: WfEvent[] }) {
  const refreshed = events.filter((e) => e.type === 'delivery.refreshed').length;
  const [state, setState] = useState<{ busy: boolean; queuedAt?: number; error?: string }>({ busy: false });
  const refresh = async () => {
    setState({ busy: true });
    try {
      await api<Answer<'/workflows/{id}/pr/refresh', 'post'>>(`/workflows/${id}/pr/refresh`, { method: 'POST' });
      setState({ busy: false, queuedAt: refreshed });
    } catch (e) {
      setState({ busy: false, error: (e as Error).message });
    }
  };
  let note = '';
  if (state.busy) note = 'Asking…';
  else if (state.error) note = state.error;
  else if (state.queuedAt !== undefined) note = refreshed > state.queuedAt ? 'Refreshed from GitHub.' : 'Refresh queued.';
  return (
    <div className="btn-row pr-refresh">
      <span className={state.error ? 'form-error small' : 'muted small'} role="status" aria-live="polite" data-testid="pr-refresh-status">
        {note}
      </span>
      <button type="button" className="btn btn-small" onClick={refresh} disabled={state.busy} title="Read the pull request and its checks from GitHub again">
        Refresh
      </button>
    </div>
  );
}
