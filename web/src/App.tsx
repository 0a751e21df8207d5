import { Suspense, lazy, useCallback, useEffect, useState, type FormEvent } from 'react';
import { api, ApiError, getKey, onUnauthorized, setKey } from './api';
import { ErrorBox, Loading } from './components/ui';
import { matchRoute, useLocation } from './router';
import type { Health } from './types';
import { WorkflowsPage } from './pages/WorkflowsPage';
import { NewWorkflowPage } from './pages/NewWorkflowPage';
import { WorkflowPage } from './pages/WorkflowPage';
import { MonitorPage } from './pages/MonitorPage';
import { ApprovalsPage } from './pages/ApprovalsPage';
import { LlmCallsPage } from './pages/LlmCallsPage';
import { ComparePage } from './pages/ComparePage';
import { UsagePage } from './pages/UsagePage';

// Pages with heavy dependencies (highlight.js, marked + DOMPurify) load on demand.
const DiffsPage = lazy(() => import('./pages/DiffsPage'));
const ArtifactsPage = lazy(() => import('./pages/ArtifactsPage'));

// Asked for as soon as the script runs, before React's first render.
let firstHealth: Promise<Health> | null = api<Health>('/health');

type AuthState = { kind: 'checking' } | { kind: 'error'; error: Error } | { kind: 'prompt'; message?: string } | { kind: 'ready'; mode: 'none' | 'api_key' };

function authMode(h: Health): 'none' | 'api_key' {
  if (h.auth === 'none' || h.auth === 'api_key') return h.auth;
  return h.dev_mode ? 'none' : 'api_key';
}

export function App() {
  const [auth, setAuth] = useState<AuthState>({ kind: 'checking' });
  const [health, setHealth] = useState<Health | null>(null);

  const check = useCallback(async () => {
    setAuth({ kind: 'checking' });
    try {
      const pending = firstHealth;
      firstHealth = null;
      const h = await (pending ?? api<Health>('/health'));
      setHealth(h);
      const mode = authMode(h);
      if (mode === 'api_key' && !getKey()) setAuth({ kind: 'prompt' });
      else setAuth({ kind: 'ready', mode });
    } catch (e) {
      setAuth({ kind: 'error', error: e as Error });
    }
  }, []);

  useEffect(() => {
    void check();
    return onUnauthorized(() => setAuth({ kind: 'prompt', message: 'The server refused the API key. Enter a valid key.' }));
  }, [check]);

  return (
    <div className="app">
      <Header mode={auth.kind === 'ready' ? auth.mode : undefined} health={health} onSignOut={() => setAuth({ kind: 'prompt' })} />
      <main id="main" className="main" tabIndex={-1}>
        {auth.kind === 'checking' && <Loading what="Connecting to codecrew" />}
        {auth.kind === 'error' && <ErrorBox error={auth.error} retry={check} />}
        {auth.kind === 'prompt' && <KeyPrompt message={auth.message} onDone={() => setAuth({ kind: 'ready', mode: 'api_key' })} />}
        {auth.kind === 'ready' && <Routes />}
      </main>
    </div>
  );
}

function Header({ mode, health, onSignOut }: { mode?: 'none' | 'api_key'; health: Health | null; onSignOut: () => void }) {
  const loc = useLocation();
  const route = matchRoute(loc.path);
  const current = route.page === 'new' ? 'new' : route.page === 'approvals' ? 'approvals' : 'workflows';
  return (
    <header className="header">
      <a className="skip" href="#main" onClick={(e) => { e.preventDefault(); document.getElementById('main')?.focus(); }}>
        Skip to content
      </a>
      <a className="brand" href="#/workflows">
        <span className="logo" aria-hidden="true">cc</span> codecrew
      </a>
      <nav className="nav" aria-label="Main">
        <a href="#/workflows" aria-current={current === 'workflows' ? 'page' : undefined}>Workflows</a>
        <a href="#/new" aria-current={current === 'new' ? 'page' : undefined}>New workflow</a>
        <a href="#/approvals" aria-current={current === 'approvals' ? 'page' : undefined}>Approvals</a>
      </nav>
      <div className="header-right">
        {mode === 'none' && <span className="pill pill-warn" title="The server runs with --dev: no API keys">dev mode</span>}
        {mode === 'api_key' && (
          <button type="button" className="btn btn-small btn-ghost" onClick={() => { setKey(null); onSignOut(); }}>
            Forget key
          </button>
        )}
        {health?.version && <span className="version">v{health.version}</span>}
      </div>
    </header>
  );
}

function KeyPrompt({ message, onDone }: { message?: string; onDone: () => void }) {
  const [value, setValue] = useState('');
  const [error, setError] = useState<string | undefined>(message);
  const [busy, setBusy] = useState(false);
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const key = value.trim();
    if (!key) {
      setError('Enter an API key.');
      return;
    }
    setBusy(true);
    setKey(key);
    try {
      await api('/workflows?page_size=1');
      onDone();
    } catch (err) {
      setKey(null);
      setError(err instanceof ApiError && err.status === 401 ? 'That key was refused. Check it and try again.' : (err as Error).message);
    } finally {
      setBusy(false);
    }
  };
  return (
    <section className="card key-prompt" data-testid="key-prompt" aria-labelledby="key-title">
      <h1 id="key-title">API key</h1>
      <p>
        This server needs an API key. Create one with <code>codecrew keys create --tenant NAME --role member</code>. It is kept only
        in this browser tab's session.
      </p>
      <form onSubmit={submit}>
        <label htmlFor="api-key">Key</label>
        <input id="api-key" name="api-key" type="password" autoComplete="off" autoFocus value={value} onChange={(e) => setValue(e.target.value)} placeholder="cc_…" />
        {error && (
          <p className="form-error" role="alert">
            {error}
          </p>
        )}
        <button type="submit" className="btn btn-primary" disabled={busy}>
          {busy ? 'Checking…' : 'Continue'}
        </button>
      </form>
    </section>
  );
}

function Routes() {
  const loc = useLocation();
  const route = matchRoute(loc.path);
  useEffect(() => {
    window.scrollTo(0, 0);
  }, [loc.path]);
  switch (route.page) {
    case 'workflows':
      return <WorkflowsPage loc={loc} />;
    case 'new':
      return <NewWorkflowPage />;
    case 'approvals':
      return <ApprovalsPage />;
    case 'workflow':
      return <WorkflowPage id={route.id} />;
    case 'monitor':
      return <MonitorPage key={`${route.id}/${route.eid}`} id={route.id} eid={route.eid} />;
    case 'diffs':
      return (
        <Suspense fallback={<Loading />}>
          <DiffsPage id={route.id} loc={loc} />
        </Suspense>
      );
    case 'artifacts':
      return (
        <Suspense fallback={<Loading />}>
          <ArtifactsPage id={route.id} loc={loc} />
        </Suspense>
      );
    case 'llm-calls':
      return <LlmCallsPage id={route.id} loc={loc} />;
    case 'compare':
      return <ComparePage id={route.id} loc={loc} />;
    case 'usage':
      return <UsagePage id={route.id} />;
    default:
      return (
        <section className="card" data-testid="not-found">
          <h1>Not found</h1>
          <p>
            Nothing lives at <code>#{route.path}</code>. <a href="#/workflows">See the workflows</a>.
          </p>
        </section>
      );
  }
}
