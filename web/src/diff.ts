// Unified diff → rows for a side-by-side view.
export interface SideCell {
  n: number | null; // line number on that side
  text: string;
  kind: 'ctx' | 'del' | 'add' | 'empty';
}
export interface SideRow {
  kind: 'hunk' | 'line';
  header?: string;
  left?: SideCell;
  right?: SideCell;
}
export interface ParsedDiff {
  oldPath: string | null;
  newPath: string | null;
  added: number;
  removed: number;
  binary: boolean;
  rows: SideRow[];
}

const EMPTY: SideCell = { n: null, text: '', kind: 'empty' };

export function parseUnifiedDiff(text: string): ParsedDiff {
  const out: ParsedDiff = { oldPath: null, newPath: null, added: 0, removed: 0, binary: false, rows: [] };
  const lines = text.replace(/\r\n/g, '\n').split('\n');
  if (lines.length && lines[lines.length - 1] === '') lines.pop();
  let oldN = 0;
  let newN = 0;
  let inHunk = false;
  let dels: SideCell[] = [];
  let adds: SideCell[] = [];
  const flush = () => {
    const n = Math.max(dels.length, adds.length);
    for (let i = 0; i < n; i++) out.rows.push({ kind: 'line', left: dels[i] ?? EMPTY, right: adds[i] ?? EMPTY });
    dels = [];
    adds = [];
  };
  for (const line of lines) {
    const hunk = /^@@ -(\d+)(?:,\d+)? \+(\d+)(?:,\d+)? @@(.*)$/.exec(line);
    if (hunk) {
      flush();
      oldN = Number(hunk[1]);
      newN = Number(hunk[2]);
      inHunk = true;
      out.rows.push({ kind: 'hunk', header: line });
      continue;
    }
    if (!inHunk || line.startsWith('diff --git')) {
      if (line.startsWith('diff --git')) {
        flush();
        inHunk = false;
      }
      if (line.startsWith('--- ')) out.oldPath = stripPrefix(line.slice(4));
      else if (line.startsWith('+++ ')) out.newPath = stripPrefix(line.slice(4));
      else if (line.startsWith('Binary files')) out.binary = true;
      continue;
    }
    const c = line[0];
    const body = line.slice(1);
    if (c === '-') {
      dels.push({ n: oldN++, text: body, kind: 'del' });
      out.removed++;
    } else if (c === '+') {
      adds.push({ n: newN++, text: body, kind: 'add' });
      out.added++;
    } else if (c === '\\') {
      continue; // "\ No newline at end of file"
    } else {
      flush();
      out.rows.push({ kind: 'line', left: { n: oldN++, text: body, kind: 'ctx' }, right: { n: newN++, text: body, kind: 'ctx' } });
    }
  }
  flush();
  return out;
}

function stripPrefix(p: string): string | null {
  p = p.split('\t')[0];
  if (p === '/dev/null') return null;
  return p.replace(/^[ab]\//, '');
}

/** A highlight.js language name from a file name. */
export function languageOf(path: string): string | null {
  const base = path.split('/').pop() ?? path;
  const ext = base.includes('.') ? base.split('.').pop()!.toLowerCase() : base.toLowerCase();
  const map: Record<string, string> = {
    py: 'python', js: 'javascript', mjs: 'javascript', cjs: 'javascript', jsx: 'javascript', ts: 'typescript', tsx: 'typescript',
    c: 'cpp', h: 'cpp', cc: 'cpp', cpp: 'cpp', hpp: 'cpp', cxx: 'cpp', go: 'go', rs: 'rust', java: 'java', json: 'json',
    yaml: 'yaml', yml: 'yaml', md: 'markdown', sh: 'bash', bash: 'bash', css: 'css', html: 'xml', xml: 'xml', sql: 'sql',
    toml: 'ini', ini: 'ini', dockerfile: 'dockerfile', makefile: 'makefile',
  };
  return map[ext] ?? null;
}

export interface LineOp {
  kind: 'same' | 'add' | 'del';
  text: string;
}

/** A line diff of two texts (LCS; texts over 2,000 lines each are compared as wholes). */
export function lineDiff(a: string, b: string): LineOp[] {
  const x = a.split('\n');
  const y = b.split('\n');
  if (x.length * y.length > 4_000_000) {
    return [...x.map((text) => ({ kind: 'del' as const, text })), ...y.map((text) => ({ kind: 'add' as const, text }))];
  }
  const n = x.length, m = y.length;
  const dp: Uint32Array[] = Array.from({ length: n + 1 }, () => new Uint32Array(m + 1));
  for (let i = n - 1; i >= 0; i--) for (let j = m - 1; j >= 0; j--) dp[i][j] = x[i] === y[j] ? dp[i + 1][j + 1] + 1 : Math.max(dp[i + 1][j], dp[i][j + 1]);
  const out: LineOp[] = [];
  let i = 0, j = 0;
  while (i < n && j < m) {
    if (x[i] === y[j]) {
      out.push({ kind: 'same', text: x[i] });
      i++;
      j++;
    } else if (dp[i + 1][j] >= dp[i][j + 1]) out.push({ kind: 'del', text: x[i++] });
    else out.push({ kind: 'add', text: y[j++] });
  }
  while (i < n) out.push({ kind: 'del', text: x[i++] });
  while (j < m) out.push({ kind: 'add', text: y[j++] });
  return out;
}

export type OutputChange = 'same' | 'changed' | 'only_a' | 'only_b';

/** Pairs two lists of outputs by key and says how each differs. */
export function compareOutputs<T>(a: T[], b: T[], key: (t: T) => string, body: (t: T) => string): { key: string; change: OutputChange; a?: T; b?: T }[] {
  const ma = new Map(a.map((t) => [key(t), t]));
  const mb = new Map(b.map((t) => [key(t), t]));
  const keys = [...new Set([...ma.keys(), ...mb.keys()])].sort();
  return keys.map((k) => {
    const x = ma.get(k), y = mb.get(k);
    const change: OutputChange = !x ? 'only_b' : !y ? 'only_a' : body(x) === body(y) ? 'same' : 'changed';
    return { key: k, change, a: x, b: y };
  });
}
