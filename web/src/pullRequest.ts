// Pure helpers of the pull request views (the workflow page's panel, the
// monitor's delivery line): badge tones of a pull request, a check and the
// loop; the follow-up executions and an execution's delivery, folded from
// the workflow's delivery.* events.
import type { WfEvent } from './types';

/** A badge's colour: ok (green), bad (red), warn (amber), info (blue), merged (purple), neutral (grey). */
export type Tone = 'ok' | 'bad' | 'warn' | 'info' | 'merged' | 'neutral';

export interface BadgeView {
  label: string;
  tone: Tone;
}

/** The pull request's state badge: a draft is its own state while open. */
export function prStateBadge(state: string, draft: boolean): BadgeView {
  if (state === 'merged') return { label: 'merged', tone: 'merged' };
  if (state === 'closed') return { label: 'closed', tone: 'bad' };
  if (state === 'open') return draft ? { label: 'draft', tone: 'neutral' } : { label: 'open', tone: 'ok' };
  return { label: state || 'unknown', tone: 'neutral' };
}

const FAILED = new Set(['failure', 'timed_out', 'startup_failure', 'error']);
const QUIET = new Set(['neutral', 'cancelled', 'skipped', 'stale']);

/** A check's badge: its conclusion once completed, else its status. */
export function checkBadge(status: string, conclusion: string | null | undefined): BadgeView {
  if (status !== 'completed') return { label: status === 'in_progress' ? 'in progress' : status || 'queued', tone: 'info' };
  const c = conclusion ?? '';
  if (c === 'success') return { label: 'success', tone: 'ok' };
  if (FAILED.has(c)) return { label: c.replace('_', ' '), tone: 'bad' };
  if (c === 'action_required') return { label: 'action required', tone: 'warn' };
  if (QUIET.has(c)) return { label: c, tone: 'neutral' };
  return { label: c || 'completed', tone: 'neutral' };
}

/** Whether a check counts as failed (what the loop answers). */
export function checkFailed(status: string, conclusion: string | null | undefined): boolean {
  return status === 'completed' && FAILED.has(conclusion ?? '');
}

/** The loop's badge: idle, fixing (a follow-up runs) or needs a person. */
export function loopBadge(state: string): BadgeView {
  if (state === 'fixing') return { label: 'fixing', tone: 'info' };
  if (state === 'needs_human') return { label: 'needs a person', tone: 'bad' };
  return { label: state || 'idle', tone: 'neutral' };
}

/** "fix_checks" → "fix the failing checks"; "review_comment:12" → "answer review comment 12". */
export function followUpLabel(kind: string): string {
  if (kind === 'fix_checks') return 'fix the failing checks';
  if (kind === 'review') return 'answer a review';
  if (kind.startsWith('review_comment:')) return `answer review comment ${kind.slice('review_comment:'.length)}`;
  return kind;
}

export function shortSha(sha: string | null | undefined): string {
  return (sha ?? '').slice(0, 7);
}

export function isDeliveryEvent(type: string): boolean {
  return type.startsWith('delivery.');
}

export interface FollowUp {
  attempt: number;
  kind: string;
  fingerprint: string;
  executionId: number | null;
  pullRequest: number | null;
  at: number;
}

const num = (v: unknown): number | null => (typeof v === 'number' && Number.isFinite(v) ? v : null);
const str = (v: unknown): string => (typeof v === 'string' ? v : '');

/** The loop's follow-up executions (delivery.follow_up_started), one per execution, by attempt. */
export function followUps(events: WfEvent[]): FollowUp[] {
  const byKey = new Map<string, FollowUp>();
  for (const e of events) {
    if (e.type !== 'delivery.follow_up_started') continue;
    const d = e.data ?? {};
    const f: FollowUp = {
      attempt: num(d.attempt) ?? 0,
      kind: str(d.kind),
      fingerprint: str(d.fingerprint),
      executionId: num(d.execution_id),
      pullRequest: num(d.pull_request),
      at: e.created_at,
    };
    byKey.set(f.executionId !== null ? `e${f.executionId}` : `s${e.seq ?? byKey.size}`, f);
  }
  return [...byKey.values()].sort((a, b) => a.attempt - b.attempt || a.at - b.at);
}

export interface Delivery {
  number: number;
  url: string;
  branch: string;
  headSha: string;
  opened: boolean;
  adopted: boolean;
  followUp: string;
}

/** The execution's push (its last delivery.pull_request event), or null. */
export function deliveryOf(events: WfEvent[], executionId: number): Delivery | null {
  let out: Delivery | null = null;
  for (const e of events) {
    if (e.type !== 'delivery.pull_request' || e.execution_id !== executionId) continue;
    const d = e.data ?? {};
    out = {
      number: num(d.number) ?? 0,
      url: str(d.url),
      branch: str(d.branch),
      headSha: str(d.head_sha),
      opened: d.opened === true,
      adopted: d.adopted === true,
      followUp: str(d.follow_up),
    };
  }
  return out;
}

/** What the push did to the pull request: "opened", "adopted" or "updated". */
export function deliveryVerb(d: Delivery): string {
  return d.opened ? 'opened' : d.adopted ? 'adopted' : 'updated';
}

/** The follow-up the loop started as this execution, if it is one. */
export function followUpOf(events: WfEvent[], executionId: number): FollowUp | null {
  return followUps(events).find((f) => f.executionId === executionId) ?? null;
}

/** A delivery.* event in a sentence (the monitor's activity list), or null for another type. */
export function describeDeliveryEvent(e: WfEvent): string | null {
  const d = e.data ?? {};
  const pr = d.pull_request !== undefined ? `#${d.pull_request}` : d.number !== undefined ? `#${d.number}` : 'the pull request';
  switch (e.type) {
    case 'delivery.pull_request': {
      const verb = d.opened === true ? 'opened' : d.adopted === true ? 'adopted' : 'updated';
      return `pushed ${str(d.branch)} @ ${shortSha(str(d.head_sha))}: pull request ${pr} ${verb}`;
    }
    case 'delivery.check':
      return `check ${str(d.check)} on ${pr}: ${checkBadge(str(d.status), str(d.conclusion) || null).label}`;
    case 'delivery.check_ignored':
      return `check ${str(d.check) || str(d.suite)} on ${pr} ignored (${str(d.reason)})`;
    case 'delivery.follow_up_started':
      return `follow-up ${num(d.attempt) ?? '?'} on ${pr}: ${followUpLabel(str(d.kind))} (execution #${num(d.execution_id) ?? '?'})`;
    case 'delivery.follow_up_failed':
      return `a follow-up on ${pr} could not start: ${str(d.error)}`;
    case 'delivery.needs_human':
      return `codecrew stopped on ${pr}: ${str(d.reason)}`;
    case 'delivery.waiting_for_human':
      return `${pr} waits for a person: ${str(d.reason)}`;
    case 'delivery.busy':
      return `${pr}: a follow-up is already running`;
    case 'delivery.review_ignored':
      return `review on ${pr} by ${str(d.author)} ignored (${str(d.reason)})`;
    case 'delivery.refreshed':
      return `${pr} refreshed from GitHub (${str(d.state)} @ ${shortSha(str(d.head_sha))})`;
    case 'delivery.pull_request_updated':
      return `${pr} ${str(d.action) || 'updated'}: ${str(d.state)} @ ${shortSha(str(d.head_sha))}`;
    default:
      return isDeliveryEvent(e.type) ? `${e.type.slice('delivery.'.length).replace(/_/g, ' ')} (${pr})` : null;
  }
}
