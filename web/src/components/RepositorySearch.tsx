import { useState } from 'react';
import { api, qs } from '../api';
import type { SearchResult } from '../types';
import { ErrorBox } from './ui';

/**
 * The search box over a workflow's repository (GET /workflows/{id}/search):
 * the chunks (functions, classes, doc sections) most related to the words
 * typed, best first, with the ranking the server used: "semantic" with an
 * embedding model, else "bm25".
 */
export function RepositorySearch({ id }: { id: number }) {
  const [query, setQuery] = useState('');
  const [result, setResult] = useState<SearchResult | null>(null);
  const [error, setError] = useState<Error | null>(null);
  const [busy, setBusy] = useState(false);
  const [open, setOpen] = useState<number | null>(null);

  const search = async (e: React.FormEvent) => {
    e.preventDefault();
    if (!query.trim()) return;
    setBusy(true);
    setError(null);
    try {
      setResult(await api<SearchResult>(`/workflows/${id}/search${qs({ q: query.trim(), k: 10 })}`));
      setOpen(null);
    } catch (err) {
      setError(err as Error);
      setResult(null);
    } finally {
      setBusy(false);
    }
  };

  return (
    <div className="repo-search" data-testid="repo-search">
      <form className="btn-row" onSubmit={search} role="search">
        <input
          type="search"
          aria-label="Search the repository"
          placeholder="Search the repository by meaning: “where are passwords hashed?”"
          value={query}
          maxLength={500}
          onChange={(e) => setQuery(e.target.value)}
        />
        <button type="submit" className="btn" disabled={busy || !query.trim()}>
          {busy ? 'Searching…' : 'Search'}
        </button>
      </form>
      {error && <ErrorBox error={error} />}
      {result && (
        <div data-testid="repo-search-results">
          <div className="muted">
            {result.results.length} result{result.results.length === 1 ? '' : 's'} of {result.chunks_indexed} chunks, ranked by{' '}
            <span className="pill" data-testid="repo-search-ranking">{result.ranking}</span> (execution #{result.execution_id})
            {result.note && <> · {result.note}</>}
          </div>
          <ol className="search-hits">
            {result.results.map((h, i) => (
              <li key={`${h.path}:${h.start_line}`}>
                <button type="button" className="link" onClick={() => setOpen(open === i ? null : i)} aria-expanded={open === i}>
                  <code>
                    {h.path}:{h.start_line}-{h.end_line}
                  </code>
                </button>
                {h.symbol && <strong> {h.symbol}</strong>}
                <span className="muted">
                  {' '}
                  {h.kind} · {h.language || 'text'} · score {h.score.toFixed(3)}
                </span>
                {open === i && <pre className="inline-pre search-snippet">{h.text}</pre>}
              </li>
            ))}
          </ol>
        </div>
      )}
    </div>
  );
}
