// The monitor's agent steps and the selected step's conversation, tool calls
// and results.
import { useEffect, useState } from 'react';
import { api } from '../../api';
import { Empty, ErrorBox, Loading } from '../ui';
import { fmtClock, fmtCost, fmtInt, parseStep } from '../../format';
import { type Inflight, type LiveState } from '../../live';
import type { Conversation, Message, WfEvent } from '../../types';


export function Steps({ convs, inflight, conv, selected, onSelect }: { convs: Conversation[]; inflight: Record<string, Inflight>; conv: WfEvent[]; selected: string | null; onSelect: (s: string) => void }) {
  const finished = new Set(conv.filter((e) => e.type === 'agent.finished').map((e) => String(e.data.step)));
  const tools = new Map<string, number>();
  for (const e of conv) if (e.type === 'agent.tool_call') tools.set(String(e.data.step), (tools.get(String(e.data.step)) ?? 0) + 1);
  const steps = [...convs.map((c) => c.step), ...Object.keys(inflight).filter((s) => !convs.some((c) => c.step === s))];
  return (
    <section className="panel" aria-labelledby="steps-h" data-testid="agents">
      <h2 id="steps-h">Agents</h2>
      {steps.length === 0 ? (
        <Empty>No agent has started yet.</Empty>
      ) : (
        <ul className="steps" role="list">
          {steps.map((step) => {
            const c = convs.find((x) => x.step === step);
            const p = parseStep(step);
            const busy = !!inflight[step] || (!finished.has(step) && !c?.output);
            return (
              <li key={step}>
                <button type="button" className={`step ${selected === step ? 'selected' : ''}`} aria-pressed={selected === step} onClick={() => onSelect(step)} data-testid="step">
                  <span className="step-agent">{c?.agent ?? inflight[step]?.agent}</span>
                  <span className="step-name">
                    {p.stage}
                    {p.visit ? `#${p.visit}` : ''} / {[p.task, p.sub].filter(Boolean).join('/')}
                  </span>
                  <span className="step-meta">
                    {busy ? <span className="pill pill-live">working</span> : null}
                    {tools.get(step) ? `${tools.get(step)} tool${tools.get(step) === 1 ? '' : 's'} · ` : ''}
                    {fmtInt(c?.total_tokens_used ?? 0)} tok
                  </span>
                </button>
              </li>
            );
          })}
        </ul>
      )}
    </section>
  );
}

export function ConversationPanel({ convs, step, live }: { convs: Conversation[]; step: string | null; live: LiveState }) {
  const c = convs.find((x) => x.step === step);
  const [msgs, setMsgs] = useState<{ cid: number; messages: Message[] } | null>(null);
  const [err, setErr] = useState<Error | null>(null);
  const version = live.conv.filter((e) => e.data.step === step).length;
  useEffect(() => {
    if (!c) return;
    const ctl = new AbortController();
    api<Conversation>(`/conversations/${c.id}`, { signal: ctl.signal }).then(
      (r) => setMsgs({ cid: c.id, messages: r.messages ?? [] }),
      (e: Error) => e.name !== 'AbortError' && setErr(e),
    );
    return () => ctl.abort();
  }, [c?.id, version]);
  const streaming = step ? live.tokens[step] : undefined;
  return (
    <section className="panel" aria-labelledby="conv-h" data-testid="conversation">
      <h2 id="conv-h">
        Conversation {step && <code className="small">{step}</code>}
      </h2>
      {!step && <Empty>Pick an agent step to read its conversation.</Empty>}
      {err && <ErrorBox error={err} />}
      {c && (
        <details className="prompt">
          <summary>Task prompt</summary>
          <pre className="wrap">{c.prompt}</pre>
        </details>
      )}
      {c && msgs?.cid === c.id && (
        <ol className="messages" tabIndex={0} aria-label="Messages">
          {msgs.messages.map((m) => (
            <MessageView key={m.id} m={m} />
          ))}
        </ol>
      )}
      {c && msgs?.cid !== c.id && !err && <Loading what="Loading messages" />}
      {streaming !== undefined && (
        <div className="msg msg-assistant msg-streaming" aria-live="polite" data-testid="streaming">
          <div className="msg-head">assistant · streaming</div>
          <pre className="wrap">{streaming || '…'}</pre>
        </div>
      )}
    </section>
  );
}

function MessageView({ m }: { m: Message }) {
  const meta = m.message_metadata ?? {};
  return (
    <li className={`msg msg-${m.role}`}>
      <div className="msg-head">
        {m.role}
        {meta.name ? ` · ${meta.name}` : ''}
        {meta.model ? ` · ${meta.model}` : ''}
        {meta.prompt_tokens !== undefined ? ` · ${fmtInt(meta.prompt_tokens)} → ${fmtInt(meta.completion_tokens)} tokens` : ''}
        {meta.cost ? ` · ${fmtCost(meta.cost)}` : ''} · {fmtClock(m.created_at)}
      </div>
      {m.content && (m.role === 'tool' ? <ToolResult content={m.content} /> : <pre className="wrap">{m.content}</pre>)}
      {(meta.tool_calls ?? []).map((tc) => (
        <details key={tc.id} className="tool-call" data-testid="tool-call">
          <summary>
            call <strong>{tc.name}</strong>
          </summary>
          <pre className="wrap">{prettyJson(tc.arguments)}</pre>
        </details>
      ))}
    </li>
  );
}

/** A tool's JSON result, its text fields (stdout, content, ...) shown as text, not as escaped JSON. */
function ToolResult({ content }: { content: string }) {
  let v: unknown;
  try {
    v = JSON.parse(content);
  } catch {
    return <pre className="wrap">{content.slice(0, 20000)}</pre>;
  }
  if (!v || typeof v !== 'object' || Array.isArray(v)) return <pre className="wrap">{prettyJson(content)}</pre>;
  const entries = Object.entries(v as Record<string, unknown>).filter(([, x]) => x !== null && x !== '');
  return (
    <dl className="tool-result">
      {entries.map(([k, x]) => (
        <div key={k} className={k === 'error' || k === 'stderr' ? 'tr-err' : undefined}>
          <dt>{k}</dt>
          <dd>{typeof x === 'string' ? <pre className="wrap">{x.slice(0, 20000)}</pre> : <code>{JSON.stringify(x)}</code>}</dd>
        </div>
      ))}
    </dl>
  );
}

function prettyJson(s: string): string {
  try {
    const v = JSON.parse(s);
    return JSON.stringify(v, null, 2).slice(0, 20000);
  } catch {
    return s.slice(0, 20000);
  }
}
