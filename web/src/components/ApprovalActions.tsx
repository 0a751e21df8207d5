import { useState } from 'react';
import { api } from '../api';
import type { Answer, Approval } from '../types';

/** Approve / request changes / reject one pending gate, with an optional comment (required for changes). */
export function ApprovalActions({ approval, onDecided }: { approval: Approval; onDecided?: (a: Approval) => void }) {
  const [comment, setComment] = useState('');
  const [busy, setBusy] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const decide = async (verb: 'approve' | 'reject' | 'request-changes') => {
    if (verb === 'request-changes' && !comment.trim()) {
      setError('Say what to change in the comment.');
      return;
    }
    setBusy(verb);
    setError(null);
    try {
      const a = await api<Answer<'/approvals/{id}/approve', 'post'>>(`/approvals/${approval.id}/${verb}`, { method: 'POST', body: comment.trim() ? { comment: comment.trim() } : {} });
      onDecided?.(a);
    } catch (e) {
      setError((e as Error).message);
    } finally {
      setBusy(null);
    }
  };
  const id = `comment-${approval.id}`;
  return (
    <div className="approval-actions" data-testid="approval-actions">
      <label htmlFor={id} className="sr-only">
        Comment on gate {approval.gate}
      </label>
      <input id={id} value={comment} onChange={(e) => setComment(e.target.value)} placeholder="Comment (needed to request changes)" />
      <div className="btn-row">
        <button type="button" className="btn btn-primary" disabled={!!busy} onClick={() => decide('approve')}>
          {busy === 'approve' ? 'Approving…' : 'Approve'}
        </button>
        <button type="button" className="btn" disabled={!!busy} onClick={() => decide('request-changes')}>
          Request changes
        </button>
        <button type="button" className="btn btn-danger" disabled={!!busy} onClick={() => decide('reject')}>
          Reject
        </button>
      </div>
      {error && (
        <p className="form-error" role="alert">
          {error}
        </p>
      )}
    </div>
  );
}
