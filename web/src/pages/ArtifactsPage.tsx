import { useMemo } from 'react';
import { fetchAll } from '../api';
import { Empty, ErrorBox, Loading, WorkflowTabs, ExecutionSelect } from '../components/ui';
import { fmtTime } from '../format';
import { highlightBlock } from '../highlight';
import { useAsync, useDocumentTitle } from '../hooks';
import { renderMarkdown } from '../markdown';
import { setQuery, type Location } from '../router';
import type { Artifact, Execution } from '../types';
import 'highlight.js/styles/github.css';

function kindOf(a: Artifact): 'markdown' | 'json' | 'yaml' | 'text' {
  const uri = a.uri.toLowerCase();
  if (uri.endsWith('.md') || uri.endsWith('.markdown')) return 'markdown';
  if (uri.endsWith('.json')) return 'json';
  if (uri.endsWith('.yaml') || uri.endsWith('.yml')) return 'yaml';
  const t = a.content.trimStart();
  if (t.startsWith('{') || t.startsWith('[')) return 'json';
  return 'markdown';
}

// The file an artifact's uri names, without the content hash the artifact
// store puts before it (".../<sha256>-plan.json" reads "plan.json").
function artifactFileName(uri: string): string {
  const last = uri.split(':').pop()?.split('/').pop() ?? uri;
  return last.replace(/^[0-9a-f]{64}-/, '');
}

export default function ArtifactsPage({ id, loc }: { id: number; loc: Location }) {
  useDocumentTitle(`Artifacts · workflow #${id}`);
  const execs = useAsync((signal) => fetchAll<Execution>(`/workflows/${id}/executions`, 'executions', {}, 500, signal), [id]);
  const execId = loc.query.get('execution') || (execs.data?.items[0] ? String(execs.data.items[0].id) : '');
  const arts = useAsync(
    async (signal) => (execs.data ? fetchAll<Artifact>(`/workflows/${id}/artifacts`, 'artifacts', { execution_id: execId || undefined }, 1000, signal) : null),
    [id, execId, !!execs.data],
  );
  const items = arts.data?.items ?? [];
  const sel = loc.query.get('artifact');
  const current = items.find((a) => String(a.id) === sel) ?? items[0];
  const html = useMemo(() => {
    if (!current) return '';
    const k = kindOf(current);
    if (k === 'markdown') return renderMarkdown(current.content);
    let text = current.content;
    if (k === 'json') {
      try {
        text = JSON.stringify(JSON.parse(text), null, 2);
      } catch {
        /* as is */
      }
    }
    return `<pre><code class="hljs">${highlightBlock(text, k === 'text' ? null : k)}</code></pre>`;
  }, [current]);

  return (
    <section data-testid="artifacts-page">
      <div className="page-head">
        <h1>Artifacts</h1>
        <div className="toolbar">
          <label htmlFor="art-exec">Execution</label>
          <ExecutionSelect id="art-exec" executions={execs.data?.items ?? []} value={execId} onChange={(v) => setQuery(loc, { execution: v, artifact: undefined })} />
        </div>
      </div>
      <WorkflowTabs id={id} active="artifacts" />
      {(execs.error || arts.error) && <ErrorBox error={(execs.error ?? arts.error)!} retry={() => { execs.reload(); arts.reload(); }} />}
      {(!execs.data || !arts.data) && !execs.error && !arts.error && <Loading what="Loading artifacts" />}
      {arts.data && items.length === 0 && <Empty>No artifacts yet: the crew writes requirements, a plan, a design, reports and a runbook as it goes.</Empty>}
      {current && (
        <div className="diff-layout">
          <nav className="file-list" aria-label="Artifacts">
            <ul>
              {items.map((a) => (
                <li key={a.id}>
                  <a href={`#${loc.path}?execution=${execId}&artifact=${a.id}`} className={a.id === current.id ? 'active' : ''} aria-current={a.id === current.id ? 'true' : undefined} data-testid="artifact-link">
                    <span className="path">{a.kind}</span>
                    <span className="muted small">{artifactFileName(a.uri)}</span>
                  </a>
                </li>
              ))}
            </ul>
          </nav>
          <article className="card artifact" data-testid="artifact-view">
            <div className="muted small">
              {current.kind} · <code className="artifact-uri">{current.uri}</code> · {fmtTime(current.created_at)}
            </div>
            <div className="markdown" dangerouslySetInnerHTML={{ __html: html }} />
          </article>
        </div>
      )}
    </section>
  );
}
