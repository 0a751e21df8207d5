// A workflow's live events over the browser's own WebSocket, for servers
// with API keys: a WebSocket cannot send an Authorization header, so each
// connection first asks POST /workflows/{id}/stream-tickets (with the key)
// for a single-use ticket and opens /ws/workflows/{id}?ticket=...; after a
// drop it asks for a new ticket and resumes after the last event id it saw
// (?last_event_id=), so nothing is lost or repeated. The ticket request
// tells a dropped connection from a refused key: its 401 (the key was
// revoked; the server then also closes open sockets with code 1008) stops
// for good, as does a 404 (the workflow is gone).
import { backoffDelay, defaultSleep, refuse, type StreamState } from './sse';
import type { StreamTicket, WfEvent } from './types';

/** The part of a WebSocket this client uses (a fake in tests). */
export interface SocketLike {
  onopen: ((ev: unknown) => void) | null;
  onmessage: ((ev: { data: unknown }) => void) | null;
  onclose: ((ev: { code: number; reason: string }) => void) | null;
  onerror: ((ev: unknown) => void) | null;
  close(): void;
}

export interface LiveSocketOptions {
  workflowId: number;
  headers: () => Record<string, string>;
  onEvent: (e: WfEvent) => void;
  onState?: (s: StreamState, detail?: string) => void;
  onUnauthorized?: () => void;
  fetchImpl?: typeof fetch;
  openSocket?: (url: string) => SocketLike;
  sleep?: (ms: number, signal: AbortSignal) => Promise<void>;
  /** Origin for the ws:// URL; defaults to the page's. */
  origin?: string;
}

export interface LiveSocketHandle {
  close(): void;
  lastEventId(): number | null;
}

function wsOrigin(origin?: string): string {
  const base = origin ?? globalThis.location?.origin ?? 'http://127.0.0.1';
  return base.replace(/^http/, 'ws');
}

/** Opens the workflow's WebSocket with a ticket and keeps it open until close(). */
export function openLiveSocket(opts: LiveSocketOptions): LiveSocketHandle {
  const controller = new AbortController();
  const doFetch = opts.fetchImpl ?? fetch.bind(globalThis);
  const openSocket = opts.openSocket ?? ((url: string) => new WebSocket(url) as unknown as SocketLike);
  const sleep = opts.sleep ?? defaultSleep;
  let last: number | null = null;
  let attempt = 0;
  let socket: SocketLike | null = null;

  // One connection: resolves when it closes (or could not be made).
  const connect = (ticket: string) =>
    new Promise<void>((resolve) => {
      let url = `${wsOrigin(opts.origin)}/ws/workflows/${opts.workflowId}?ticket=${encodeURIComponent(ticket)}`;
      if (last !== null) url += `&last_event_id=${last}`;
      const ws = openSocket(url);
      socket = ws;
      ws.onopen = () => {
        attempt = 0;
        opts.onState?.('open');
      };
      ws.onmessage = (m) => {
        try {
          const msg = JSON.parse(String(m.data)) as { type?: string; id?: number; event?: WfEvent };
          if (msg.type !== 'event' || !msg.event) return;
          if (typeof msg.id === 'number' && msg.event.seq !== null) last = msg.id;
          opts.onEvent(msg.event);
        } catch {
          /* not an event */
        }
      };
      ws.onerror = () => {};
      ws.onclose = () => {
        socket = null;
        resolve();
      };
    });

  const run = async () => {
    while (!controller.signal.aborted) {
      opts.onState?.(attempt === 0 ? 'connecting' : 'reconnecting');
      try {
        const res = await doFetch(`/workflows/${opts.workflowId}/stream-tickets`, {
          method: 'POST',
          headers: { Accept: 'application/json', ...opts.headers() },
          signal: controller.signal,
          cache: 'no-store',
        });
        if (refuse(res.status, opts)) return;
        if (!res.ok) throw new Error(`HTTP ${res.status}`);
        const { ticket } = (await res.json()) as StreamTicket;
        if (controller.signal.aborted) break;
        await connect(ticket);
      } catch (err) {
        if (controller.signal.aborted) break;
        opts.onState?.('reconnecting', err instanceof Error ? err.message : String(err));
      }
      if (controller.signal.aborted) break;
      await sleep(backoffDelay(attempt, 1000), controller.signal);
      attempt++;
    }
    opts.onState?.('closed');
  };
  void run();
  return {
    close: () => {
      controller.abort();
      socket?.close();
    },
    lastEventId: () => last,
  };
}
