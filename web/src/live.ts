// The live events of one workflow, for one execution: with an API key, the
// workflow's WebSocket (authenticated by a stream ticket, see liveSocket.ts);
// without one (serve --dev), both SSE streams (status and conversation). Either
// reads from the start of the workflow's log, so a
// page reload rebuilds everything that was stored; a dropped connection
// resumes from its last id. Streamed tokens and model-call starts are
// live-only: they show what is happening now and are replaced by the stored
// events that follow them.
import { useEffect, useRef, useState } from 'react';
import { authHeaders, getKey, notifyUnauthorized } from './api';
import { openLiveSocket } from './liveSocket';
import { openStream, type StreamState } from './sse';
import type { WfEvent } from './types';

export interface Inflight {
  agent: string;
  step: string;
  started: number;
  estimated_tokens?: number;
  iteration?: number;
}

export interface LiveState {
  status: WfEvent[];
  conv: WfEvent[];
  tokens: Record<string, string>; // step → text streamed since its last stored model call
  inflight: Record<string, Inflight>; // step → model call in progress
  statusState: StreamState;
  convState: StreamState;
  statusChunks: number;
  convChunks: number;
  /** Each stream has delivered its stored backlog (the history) once. */
  statusCaughtUp: boolean;
  convCaughtUp: boolean;
  version: number; // bumps with every stored event delivered
}

const initial: LiveState = {
  status: [],
  conv: [],
  tokens: {},
  inflight: {},
  statusState: 'connecting',
  convState: 'connecting',
  statusChunks: 0,
  convChunks: 0,
  statusCaughtUp: false,
  convCaughtUp: false,
  version: 0,
};

// The server writes a stream's backlog at once, then goes live: a stream is
// taken as caught up once a chunk with events is followed by this much quiet,
// or when it stays empty this long after opening.
const QUIET_MS = 30;
const EMPTY_MS = 300;

/** Applies a batch of events to the state (pure; exported for tests). */
export function applyEvents(s: LiveState, batch: WfEvent[], executionId: number): LiveState {
  let status = s.status;
  let conv = s.conv;
  let tokens = s.tokens;
  let inflight = s.inflight;
  let version = s.version;
  const lastStatus = status.length ? (status[status.length - 1].seq ?? 0) : 0;
  const lastConv = conv.length ? (conv[conv.length - 1].seq ?? 0) : 0;
  for (const e of batch) {
    if (e.execution_id !== null && e.execution_id !== executionId) continue;
    const step = String(e.data?.step ?? '');
    if (e.live || e.seq === null) {
      if (e.type === 'token') {
        if (tokens === s.tokens) tokens = { ...tokens };
        tokens[step] = (tokens[step] ?? '') + String(e.data.text ?? '');
      } else if (e.type === 'llm_call.start') {
        if (inflight === s.inflight) inflight = { ...inflight };
        inflight[step] = {
          agent: String(e.data.agent ?? ''),
          step,
          started: e.created_at || Date.now(),
          estimated_tokens: typeof e.data.estimated_tokens === 'number' ? e.data.estimated_tokens : undefined,
          iteration: typeof e.data.iteration === 'number' ? e.data.iteration : undefined,
        };
        if (tokens === s.tokens) tokens = { ...tokens };
        tokens[step] = '';
      }
      continue;
    }
    const isConv = isConversationType(e.type);
    if (isConv) {
      if (e.seq <= (conv.length ? (conv[conv.length - 1].seq ?? 0) : lastConv)) continue; // a duplicate after a resume
      if (conv === s.conv) conv = [...conv];
      conv.push(e);
      if (e.type === 'agent.llm_call' || e.type === 'agent.finished') {
        if (inflight[step]) {
          if (inflight === s.inflight) inflight = { ...inflight };
          delete inflight[step];
        }
        if (e.type === 'agent.finished' && tokens[step] !== undefined) {
          if (tokens === s.tokens) tokens = { ...tokens };
          delete tokens[step];
        }
      }
    } else {
      if (e.seq <= (status.length ? (status[status.length - 1].seq ?? 0) : lastStatus)) continue;
      if (status === s.status) status = [...status];
      status.push(e);
      if (e.type === 'execution.status' && ['completed', 'failed', 'cancelled'].includes(String(e.data.status))) {
        inflight = {};
        tokens = {};
      }
    }
    version++;
  }
  if (status === s.status && conv === s.conv && tokens === s.tokens && inflight === s.inflight) return s;
  return { ...s, status, conv, tokens, inflight, version };
}

export function isConversationType(type: string): boolean {
  return ['conversation.', 'message.', 'llm_call.', 'llm.', 'tool_call.', 'token', 'agent.', 'log.'].some((p) => type.startsWith(p));
}

export function useLiveEvents(workflowId: number, executionId: number): LiveState {
  const [state, setState] = useState<LiveState>(initial);
  const queue = useRef<WfEvent[]>([]);
  const timer = useRef<ReturnType<typeof setTimeout> | null>(null);
  const chunks = useRef({ status: 0, conv: 0 });

  useEffect(() => {
    setState(initial);
    queue.current = [];
    chunks.current = { status: 0, conv: 0 };
    const flush = () => {
      timer.current = null;
      const batch = queue.current;
      queue.current = [];
      const c = chunks.current;
      setState((s) => {
        const next = applyEvents(s, batch, executionId);
        if (next.statusChunks === c.status && next.convChunks === c.conv) return next;
        return { ...next, statusChunks: c.status, convChunks: c.conv };
      });
    };
    const flushNow = () => {
      if (timer.current) clearTimeout(timer.current);
      flush();
    };
    const schedule = () => {
      if (!timer.current) timer.current = setTimeout(flush, 40);
    };
    const timers: ReturnType<typeof setTimeout>[] = [];
    // One stream's bookkeeping: its events, when its history has arrived, its state.
    const track = (which: 'status' | 'conv') => {
      let events = 0;
      let caughtUp = false;
      let quiet: ReturnType<typeof setTimeout> | null = null;
      const markCaughtUp = () => {
        if (caughtUp) return;
        caughtUp = true;
        performance.mark(`codecrew:${which}-caught-up`);
        flushNow();
        setState((s) => (which === 'status' ? { ...s, statusCaughtUp: true } : { ...s, convCaughtUp: true }));
      };
      return {
        onEvent: (e: WfEvent) => {
          events++;
          queue.current.push(e);
        },
        onChunk: () => {
          chunks.current[which]++;
          schedule();
          if (caughtUp || events === 0) return;
          if (quiet) clearTimeout(quiet);
          quiet = setTimeout(markCaughtUp, QUIET_MS);
          timers.push(quiet);
        },
        onState: (st: StreamState) => {
          setState((s) => (which === 'status' ? { ...s, statusState: st } : { ...s, convState: st }));
          if (st === 'open') timers.push(setTimeout(() => events === 0 && markCaughtUp(), EMPTY_MS));
          if (st === 'open' || st === 'reconnecting') schedule();
          // A stream that cannot be had (refused, dropped) holds nothing back: the page shows what it has.
          if (st === 'unauthorized' || st === 'closed' || st === 'reconnecting') markCaughtUp();
        },
      };
    };
    const status = track('status');
    const conv = track('conv');
    const handles: { close(): void }[] = [];
    if (getKey()) {
      // With a key: the browser's own WebSocket, authenticated by a stream ticket.
      handles.push(
        openLiveSocket({
          workflowId,
          headers: authHeaders,
          onEvent: (e) => {
            const t = isConversationType(e.type) ? conv : status;
            t.onEvent(e);
            t.onChunk();
          },
          onState: (st) => {
            status.onState(st);
            conv.onState(st);
          },
          onUnauthorized: notifyUnauthorized,
        }),
      );
    } else {
      // No key (serve --dev): the two SSE streams, read with fetch.
      const open = (path: string, t: ReturnType<typeof track>) =>
        openStream({
          url: path,
          headers: authHeaders,
          onMessage: (m) => {
            try {
              t.onEvent(JSON.parse(m.data) as WfEvent);
            } catch {
              /* not an event */
            }
          },
          onChunk: t.onChunk,
          onState: t.onState,
          onUnauthorized: notifyUnauthorized,
        });
      handles.push(open(`/events/workflows/${workflowId}`, status), open(`/events/workflows/${workflowId}/stream`, conv));
    }
    return () => {
      handles.forEach((h) => h.close());
      timers.forEach(clearTimeout);
      if (timer.current) clearTimeout(timer.current);
      timer.current = null;
    };
  }, [workflowId, executionId]);

  return state;
}

export interface WorkflowEvents {
  /** The accepted stored events, in order (history first, then live ones). */
  events: WfEvent[];
  state: StreamState;
}

/**
 * The workflow's stored status events that `accept` keeps (e.g. the
 * delivery.* ones), from the start of its log and then live: with an API key
 * over the WebSocket, without one over the status SSE stream. Live-only
 * events (tokens) are dropped; a resume never repeats an event.
 */
export function useWorkflowEvents(workflowId: number, accept: (type: string) => boolean): WorkflowEvents {
  const [state, setState] = useState<WorkflowEvents>({ events: [], state: 'connecting' });
  const acceptRef = useRef(accept);
  acceptRef.current = accept;
  useEffect(() => {
    setState({ events: [], state: 'connecting' });
    let pending: WfEvent[] = [];
    let lastSeq = 0;
    let timer: ReturnType<typeof setTimeout> | null = null;
    const flush = () => {
      timer = null;
      const batch = pending;
      pending = [];
      if (batch.length) setState((s) => ({ ...s, events: [...s.events, ...batch] }));
    };
    const onEvent = (e: WfEvent) => {
      if (e.live || e.seq === null || e.seq <= lastSeq || isConversationType(e.type)) return;
      lastSeq = e.seq;
      if (!acceptRef.current(e.type)) return;
      pending.push(e);
      if (!timer) timer = setTimeout(flush, 40);
    };
    const onState = (st: StreamState) => setState((s) => (s.state === st ? s : { ...s, state: st }));
    const handle = getKey()
      ? openLiveSocket({ workflowId, headers: authHeaders, onEvent, onState, onUnauthorized: notifyUnauthorized })
      : openStream({
          url: `/events/workflows/${workflowId}`,
          headers: authHeaders,
          onMessage: (m) => {
            try {
              onEvent(JSON.parse(m.data) as WfEvent);
            } catch {
              /* not an event */
            }
          },
          onState,
          onUnauthorized: notifyUnauthorized,
        });
    return () => {
      handle.close();
      if (timer) clearTimeout(timer);
    };
  }, [workflowId]);
  return state;
}
