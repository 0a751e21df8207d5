// A hash router: API paths like /workflows are JSON routes on the same
// port, so the app's own routes live after the '#'.
import { useEffect, useState } from 'react';

export interface Location {
  path: string;
  query: URLSearchParams;
}

export function parseHash(hash: string): Location {
  let h = hash.startsWith('#') ? hash.slice(1) : hash;
  if (!h.startsWith('/')) h = '/' + h;
  const q = h.indexOf('?');
  const path = (q < 0 ? h : h.slice(0, q)).replace(/\/+$/, '') || '/';
  return { path, query: new URLSearchParams(q < 0 ? '' : h.slice(q + 1)) };
}

export function useLocation(): Location {
  const [loc, setLoc] = useState(() => parseHash(window.location.hash));
  useEffect(() => {
    const on = () => setLoc(parseHash(window.location.hash));
    window.addEventListener('hashchange', on);
    return () => window.removeEventListener('hashchange', on);
  }, []);
  return loc;
}

export function navigate(to: string, replace = false) {
  const hash = '#' + to;
  if (replace) window.history.replaceState(null, '', hash);
  else window.location.hash = to;
  if (replace) window.dispatchEvent(new HashChangeEvent('hashchange'));
}

/** Sets query parameters on the current route (replacing history). */
export function setQuery(loc: Location, params: Record<string, string | number | undefined | null>) {
  const q = new URLSearchParams(loc.query);
  for (const [k, v] of Object.entries(params)) {
    if (v === undefined || v === null || v === '') q.delete(k);
    else q.set(k, String(v));
  }
  const s = q.toString();
  navigate(loc.path + (s ? '?' + s : ''), true);
}

export type Route =
  | { page: 'workflows' }
  | { page: 'new' }
  | { page: 'approvals' }
  | { page: 'workflow'; id: number }
  | { page: 'monitor'; id: number; eid: number }
  | { page: 'diffs'; id: number }
  | { page: 'artifacts'; id: number }
  | { page: 'llm-calls'; id: number }
  | { page: 'compare'; id: number }
  | { page: 'usage'; id: number }
  | { page: 'not-found'; path: string };

export function matchRoute(path: string): Route {
  if (path === '/' || path === '/workflows') return { page: 'workflows' };
  if (path === '/new') return { page: 'new' };
  if (path === '/approvals') return { page: 'approvals' };
  let m = /^\/workflows\/(\d+)$/.exec(path);
  if (m) return { page: 'workflow', id: Number(m[1]) };
  m = /^\/workflows\/(\d+)\/executions\/(\d+)$/.exec(path);
  if (m) return { page: 'monitor', id: Number(m[1]), eid: Number(m[2]) };
  m = /^\/workflows\/(\d+)\/(diffs|artifacts|llm-calls|compare|usage)$/.exec(path);
  if (m) return { page: m[2] as 'diffs', id: Number(m[1]) };
  return { page: 'not-found', path };
}
