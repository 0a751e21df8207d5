// The monitor's panels: stage timeline, plan DAG, LLM calls, sandbox terminal
// and activity.
import { useEffect, useMemo, useRef, useState } from 'react';
import { api } from '../../api';
import { Empty, Loading } from '../ui';
import { fmtClock, fmtCost, fmtInt, fmtMs, fmtTime } from '../../format';
import { type Inflight } from '../../live';
import {
  dagLayers, describeEvent, terminalEntries,
  type CallRow, type StageView, type TaskState, type TerminalEntry,
} from '../../monitorModel';
import type { Conversation, PlanTask, WfEvent } from '../../types';

function truncate(s: string, n: number) {
  return s.length > n ? s.slice(0, n - 1) + '…' : s;
}

export function StageTimeline({ stages }: { stages: StageView[] }) {
  return (
    <ol className="timeline" aria-label="Stages" data-testid="stage-timeline">
      {stages.map((s) => (
        <li key={s.name} className={`stage stage-${s.state}`} data-testid={`stage-${s.name}`} data-state={s.state}>
          <span className="stage-name">{s.name}</span>
          <span className="stage-meta">
            {s.state === 'waiting' ? 'waiting for approval' : s.state}
            {s.visits > 1 && ` · ${s.visits} visits`}
          </span>
          <span className="stage-time">
            {s.started ? fmtClock(s.started) : ''}
            {s.started && s.ended ? ` · ${fmtMs(s.ended - s.started)}` : ''}
          </span>
        </li>
      ))}
    </ol>
  );
}

export function PlanDag({ tasks, states, summary }: { tasks: PlanTask[]; states: Record<string, TaskState>; summary?: string }) {
  const layers = useMemo(() => dagLayers(tasks), [tasks]);
  if (!tasks.length)
    return (
      <section className="panel" aria-labelledby="plan-h">
        <h2 id="plan-h">Plan</h2>
        <Empty>No plan yet: the planner writes it in PLANNING.</Empty>
      </section>
    );
  const W = 170, H = 46, GX = 50, GY = 16, P = 8;
  const pos = new Map<string, { x: number; y: number }>();
  layers.forEach((layer, i) => layer.forEach((tid, j) => pos.set(tid, { x: P + i * (W + GX), y: P + j * (H + GY) })));
  const width = P * 2 + layers.length * (W + GX) - GX;
  const height = P * 2 + Math.max(...layers.map((l) => l.length)) * (H + GY) - GY;
  const counts = Object.values(states).reduce<Record<string, number>>((m, s) => ((m[s] = (m[s] ?? 0) + 1), m), {});
  return (
    <section className="panel" aria-labelledby="plan-h" data-testid="plan-dag">
      <h2 id="plan-h">
        Plan <span className="muted small">{tasks.length} tasks · {counts.done ?? 0} done{counts.running ? ` · ${counts.running} running` : ''}</span>
      </h2>
      {summary && <p className="muted small">{summary}</p>}
      <div className="dag-wrap">
        <svg width={width} height={height} viewBox={`0 0 ${width} ${height}`} role="img" aria-label={`Plan: ${tasks.map((t) => `${t.id} ${states[t.id]}`).join(', ')}`}>
          <defs>
            <marker id="arrow" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="6" markerHeight="6" orient="auto-start-reverse">
              <path d="M 0 0 L 10 5 L 0 10 z" fill="#8a94a6" />
            </marker>
          </defs>
          {tasks.flatMap((t) =>
            t.depends_on.filter((d) => pos.has(d)).map((d) => {
              const a = pos.get(d)!, b = pos.get(t.id)!;
              const x1 = a.x + W, y1 = a.y + H / 2, x2 = b.x, y2 = b.y + H / 2;
              return <path key={`${d}-${t.id}`} d={`M${x1},${y1} C${x1 + GX / 2},${y1} ${x2 - GX / 2},${y2} ${x2 - 2},${y2}`} className="dag-edge" markerEnd="url(#arrow)" />;
            }),
          )}
          {tasks.map((t) => {
            const p = pos.get(t.id)!;
            const st = states[t.id];
            return (
              <g key={t.id} transform={`translate(${p.x},${p.y})`} className={`dag-node dag-${st}`} data-testid="dag-node" data-state={st}>
                <title>{`${t.id}: ${t.title}${t.files?.length ? `\nfiles: ${t.files.join(', ')}` : ''}\n${st}`}</title>
                <rect width={W} height={H} rx={6} />
                <text x={10} y={18} className="dag-id">{truncate(t.id, 20)} · {st}</text>
                <text x={10} y={35} className="dag-title">{truncate(t.title, 24)}</text>
              </g>
            );
          })}
        </svg>
      </div>
    </section>
  );
}

export function CallsPanel({ rows, inflight }: { rows: CallRow[]; inflight: Inflight[] }) {
  return (
    <section className="panel" aria-labelledby="calls-h" data-testid="live-calls">
      <h2 id="calls-h">
        LLM calls <span className="muted small">{rows.length}</span>
      </h2>
      {rows.length === 0 && inflight.length === 0 ? (
        <Empty>No model call yet.</Empty>
      ) : (
        <div className="table-wrap scroll" tabIndex={0} role="region" aria-label="LLM calls of this execution">
          <table className="table table-compact">
            <thead>
              <tr>
                <th scope="col">#</th>
                <th scope="col">Time</th>
                <th scope="col">Agent</th>
                <th scope="col">Model</th>
                <th scope="col" className="num">Tokens (in → out)</th>
                <th scope="col" className="num">Cost</th>
                <th scope="col" className="num">Latency</th>
              </tr>
            </thead>
            <tbody>
              {inflight.map((f) => (
                <tr key={'f' + f.step} className="row-live" data-testid="call-inflight">
                  <td>…</td>
                  <td>{fmtClock(f.started)}</td>
                  <td>{f.agent}</td>
                  <td colSpan={4}>
                    <span className="pill pill-live">calling</span> {f.estimated_tokens ? `~${fmtInt(f.estimated_tokens)} tokens in` : ''}
                  </td>
                </tr>
              ))}
              {rows.map((r) => (
                <tr key={r.id} data-testid="call-row" className={r.status !== 'success' ? 'row-warn' : undefined}>
                  <td>{r.id}</td>
                  <td>{fmtClock(r.time)}</td>
                  <td title={r.step}>{r.agent}</td>
                  <td>{r.model}</td>
                  <td className="num">
                    {r.prompt_tokens !== null ? `${fmtInt(r.prompt_tokens)} → ${fmtInt(r.completion_tokens)}` : fmtInt(r.total_tokens)}
                  </td>
                  <td className="num">{fmtCost(r.cost)}</td>
                  <td className="num">{r.latency !== null ? fmtMs(r.latency) : '…'}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}

export function Terminal({ convs, conv }: { convs: Conversation[]; conv: WfEvent[] }) {
  // The steps that ran commands, and how many (a new one refetches that step).
  const runs = new Map<string, number>();
  for (const e of conv) if (e.type === 'agent.tool_call' && e.data.tool === 'run_command') runs.set(String(e.data.step), (runs.get(String(e.data.step)) ?? 0) + 1);
  const key = [...runs.entries()].map(([s, n]) => `${s}:${n}`).join('|');
  const [entries, setEntries] = useState<Record<string, TerminalEntry[]>>({});
  const loaded = useRef<Record<string, number>>({});
  const unmounted = useRef(new AbortController());
  useEffect(() => {
    const c = new AbortController();
    unmounted.current = c;
    loaded.current = {};
    return () => c.abort();
  }, []);
  useEffect(() => {
    for (const [step, n] of runs) {
      const c = convs.find((x) => x.step === step);
      if (!c || loaded.current[step] === n) continue;
      loaded.current[step] = n;
      api<Conversation>(`/conversations/${c.id}`, { signal: unmounted.current.signal }).then(
        (r) => setEntries((m) => ({ ...m, [step]: terminalEntries(c, r.messages ?? []) })),
        () => {
          if (loaded.current[step] === n) delete loaded.current[step]; // retried with the next event
        },
      );
    }
  }, [key, convs.length]);
  const all = Object.values(entries).flat().sort((a, b) => a.time.localeCompare(b.time));
  const ref = useRef<HTMLDivElement>(null);
  useEffect(() => {
    if (ref.current) ref.current.scrollTop = ref.current.scrollHeight;
  }, [all.length]);
  return (
    <section className="panel" aria-labelledby="term-h" data-testid="terminal">
      <h2 id="term-h">Sandbox terminal</h2>
      {runs.size === 0 ? (
        <Empty>No command has run in the sandbox yet.</Empty>
      ) : (
        <div className="terminal" ref={ref} tabIndex={0} aria-label="Sandbox output">
          {all.map((t) => (
            <div key={t.key} className="term-entry">
              <div className="term-cmd">
                <span className="term-who">{t.agent}</span> $ {t.command}
              </div>
              {t.output && <pre>{t.output}</pre>}
              {t.error && <pre className="term-err">{t.error}</pre>}
              {t.exitCode !== null && <div className={t.exitCode === 0 ? 'term-ok' : 'term-err'}>exit {t.exitCode}</div>}
            </div>
          ))}
          {all.length === 0 && <Loading what="Loading output" />}
        </div>
      )}
    </section>
  );
}

export function Activity({ events }: { events: WfEvent[] }) {
  const recent = [...events].sort((a, b) => (b.seq ?? 0) - (a.seq ?? 0)).slice(0, 80);
  return (
    <section className="panel" aria-labelledby="act-h" data-testid="activity" data-count={events.length}>
      <h2 id="act-h">
        Activity <span className="muted small">{events.length} events{events.length > recent.length ? `, the last ${recent.length} shown` : ''}</span>
      </h2>
      {recent.length === 0 ? (
        <Empty>Nothing has happened yet.</Empty>
      ) : (
        <ol className="activity" tabIndex={0} aria-label="Events, newest first">
          {recent.map((e) => (
            <li key={e.seq ?? Math.random()} className={`act act-${e.type.split('.')[0]}`}>
              <time title={fmtTime(e.created_at)}>{fmtClock(e.created_at)}</time> {describeEvent(e)}
            </li>
          ))}
        </ol>
      )}
    </section>
  );
}
