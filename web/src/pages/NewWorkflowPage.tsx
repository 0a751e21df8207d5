import { useState, type FormEvent } from 'react';
import { api } from '../api';
import { BUILTIN_CREWS, crewAgents, loadCrews, stageTasks } from '../crews';
import { ErrorBox, Loading } from '../components/ui';
import { useAsync, useDocumentTitle } from '../hooks';
import { navigate } from '../router';
import type { Answer, Crew } from '../types';

export function NewWorkflowPage() {
  useDocumentTitle('New workflow');
  const crews = useAsync((signal) => loadCrews(signal), []);
  const [source, setSource] = useState<'goal' | 'jira'>('goal');
  const [name, setName] = useState('');
  const [goal, setGoal] = useState('');
  const [jira, setJira] = useState('');
  const [repo, setRepo] = useState('');
  const [crew, setCrew] = useState('sdlc');
  const [start, setStart] = useState(true);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<Error | null>(null);

  const list: Crew[] | null = crews.data ?? null;
  const names = list ? list.map((c) => c.name) : BUILTIN_CREWS;
  const selected = list?.find((c) => c.name === crew);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setError(null);
    if (source === 'goal' && !goal.trim()) return setError(new Error('Describe the goal.'));
    if (source === 'jira' && !/^[A-Z][A-Z0-9_]*-\d+$/.test(jira.trim())) return setError(new Error('A Jira key looks like PROJ-123.'));
    setBusy(true);
    try {
      const body: Record<string, string> = {
        name: name.trim() || (source === 'jira' ? jira.trim() : goal.trim().split('\n')[0].slice(0, 80)),
        crew,
      };
      if (source === 'goal') body.description = goal.trim();
      else body.jira_story_id = jira.trim();
      if (repo.trim()) body.repository_url = repo.trim();
      const wf = await api<Answer<'/workflows', 'post'>>('/workflows', { method: 'POST', body });
      if (!start) return navigate(`/workflows/${wf.id}`);
      const started = await api<Answer<'/workflows/{id}/executions/start', 'post'>>(`/workflows/${wf.id}/executions/start`, {
        method: 'POST',
        headers: { 'Idempotency-Key': `web-${wf.id}-${Date.now()}` },
      });
      navigate(`/workflows/${wf.id}/executions/${started.execution.id}`);
    } catch (err) {
      setError(err as Error);
    } finally {
      setBusy(false);
    }
  };

  return (
    <section data-testid="new-workflow-page">
      <div className="page-head">
        <h1>New workflow</h1>
      </div>
      <form className="card form" onSubmit={submit} aria-describedby={error ? 'new-error' : undefined}>
        <fieldset className="segmented">
          <legend>Start from</legend>
          <label>
            <input type="radio" name="source" value="goal" checked={source === 'goal'} onChange={() => setSource('goal')} /> A goal
          </label>
          <label>
            <input type="radio" name="source" value="jira" checked={source === 'jira'} onChange={() => setSource('jira')} /> A Jira story
          </label>
        </fieldset>
        {source === 'goal' ? (
          <div className="field">
            <label htmlFor="goal">Goal</label>
            <textarea id="goal" rows={4} value={goal} onChange={(e) => setGoal(e.target.value)} placeholder="A python3 command-line program wordcount.py that counts lines, words and characters, with unit tests" />
          </div>
        ) : (
          <div className="field">
            <label htmlFor="jira">Jira key</label>
            <input id="jira" value={jira} onChange={(e) => setJira(e.target.value.toUpperCase())} placeholder="PROJ-123" />
          </div>
        )}
        <div className="field-row">
          <div className="field">
            <label htmlFor="name">Name (optional)</label>
            <input id="name" value={name} onChange={(e) => setName(e.target.value)} placeholder="from the goal or key" />
          </div>
          <div className="field">
            <label htmlFor="repo">Repository (optional)</label>
            <input id="repo" value={repo} onChange={(e) => setRepo(e.target.value)} placeholder="/path/to/repo or file:// URL; empty: a new one" />
          </div>
        </div>
        <div className="field">
          <label htmlFor="crew">Crew template</label>
          {crews.loading && !crews.data ? (
            <Loading what="Loading crews" />
          ) : (
            <select id="crew" value={crew} onChange={(e) => setCrew(e.target.value)} data-testid="crew-select">
              {names.map((n) => (
                <option key={n} value={n}>
                  {n}
                </option>
              ))}
            </select>
          )}
          {crews.error && <ErrorBox error={crews.error} retry={crews.reload} />}
        </div>
        <CrewPreview crew={selected} name={crew} known={list !== null} />
        <label className="check">
          <input type="checkbox" checked={start} onChange={(e) => setStart(e.target.checked)} /> Start it now and open the monitor
        </label>
        {error && (
          <div id="new-error">
            <ErrorBox error={error} />
          </div>
        )}
        <div className="actions">
          <button type="submit" className="btn btn-primary" disabled={busy}>
            {busy ? 'Creating…' : start ? 'Create and start' : 'Create'}
          </button>
          <a className="btn" href="#/workflows">
            Cancel
          </a>
        </div>
      </form>
    </section>
  );
}

function CrewPreview({ crew, name, known }: { crew?: Crew; name: string; known: boolean }) {
  if (!crew)
    return (
      <p className="muted small" data-testid="crew-preview">
        {known ? `No details for ${name}.` : `The built-in ${name} crew (this server does not list crew templates).`}
      </p>
    );
  const agents = crewAgents(crew);
  return (
    <div className="crew-preview" data-testid="crew-preview">
      {crew.description && <p>{crew.description}</p>}
      {!!crew.gates?.length && (
        <p className="small">
          Approval gates:{' '}
          {crew.gates.map((g) => (
            <code key={g} className="pill">
              {g}
            </code>
          ))}
        </p>
      )}
      <div className="crew-cols">
        <div>
          <h3>Stages</h3>
          <ol className="stage-list">
            {crew.stages.map((s, i) => {
              const label = typeof s === 'string' ? s : (s.stage ?? s.name ?? '?');
              const tasks = stageTasks(s);
              return (
                <li key={i}>
                  <strong>{label}</strong>
                  {tasks.length > 0 && <span className="muted small"> — {tasks.join(', ')}</span>}
                </li>
              );
            })}
          </ol>
        </div>
        <div>
          <h3>Agents</h3>
          <ul className="agent-list">
            {agents.map((a) => (
              <li key={a.key}>
                <strong>{a.name ?? a.role}</strong>
                {a.role && a.role !== a.name && <span className="muted"> ({a.role})</span>}
                {a.model && <span className="pill">{a.model}</span>}
                {a.goal && <div className="muted small">{a.goal}</div>}
              </li>
            ))}
          </ul>
        </div>
      </div>
    </div>
  );
}
