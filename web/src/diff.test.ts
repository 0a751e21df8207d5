import { describe, expect, it } from 'vitest';
import { languageOf, parseUnifiedDiff } from './diff';
import { parseHash, matchRoute } from './router';
import { parseStep } from './format';

describe('parseUnifiedDiff', () => {
  it('pairs removed and added lines side by side with their numbers', () => {
    const d = parseUnifiedDiff(
      'diff --git a/x.py b/x.py\n--- a/x.py\n+++ b/x.py\n@@ -1,3 +1,3 @@\n a\n-b\n+B\n+C\n c\n\\ No newline at end of file\n',
    );
    expect(d.oldPath).toBe('x.py');
    expect(d.newPath).toBe('x.py');
    expect(d.added).toBe(2);
    expect(d.removed).toBe(1);
    expect(d.rows[0].kind).toBe('hunk');
    expect(d.rows[1].left).toEqual({ n: 1, text: 'a', kind: 'ctx' });
    expect(d.rows[2].left).toEqual({ n: 2, text: 'b', kind: 'del' });
    expect(d.rows[2].right).toEqual({ n: 2, text: 'B', kind: 'add' });
    expect(d.rows[3].left?.kind).toBe('empty');
    expect(d.rows[3].right).toEqual({ n: 3, text: 'C', kind: 'add' });
    expect(d.rows[4].right).toEqual({ n: 4, text: 'c', kind: 'ctx' });
  });

  it('reads new files', () => {
    const d = parseUnifiedDiff('--- /dev/null\n+++ b/new.txt\n@@ -0,0 +1,2 @@\n+x\n+y\n');
    expect(d.oldPath).toBeNull();
    expect(d.newPath).toBe('new.txt');
    expect(d.rows.filter((r) => r.kind === 'line')).toHaveLength(2);
  });
});

describe('helpers', () => {
  it('knows languages by extension', () => {
    expect(languageOf('a/b/wordcount.py')).toBe('python');
    expect(languageOf('README')).toBeNull();
  });
  it('parses hash routes', () => {
    const l = parseHash('#/workflows/3/compare?a=1&b=2');
    expect(l.path).toBe('/workflows/3/compare');
    expect(l.query.get('b')).toBe('2');
    expect(matchRoute(l.path)).toEqual({ page: 'compare', id: 3 });
    expect(matchRoute('/workflows/3/executions/9')).toEqual({ page: 'monitor', id: 3, eid: 9 });
    expect(matchRoute(parseHash('').path)).toEqual({ page: 'workflows' });
    expect(matchRoute('/nope').page).toBe('not-found');
  });
  it('parses steps', () => {
    expect(parseStep('BUILD#1/implement/cli')).toEqual({ stage: 'BUILD', visit: 1, task: 'implement', sub: 'cli' });
  });
});

import { compareOutputs, lineDiff } from './diff';
describe('lineDiff and compareOutputs', () => {
  it('finds changed lines', () => {
    expect(lineDiff('a\nb\nc', 'a\nB\nc')).toEqual([
      { kind: 'same', text: 'a' },
      { kind: 'del', text: 'b' },
      { kind: 'add', text: 'B' },
      { kind: 'same', text: 'c' },
    ]);
  });
  it('pairs outputs', () => {
    const r = compareOutputs([{ k: 'x', v: 1 }, { k: 'y', v: 1 }], [{ k: 'y', v: 2 }, { k: 'z', v: 1 }], (t) => t.k, (t) => String(t.v));
    expect(r.map((e) => [e.key, e.change])).toEqual([['x', 'only_a'], ['y', 'changed'], ['z', 'only_b']]);
  });
});
