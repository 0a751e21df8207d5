import { useEffect, useState, type ReactNode } from 'react';
import { ApiError } from '../api';

export function Loading({ what = 'Loading' }: { what?: string }) {
  return (
    <div className="state state-loading" role="status" aria-live="polite" data-testid="loading">
      <span className="spinner" aria-hidden="true" /> {what}…
    </div>
  );
}

export function ErrorBox({ error, retry }: { error: Error; retry?: () => void }) {
  const status = error instanceof ApiError && error.status ? ` (${error.status})` : '';
  return (
    <div className="state state-error" role="alert" data-testid="error">
      <strong>Something went wrong{status}.</strong> <span>{error.message}</span>
      {retry && (
        <button type="button" className="btn btn-small" onClick={retry}>
          Try again
        </button>
      )}
    </div>
  );
}

export function Empty({ children, action }: { children: ReactNode; action?: ReactNode }) {
  return (
    <div className="state state-empty" data-testid="empty">
      <p>{children}</p>
      {action}
    </div>
  );
}

const STATUS_LABEL: Record<string, string> = {
  waiting_approval: 'waiting approval',
  changes_requested: 'changes requested',
};

export function StatusBadge({ status }: { status: string }) {
  return (
    <span className={`badge badge-${status}`} data-testid="status">
      {STATUS_LABEL[status] ?? status}
    </span>
  );
}

/** A coloured label: tone picks the colour (ok, bad, warn, info, merged, neutral). */
export function Badge({ label, tone, testid, title }: { label: string; tone: string; testid?: string; title?: string }) {
  return (
    <span className={`badge tone-${tone}`} data-testid={testid} data-tone={tone} title={title}>
      {label}
    </span>
  );
}

export function Pager({ page, pageSize, total, onPage }: { page: number; pageSize: number; total: number; onPage: (p: number) => void }) {
  const pages = Math.max(1, Math.ceil(total / pageSize));
  return (
    <nav className="pager" aria-label="Pages">
      <button type="button" className="btn btn-small" disabled={page <= 1} onClick={() => onPage(page - 1)}>
        ‹ Previous
      </button>
      <span data-testid="pager-info">
        Page {page} of {pages} · {total} in all
      </span>
      <button type="button" className="btn btn-small" disabled={page >= pages} onClick={() => onPage(page + 1)}>
        Next ›
      </button>
    </nav>
  );
}

export function Stat({ label, value, testid }: { label: string; value: ReactNode; testid?: string }) {
  return (
    <div className="stat" data-testid={testid}>
      <div className="stat-label">{label}</div>
      <div className="stat-value">{value}</div>
    </div>
  );
}

export function WorkflowTabs({ id, active }: { id: number; active: string }) {
  const tabs: [string, string][] = [
    ['overview', `#/workflows/${id}`],
    ['diffs', `#/workflows/${id}/diffs`],
    ['artifacts', `#/workflows/${id}/artifacts`],
    ['llm-calls', `#/workflows/${id}/llm-calls`],
    ['usage', `#/workflows/${id}/usage`],
    ['compare', `#/workflows/${id}/compare`],
  ];
  const label: Record<string, string> = { overview: 'Overview', diffs: 'Diffs', artifacts: 'Artifacts', 'llm-calls': 'LLM calls', usage: 'Cost & tokens', compare: 'Compare' };
  return (
    <nav className="tabs" aria-label="Workflow">
      {tabs.map(([k, href]) => (
        <a key={k} href={href} className={k === active ? 'tab active' : 'tab'} aria-current={k === active ? 'page' : undefined}>
          {label[k]}
        </a>
      ))}
    </nav>
  );
}

/** A picker of a workflow's executions, "#id (status)" each. */
export function ExecutionSelect({ id, executions, value, onChange }: {
  id: string; executions: { id: number; status: string }[]; value: string | number; onChange: (value: string) => void;
}) {
  return (
    <select id={id} value={value} onChange={(e) => onChange(e.target.value)}>
      {executions.map((e) => (
        <option key={e.id} value={e.id}>
          #{e.id} ({e.status})
        </option>
      ))}
    </select>
  );
}

/** Puts text on the clipboard: the Clipboard API where the page may use it, else a selected textarea and the copy command (plain http off localhost). */
async function copyText(text: string): Promise<boolean> {
  try {
    if (navigator.clipboard?.writeText) {
      await navigator.clipboard.writeText(text);
      return true;
    }
  } catch {
    /* denied: try the copy command */
  }
  const area = document.createElement('textarea');
  area.value = text;
  area.setAttribute('readonly', '');
  area.style.position = 'fixed';
  area.style.opacity = '0';
  document.body.appendChild(area);
  area.select();
  try {
    return document.execCommand('copy');
  } catch {
    return false;
  } finally {
    area.remove();
  }
}

/** A small button copying text to the clipboard; it says "Copied" (or "Copy failed") for a moment. */
export function CopyButton({ text, label }: { text: string; label: string }) {
  const [state, setState] = useState<'idle' | 'copied' | 'failed'>('idle');
  useEffect(() => {
    if (state === 'idle') return;
    const t = setTimeout(() => setState('idle'), 1500);
    return () => clearTimeout(t);
  }, [state]);
  return (
    <button type="button" className="btn btn-small btn-copy" aria-label={`Copy ${label}`} title={`Copy ${label}`} onClick={async () => setState((await copyText(text)) ? 'copied' : 'failed')}>
      {state === 'copied' ? 'Copied' : state === 'failed' ? 'Copy failed' : 'Copy'}
    </button>
  );
}

/** Labelled identifiers (request, trace, ...) in monospace, each with a copy button; the null ones are left out, and nothing at all when every one is null. */
export function IdList({ ids, testid }: { ids: { label: string; value: string | null | undefined; testid?: string }[]; testid?: string }) {
  const shown = ids.filter((i) => i.value);
  if (shown.length === 0) return null;
  return (
    <dl className="id-list" data-testid={testid}>
      {shown.map((i) => (
        <div key={i.label}>
          <dt>{i.label}</dt>
          <dd>
            <code data-testid={i.testid}>{i.value}</code> <CopyButton text={i.value as string} label={i.label.toLowerCase()} />
          </dd>
        </div>
      ))}
    </dl>
  );
}
