import { describe, expect, it } from 'vitest';
import { SseParser, backoffDelay, openStream, type SseMessage } from './sse';

describe('SseParser', () => {
  it('parses frames with id, event and data', () => {
    const p = new SseParser();
    const out = p.feed('retry: 2000\n\nid: 1\nevent: execution.status\ndata: {"seq":1}\n\n');
    expect(out).toEqual([{ id: '1', event: 'execution.status', data: '{"seq":1}' }]);
    expect(p.retry).toBe(2000);
  });

  it('handles any chunking, CRLF and CR line ends', () => {
    const text = 'id: 7\r\nevent: a\r\ndata: x\r\ndata: y\r\n\r\nid: 8\rdata: z\r\r';
    for (let cut = 0; cut <= text.length; cut++) {
      const p = new SseParser();
      const out = [...p.feed(text.slice(0, cut)), ...p.feed(text.slice(cut))];
      expect(out).toEqual([
        { id: '7', event: 'a', data: 'x\ny' },
        { id: '8', event: 'message', data: 'z' },
      ]);
    }
  });

  it('ignores comments (heartbeats), unknown fields and frames without data', () => {
    const p = new SseParser();
    expect(p.feed(': heartbeat\n\nfoo: bar\n\nid: 3\n\n')).toEqual([]);
    expect(p.lastEventId).toBe('3');
    expect(p.feed('data:no space\n\n')).toEqual([{ id: '3', event: 'message', data: 'no space' }]);
  });

  it('keeps the last id for events without one (live tokens) and strips a BOM', () => {
    const p = new SseParser();
    const out = p.feed('\ufeffid: 5\ndata: a\n\nevent: token\ndata: b\n\n');
    expect(out.map((e) => e.id)).toEqual(['5', '5']);
    expect(out[1].event).toBe('token');
  });

  it('holds an incomplete frame until it ends', () => {
    const p = new SseParser();
    expect(p.feed('id: 1\ndata: {"a"')).toEqual([]);
    expect(p.feed(':1}\n')).toEqual([]);
    expect(p.feed('\n')).toEqual([{ id: '1', event: 'message', data: '{"a":1}' }]);
  });
});

describe('backoffDelay', () => {
  it('doubles from the server retry and caps', () => {
    expect(backoffDelay(0, 2000)).toBe(2000);
    expect(backoffDelay(1, 2000)).toBe(4000);
    expect(backoffDelay(10, 2000)).toBe(15000);
    expect(backoffDelay(0, 10)).toBe(250);
  });
});

function streamResponse(chunks: string[], fail = false): Response {
  const enc = new TextEncoder();
  let i = 0;
  const body = new ReadableStream<Uint8Array>({
    pull(c) {
      if (i < chunks.length) c.enqueue(enc.encode(chunks[i++]));
      else if (fail) c.error(new Error('connection dropped'));
      else c.close();
    },
  });
  return new Response(body, { status: 200, headers: { 'content-type': 'text/event-stream' } });
}

describe('openStream', () => {
  it('reconnects after a drop with Last-Event-ID and the auth header', async () => {
    const seen: SseMessage[] = [];
    const requests: Record<string, string>[] = [];
    const responses = [
      streamResponse(['retry: 10\n\nid: 1\nevent: a\ndata: one\n\nid: 2\nevent: a\ndata: two\n\n'], true),
      streamResponse(['id: 3\nevent: a\ndata: three\n\n']),
    ];
    let done!: () => void;
    const finished = new Promise<void>((r) => (done = r));
    const handle = openStream({
      url: '/events/workflows/1',
      headers: () => ({ Authorization: 'Bearer k' }),
      fetchImpl: (async (_url: string, init: RequestInit) => {
        requests.push({ ...(init.headers as Record<string, string>) });
        const r = responses.shift();
        if (!r) {
          done();
          return new Promise(() => {});
        }
        return r;
      }) as unknown as typeof fetch,
      sleep: async () => {},
      onMessage: (m) => seen.push(m),
    });
    await finished;
    handle.close();
    expect(seen.map((m) => m.data)).toEqual(['one', 'two', 'three']);
    expect(requests[0]['Last-Event-ID']).toBeUndefined();
    expect(requests[0].Authorization).toBe('Bearer k');
    expect(requests[1]['Last-Event-ID']).toBe('2');
    expect(requests[2]['Last-Event-ID']).toBe('3');
    expect(handle.lastEventId()).toBe('3');
  });

  it('stops and reports a 401', async () => {
    let unauthorized = 0;
    const states: string[] = [];
    await new Promise<void>((resolve) => {
      openStream({
        url: '/x',
        fetchImpl: (async () => new Response('{}', { status: 401 })) as unknown as typeof fetch,
        onMessage: () => {},
        onUnauthorized: () => unauthorized++,
        onState: (s) => {
          states.push(s);
          if (s === 'unauthorized') setTimeout(resolve, 0);
        },
      });
    });
    expect(unauthorized).toBe(1);
    expect(states).toContain('unauthorized');
  });

  it('gives up on a 404 and retries a 503', async () => {
    const statuses = [503, 404];
    let fetched = 0;
    const states: string[] = [];
    await new Promise<void>((resolve) => {
      openStream({
        url: '/x',
        sleep: async () => {},
        fetchImpl: (async () => {
          fetched++;
          return new Response('{}', { status: statuses.shift() ?? 200 });
        }) as unknown as typeof fetch,
        onMessage: () => {},
        onState: (s) => {
          states.push(s);
          if (s === 'closed') setTimeout(resolve, 0);
        },
      });
    });
    expect(fetched).toBe(2);
    expect(states).toEqual(['connecting', 'reconnecting', 'reconnecting', 'closed']);
  });
});
