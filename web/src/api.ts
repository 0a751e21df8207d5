// The API client: every request carries the session's API key (when the
// server wants one); a 401 clears the key and asks for it again.
export const KEY_STORAGE = 'codecrew.apiKey';

export class ApiError extends Error {
  constructor(
    public status: number,
    public code: string,
    message: string,
  ) {
    super(message);
  }
}

type Listener = () => void;
const unauthorizedListeners = new Set<Listener>();

export function getKey(): string | null {
  try {
    return sessionStorage.getItem(KEY_STORAGE);
  } catch {
    return null;
  }
}

export function setKey(key: string | null) {
  try {
    if (key) sessionStorage.setItem(KEY_STORAGE, key);
    else sessionStorage.removeItem(KEY_STORAGE);
  } catch {
    /* storage unavailable: the key lives for this page only */
  }
}

export function onUnauthorized(fn: Listener): () => void {
  unauthorizedListeners.add(fn);
  return () => unauthorizedListeners.delete(fn);
}

export function notifyUnauthorized() {
  setKey(null);
  unauthorizedListeners.forEach((fn) => fn());
}

export function authHeaders(): Record<string, string> {
  const key = getKey();
  return key ? { Authorization: `Bearer ${key}` } : {};
}

export interface RequestOptions {
  method?: string;
  body?: unknown;
  headers?: Record<string, string>;
  signal?: AbortSignal;
}

export async function api<T>(path: string, opts: RequestOptions = {}): Promise<T> {
  const headers: Record<string, string> = { Accept: 'application/json', ...authHeaders(), ...(opts.headers ?? {}) };
  let body: string | undefined;
  if (opts.body !== undefined) {
    headers['Content-Type'] = 'application/json';
    body = JSON.stringify(opts.body);
  }
  let res: Response;
  try {
    res = await fetch(path, { method: opts.method ?? 'GET', headers, body, signal: opts.signal });
  } catch (err) {
    if (err instanceof DOMException && err.name === 'AbortError') throw err;
    throw new ApiError(0, 'network', 'The server cannot be reached. Is codecrew running?');
  }
  if (res.status === 401) {
    notifyUnauthorized();
    throw new ApiError(401, 'unauthorized', 'An API key is needed.');
  }
  if (res.status === 204) return undefined as T;
  const text = await res.text();
  let json: unknown = undefined;
  try {
    json = text ? JSON.parse(text) : undefined;
  } catch {
    /* not JSON */
  }
  if (!res.ok) {
    const err = (json as { error?: { code?: string; message?: string } } | undefined)?.error;
    throw new ApiError(res.status, err?.code ?? 'http_' + res.status, err?.message ?? `HTTP ${res.status}`);
  }
  return json as T;
}

/** A query string from the defined, non-empty values. */
export function qs(params: Record<string, string | number | undefined | null>): string {
  const parts: string[] = [];
  for (const [k, v] of Object.entries(params)) {
    if (v === undefined || v === null || v === '') continue;
    parts.push(`${encodeURIComponent(k)}=${encodeURIComponent(String(v))}`);
  }
  return parts.length ? '?' + parts.join('&') : '';
}

/** Fetches every page of a paged list (page_size 200) up to `limit` items. */
export async function fetchAll<T>(
  path: string,
  key: string,
  params: Record<string, string | number | undefined>,
  limit = 5000,
  signal?: AbortSignal,
): Promise<{ items: T[]; total: number; first: Record<string, unknown> }> {
  const items: T[] = [];
  let page = 1;
  let total = 0;
  let first: Record<string, unknown> = {};
  for (;;) {
    const r = await api<Record<string, unknown>>(path + qs({ ...params, page, page_size: 200 }), { signal });
    if (page === 1) first = r;
    const got = (r[key] as T[]) ?? [];
    items.push(...got);
    total = Number(r.total ?? items.length);
    if (got.length === 0 || items.length >= total || items.length >= limit) break;
    page++;
  }
  return { items, total, first };
}
