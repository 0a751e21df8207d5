import { describe, expect, it } from 'vitest';
import { openLiveSocket, type SocketLike } from './liveSocket';
import type { WfEvent } from './types';

class FakeSocket implements SocketLike {
  onopen: ((ev: unknown) => void) | null = null;
  onmessage: ((ev: { data: unknown }) => void) | null = null;
  onclose: ((ev: { code: number; reason: string }) => void) | null = null;
  onerror: ((ev: unknown) => void) | null = null;
  closed = false;
  constructor(public url: string) {}
  event(id: number, type = 'execution.status') {
    const event = { seq: id, type, workflow_id: 1, execution_id: 1, data: {}, created_at: 1, live: false };
    this.onmessage?.({ data: JSON.stringify({ type: 'event', id, event }) });
  }
  close() {
    this.closed = true;
  }
}

const ticketResponse = (ticket: string) => new Response(JSON.stringify({ ticket, expires_in: 60 }), { status: 201 });

describe('openLiveSocket', () => {
  it('opens each connection with a new ticket and resumes after the last event', async () => {
    const posts: { url: string; init: RequestInit }[] = [];
    const sockets: FakeSocket[] = [];
    const seen: WfEvent[] = [];
    const tickets = ['cst_a', 'cst_b'];
    let done!: () => void;
    const finished = new Promise<void>((r) => (done = r));
    const handle = openLiveSocket({
      workflowId: 7,
      origin: 'http://127.0.0.1:9',
      headers: () => ({ Authorization: 'Bearer k' }),
      fetchImpl: (async (url: string, init: RequestInit) => {
        posts.push({ url, init });
        const t = tickets.shift();
        if (!t) {
          done();
          return new Promise(() => {});
        }
        return ticketResponse(t);
      }) as unknown as typeof fetch,
      openSocket: (url) => {
        const s = new FakeSocket(url);
        sockets.push(s);
        setTimeout(() => {
          s.onopen?.({});
          if (sockets.length === 1) {
            s.event(1);
            s.event(2, 'agent.llm_call');
            s.onclose?.({ code: 1006, reason: '' }); // a drop
          } else {
            s.event(3);
            s.onclose?.({ code: 1000, reason: '' });
          }
        }, 0);
        return s;
      },
      sleep: async () => {},
      onEvent: (e) => seen.push(e),
    });
    await finished;
    handle.close();
    expect(posts[0].url).toBe('/workflows/7/stream-tickets');
    expect(posts[0].init.method).toBe('POST');
    expect((posts[0].init.headers as Record<string, string>).Authorization).toBe('Bearer k');
    expect(sockets[0].url).toBe('ws://127.0.0.1:9/ws/workflows/7?ticket=cst_a');
    expect(sockets[1].url).toBe('ws://127.0.0.1:9/ws/workflows/7?ticket=cst_b&last_event_id=2');
    expect(seen.map((e) => e.seq)).toEqual([1, 2, 3]);
    expect(handle.lastEventId()).toBe(3);
  });

  it('stops when the ticket is refused: 401 asks for a key, 404 closes', async () => {
    for (const [status, want] of [
      [401, 'unauthorized'],
      [404, 'closed'],
    ] as const) {
      let unauthorized = 0;
      let opened = 0;
      const states: string[] = [];
      await new Promise<void>((resolve) => {
        openLiveSocket({
          workflowId: 1,
          headers: () => ({}),
          fetchImpl: (async () => new Response('{}', { status })) as unknown as typeof fetch,
          openSocket: (url) => {
            opened++;
            return new FakeSocket(url);
          },
          onEvent: () => {},
          onUnauthorized: () => unauthorized++,
          onState: (s) => {
            states.push(s);
            if (s === want) setTimeout(resolve, 0);
          },
        });
      });
      expect(opened).toBe(0);
      expect(unauthorized).toBe(status === 401 ? 1 : 0);
    }
  });
});
