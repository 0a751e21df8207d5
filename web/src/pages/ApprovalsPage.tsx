import { useState } from 'react';
import { api, qs } from '../api';
import { ApprovalActions } from '../components/ApprovalActions';
import { Empty, ErrorBox, Loading, StatusBadge } from '../components/ui';
import { fmtAgo, fmtTime } from '../format';
import { useAsync, useDocumentTitle } from '../hooks';
import type { Answer } from '../types';

export function ApprovalsPage() {
  useDocumentTitle('Approvals');
  const [status, setStatus] = useState('pending');
  const list = useAsync((signal) => api<Answer<'/approvals', 'get'>>('/approvals' + qs({ status, page_size: 100 }), { signal }), [status]);
  return (
    <section data-testid="approvals-page">
      <div className="page-head">
        <h1>Approvals</h1>
      </div>
      <div className="toolbar">
        <label htmlFor="approval-status">Show</label>
        <select id="approval-status" value={status} onChange={(e) => setStatus(e.target.value)}>
          {['pending', 'approved', 'rejected', 'changes_requested', 'all'].map((s) => (
            <option key={s} value={s}>
              {s.replace('_', ' ')}
            </option>
          ))}
        </select>
        <button type="button" className="btn btn-small" onClick={list.reload}>
          Refresh
        </button>
      </div>
      {list.error && <ErrorBox error={list.error} retry={list.reload} />}
      {!list.data && list.loading && <Loading what="Loading approvals" />}
      {list.data && list.data.approvals.length === 0 && <Empty>No {status === 'all' ? '' : status.replace('_', ' ')} approval gates.</Empty>}
      <ul className="cards">
        {list.data?.approvals.map((a) => (
          <li key={a.id} className="card" data-testid="approval-card">
            <div className="row-between">
              <div>
                <strong>Gate {a.gate}</strong> ·{' '}
                <a href={`#/workflows/${a.workflow_id}/executions/${a.execution_id}`}>
                  workflow #{a.workflow_id}, execution #{a.execution_id}
                </a>
                <div className="muted small" title={fmtTime(a.requested_at)}>
                  requested {fmtAgo(a.requested_at)}
                  {a.decided_at && ` · decided by ${a.reviewer || '?'} ${fmtAgo(a.decided_at)}`}
                  {a.comment && ` · “${a.comment}”`}
                </div>
              </div>
              <StatusBadge status={a.status} />
            </div>
            {a.status === 'pending' && <ApprovalActions approval={a} onDecided={list.reload} />}
          </li>
        ))}
      </ul>
    </section>
  );
}
