import { useMemo, useState } from 'react';
import { fetchAll } from '../api';
import { Empty, ErrorBox, Loading, WorkflowTabs, ExecutionSelect } from '../components/ui';
import { languageOf, parseUnifiedDiff, type SideCell } from '../diff';
import { highlightLine } from '../highlight';
import { useAsync, useDocumentTitle } from '../hooks';
import { setQuery, type Location } from '../router';
import type { Diff, Execution } from '../types';
import 'highlight.js/styles/github.css';

export default function DiffsPage({ id, loc }: { id: number; loc: Location }) {
  useDocumentTitle(`Diffs · workflow #${id}`);
  const execs = useAsync((signal) => fetchAll<Execution>(`/workflows/${id}/executions`, 'executions', {}, 500, signal), [id]);
  const execParam = loc.query.get('execution') ?? '';
  const execId = execParam || (execs.data?.items[0] ? String(execs.data.items[0].id) : '');
  const diffs = useAsync(
    async (signal) => (execs.data ? fetchAll<Diff>(`/workflows/${id}/diffs`, 'diffs', { execution_id: execId || undefined }, 2000, signal) : null),
    [id, execId, !!execs.data],
  );
  const file = loc.query.get('file');
  // side by side needs room: phones start with the unified view
  const [unified, setUnified] = useState(() => typeof window !== 'undefined' && window.matchMedia?.('(max-width: 640px)').matches);
  const items = diffs.data?.items ?? [];
  const current = items.find((d) => String(d.id) === file) ?? items[0];
  const parsed = useMemo(() => (current ? parseUnifiedDiff(current.diff) : null), [current]);
  const lang = current ? languageOf(current.path) : null;

  return (
    <section data-testid="diffs-page">
      <div className="page-head">
        <h1>Diffs</h1>
        <div className="toolbar">
          <label htmlFor="diff-exec">Execution</label>
          <ExecutionSelect id="diff-exec" executions={execs.data?.items ?? []} value={execId} onChange={(v) => setQuery(loc, { execution: v, file: undefined })} />
          <label className="check">
            <input type="checkbox" checked={unified} onChange={(e) => setUnified(e.target.checked)} /> Unified
          </label>
        </div>
      </div>
      <WorkflowTabs id={id} active="diffs" />
      {(execs.error || diffs.error) && <ErrorBox error={(execs.error ?? diffs.error)!} retry={() => { execs.reload(); diffs.reload(); }} />}
      {(!execs.data || !diffs.data) && !execs.error && !diffs.error && <Loading what="Loading diffs" />}
      {execs.data && execs.data.items.length === 0 && <Empty>No execution has run yet, so there is nothing to diff.</Empty>}
      {diffs.data && items.length === 0 && execs.data?.items.length ? <Empty>This execution changed no file (yet).</Empty> : null}
      {current && parsed && (
        <div className="diff-layout">
          <nav className="file-list" aria-label="Changed files">
            <ul>
              {items.map((d) => {
                const p = parseUnifiedDiff(d.diff);
                return (
                  <li key={d.id}>
                    <a href={`#${loc.path}?execution=${execId}&file=${d.id}`} aria-current={d.id === current.id ? 'true' : undefined} className={d.id === current.id ? 'active' : ''} data-testid="diff-file">
                      <span className="path">{d.path}</span>
                      <span className="counts">
                        <span className="add">+{p.added}</span> <span className="del">−{p.removed}</span>
                      </span>
                    </a>
                  </li>
                );
              })}
            </ul>
          </nav>
          <div className="diff-view" data-testid="diff-view">
            <h2 className="diff-title">
              <code>{current.path}</code>
              <span className="muted small">
                {' '}
                {parsed.oldPath === null ? 'new file · ' : parsed.newPath === null ? 'deleted · ' : ''}
                <span className="add">+{parsed.added}</span> <span className="del">−{parsed.removed}</span>
                {lang ? ` · ${lang}` : ''}
              </span>
            </h2>
            {parsed.binary ? (
              <Empty>A binary file.</Empty>
            ) : (
              <div className="table-wrap">
                <table className={`diff ${unified ? 'diff-unified' : 'diff-split'} hljs`} data-testid="diff-table">
                  {unified ? (
                    <colgroup>
                      <col className="col-ln" />
                      <col className="col-ln" />
                      <col />
                    </colgroup>
                  ) : (
                    <colgroup>
                      <col className="col-ln" />
                      <col />
                      <col className="col-ln" />
                      <col />
                    </colgroup>
                  )}
                  <tbody>
                    {parsed.rows.map((r, i) =>
                      r.kind === 'hunk' ? (
                        <tr key={i} className="diff-hunk">
                          <td colSpan={unified ? 3 : 4}>{r.header}</td>
                        </tr>
                      ) : unified ? (
                        <UnifiedRows key={i} left={r.left!} right={r.right!} lang={lang} />
                      ) : (
                        <tr key={i}>
                          <Cell c={r.left!} lang={lang} />
                          <Cell c={r.right!} lang={lang} />
                        </tr>
                      ),
                    )}
                  </tbody>
                </table>
              </div>
            )}
          </div>
        </div>
      )}
    </section>
  );
}

function Cell({ c, lang }: { c: SideCell; lang: string | null }) {
  return (
    <>
      <td className={`ln ln-${c.kind}`}>{c.n ?? ''}</td>
      <td className={`code code-${c.kind}`}>
        {c.kind !== 'empty' && <span className="sign">{c.kind === 'add' ? '+' : c.kind === 'del' ? '−' : ' '}</span>}
        <span dangerouslySetInnerHTML={{ __html: highlightLine(c.text, lang) }} />
      </td>
    </>
  );
}

function UnifiedRows({ left, right, lang }: { left: SideCell; right: SideCell; lang: string | null }) {
  if (left.kind === 'ctx')
    return (
      <tr>
        <td className="ln">{left.n}</td>
        <td className="ln">{right.n}</td>
        <td className="code code-ctx"><span className="sign"> </span><span dangerouslySetInnerHTML={{ __html: highlightLine(left.text, lang) }} /></td>
      </tr>
    );
  return (
    <>
      {left.kind === 'del' && (
        <tr>
          <td className="ln ln-del">{left.n}</td>
          <td className="ln ln-del" />
          <td className="code code-del"><span className="sign">−</span><span dangerouslySetInnerHTML={{ __html: highlightLine(left.text, lang) }} /></td>
        </tr>
      )}
      {right.kind === 'add' && (
        <tr>
          <td className="ln ln-add" />
          <td className="ln ln-add">{right.n}</td>
          <td className="code code-add"><span className="sign">+</span><span dangerouslySetInnerHTML={{ __html: highlightLine(right.text, lang) }} /></td>
        </tr>
      )}
    </>
  );
}
