// Server-Sent Events without EventSource (which cannot send an
// Authorization header): a parser for the text/event-stream format, and a
// client that reads a stream with fetch(), remembers the last `id:` and
// reconnects with backoff sending Last-Event-ID, so a dropped connection
// loses nothing (the server replays what was missed, with no duplicate).

export interface SseMessage {
  id: string | null; // the last event id in force when this event was dispatched
  event: string; // "message" when the frame names none
  data: string;
}

/** Incremental parser: feed() it decoded text in any chunking; it returns the complete events. */
export class SseParser {
  private buffer = '';
  private data: string[] = [];
  private eventType = '';
  private sawData = false;
  private pendingCR = false;
  private first = true;
  lastEventId: string | null = null;
  retry: number | null = null;

  feed(chunk: string): SseMessage[] {
    if (this.first && chunk.length > 0) {
      if (chunk.charCodeAt(0) === 0xfeff) chunk = chunk.slice(1);
      this.first = false;
    }
    const out: SseMessage[] = [];
    let text = this.buffer + chunk;
    this.buffer = '';
    let start = 0;
    if (this.pendingCR) {
      // the previous chunk ended with \r: a following \n belongs to that line end
      if (text.startsWith('\n')) start = 1;
      this.pendingCR = false;
    }
    for (let i = start; i < text.length; i++) {
      const c = text.charCodeAt(i);
      if (c !== 10 && c !== 13) continue;
      this.line(text.slice(start, i), out);
      if (c === 13) {
        if (i + 1 < text.length) {
          if (text.charCodeAt(i + 1) === 10) i++;
        } else {
          this.pendingCR = true;
        }
      }
      start = i + 1;
    }
    this.buffer = text.slice(start);
    text = '';
    return out;
  }

  private line(line: string, out: SseMessage[]) {
    if (line === '') {
      if (this.sawData) {
        out.push({ id: this.lastEventId, event: this.eventType || 'message', data: this.data.join('\n') });
      }
      this.data = [];
      this.eventType = '';
      this.sawData = false;
      return;
    }
    if (line.startsWith(':')) return; // a comment (heartbeats)
    const colon = line.indexOf(':');
    const field = colon < 0 ? line : line.slice(0, colon);
    let value = colon < 0 ? '' : line.slice(colon + 1);
    if (value.startsWith(' ')) value = value.slice(1);
    switch (field) {
      case 'data':
        this.data.push(value);
        this.sawData = true;
        break;
      case 'event':
        this.eventType = value;
        break;
      case 'id':
        if (!value.includes('\0')) this.lastEventId = value;
        break;
      case 'retry':
        if (/^\d+$/.test(value)) this.retry = Number(value);
        break;
      default:
        break; // unknown fields are ignored
    }
  }
}

/** The delay before reconnect attempt `attempt` (0-based): the server's retry, doubled each time, capped. */
export function backoffDelay(attempt: number, baseMs: number, maxMs = 15000): number {
  const base = Math.max(250, baseMs);
  return Math.min(maxMs, base * Math.pow(2, Math.min(attempt, 10)));
}

export type StreamState = 'connecting' | 'open' | 'reconnecting' | 'closed' | 'unauthorized';

export interface StreamOptions {
  url: string;
  lastEventId?: string | null;
  headers?: () => Record<string, string>;
  onMessage: (m: SseMessage) => void;
  /** Called after each chunk of the stream was parsed and its events delivered. */
  onChunk?: () => void;
  onState?: (s: StreamState, detail?: string) => void;
  onUnauthorized?: () => void;
  fetchImpl?: typeof fetch;
  sleep?: (ms: number, signal: AbortSignal) => Promise<void>;
}

export interface StreamHandle {
  close(): void;
  lastEventId(): string | null;
}

/**
 * Reports a response that ends a stream for good: a 401 (the key is refused) or another 4xx
 * that retrying will not fix (e.g. 404: the workflow was deleted). True if it did.
 */
export function refuse(
  status: number,
  opts: { onState?: (s: StreamState, detail?: string) => void; onUnauthorized?: () => void },
): boolean {
  if (status === 401) {
    opts.onState?.('unauthorized');
    opts.onUnauthorized?.();
    return true;
  }
  if (status >= 400 && status < 500 && status !== 408 && status !== 429) {
    opts.onState?.('closed', `HTTP ${status}`);
    return true;
  }
  return false;
}

/** Waits ms, or less if signal aborts first. */
export function defaultSleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const t = setTimeout(resolve, ms);
    signal.addEventListener('abort', () => {
      clearTimeout(t);
      resolve();
    });
  });
}

/** Reads an SSE stream with fetch and keeps it open, resuming from the last id after any drop. */
export function openStream(opts: StreamOptions): StreamHandle {
  const controller = new AbortController();
  const doFetch = opts.fetchImpl ?? fetch.bind(globalThis);
  const sleep = opts.sleep ?? defaultSleep;
  let last: string | null = opts.lastEventId ?? null;
  let retryMs = 2000;
  let attempt = 0;

  const run = async () => {
    while (!controller.signal.aborted) {
      opts.onState?.(attempt === 0 ? 'connecting' : 'reconnecting');
      const parser = new SseParser();
      parser.lastEventId = last;
      try {
        const headers: Record<string, string> = { Accept: 'text/event-stream', ...(opts.headers?.() ?? {}) };
        if (last !== null && last !== '') headers['Last-Event-ID'] = last;
        const res = await doFetch(opts.url, { headers, signal: controller.signal, cache: 'no-store' });
        if (refuse(res.status, opts)) return;
        if (!res.ok || !res.body) throw new Error(`HTTP ${res.status}`);
        opts.onState?.('open');
        attempt = 0;
        const reader = res.body.getReader();
        const decoder = new TextDecoder();
        for (;;) {
          const { done, value } = await reader.read();
          if (done) break;
          const events = parser.feed(decoder.decode(value, { stream: true }));
          if (parser.retry !== null) retryMs = parser.retry;
          for (const e of events) {
            if (e.id !== null) last = e.id;
            opts.onMessage(e);
          }
          if (parser.lastEventId !== null) last = parser.lastEventId;
          opts.onChunk?.();
        }
      } catch (err) {
        if (controller.signal.aborted) break;
        opts.onState?.('reconnecting', err instanceof Error ? err.message : String(err));
      }
      if (controller.signal.aborted) break;
      await sleep(backoffDelay(attempt, retryMs), controller.signal);
      attempt++;
    }
    opts.onState?.('closed');
  };
  void run();
  return {
    close: () => controller.abort(),
    lastEventId: () => last,
  };
}
