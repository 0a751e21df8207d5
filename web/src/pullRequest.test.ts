import { describe, expect, it } from 'vitest';
import {
  checkBadge, checkFailed, deliveryOf, deliveryVerb, describeDeliveryEvent, followUpLabel, followUpOf, followUps,
  isDeliveryEvent, loopBadge, prStateBadge, shortSha,
} from './pullRequest';
import type { WfEvent } from './types';

const ev = (seq: number, type: string, data: Record<string, unknown>, execution_id: number | null = null, t = 1000 + seq): WfEvent => ({
  seq, type, workflow_id: 1, execution_id, data, created_at: t, live: false,
});

describe('badges', () => {
  it('colours the pull request by state, a draft apart', () => {
    expect(prStateBadge('open', false)).toEqual({ label: 'open', tone: 'ok' });
    expect(prStateBadge('open', true)).toEqual({ label: 'draft', tone: 'neutral' });
    expect(prStateBadge('merged', true)).toEqual({ label: 'merged', tone: 'merged' });
    expect(prStateBadge('closed', false)).toEqual({ label: 'closed', tone: 'bad' });
    expect(prStateBadge('', false).tone).toBe('neutral');
  });

  it('colours a check by its conclusion once completed, by its status before', () => {
    expect(checkBadge('completed', 'success')).toEqual({ label: 'success', tone: 'ok' });
    expect(checkBadge('completed', 'failure')).toEqual({ label: 'failure', tone: 'bad' });
    expect(checkBadge('completed', 'timed_out')).toEqual({ label: 'timed out', tone: 'bad' });
    expect(checkBadge('completed', 'action_required')).toEqual({ label: 'action required', tone: 'warn' });
    for (const c of ['neutral', 'cancelled', 'skipped']) expect(checkBadge('completed', c)).toEqual({ label: c, tone: 'neutral' });
    expect(checkBadge('completed', null)).toEqual({ label: 'completed', tone: 'neutral' });
    expect(checkBadge('in_progress', null)).toEqual({ label: 'in progress', tone: 'info' });
    expect(checkBadge('queued', null)).toEqual({ label: 'queued', tone: 'info' });
    // a conclusion of a run still going is not its result
    expect(checkBadge('in_progress', 'failure').tone).toBe('info');
  });

  it('knows which checks failed', () => {
    expect(checkFailed('completed', 'failure')).toBe(true);
    expect(checkFailed('completed', 'timed_out')).toBe(true);
    expect(checkFailed('completed', 'cancelled')).toBe(false);
    expect(checkFailed('in_progress', 'failure')).toBe(false);
  });

  it('names the loop state and the follow-up kinds', () => {
    expect(loopBadge('needs_human')).toEqual({ label: 'needs a person', tone: 'bad' });
    expect(loopBadge('fixing').tone).toBe('info');
    expect(loopBadge('idle')).toEqual({ label: 'idle', tone: 'neutral' });
    expect(followUpLabel('fix_checks')).toBe('fix the failing checks');
    expect(followUpLabel('review')).toBe('answer a review');
    expect(followUpLabel('review_comment:1234')).toBe('answer review comment 1234');
    expect(shortSha('c9d8e7f6a5b4c3d2')).toBe('c9d8e7f');
    expect(shortSha(undefined)).toBe('');
    expect(isDeliveryEvent('delivery.check')).toBe(true);
    expect(isDeliveryEvent('execution.status')).toBe(false);
  });
});

describe('folding the delivery events', () => {
  const events = [
    ev(1, 'delivery.pull_request', { number: 42, url: 'https://github.com/a/b/pull/42', branch: 'codecrew/execution-1', head_sha: 'aaaaaaa111', opened: true, adopted: false, follow_up: '' }, 1),
    ev(2, 'delivery.check', { pull_request: 42, check: 'tests', status: 'completed', conclusion: 'failure', head_sha: 'aaaaaaa111' }),
    ev(3, 'delivery.follow_up_started', { pull_request: 42, kind: 'review_comment:7', fingerprint: 'f2', attempt: 2, execution_id: 3 }),
    ev(4, 'delivery.follow_up_started', { pull_request: 42, kind: 'fix_checks', fingerprint: 'f1', attempt: 1, execution_id: 2 }),
    ev(5, 'delivery.pull_request', { number: 42, url: 'https://github.com/a/b/pull/42', branch: 'codecrew/execution-1', head_sha: 'bbbbbbb222', opened: false, adopted: false, follow_up: 'fix_checks' }, 2),
    ev(6, 'delivery.follow_up_started', { pull_request: 42, kind: 'fix_checks', fingerprint: 'f1', attempt: 1, execution_id: 2 }), // repeated after a resume
  ];

  it('lists the follow-ups once each, by attempt', () => {
    const f = followUps(events);
    expect(f.map((x) => [x.attempt, x.kind, x.executionId, x.pullRequest])).toEqual([
      [1, 'fix_checks', 2, 42],
      [2, 'review_comment:7', 3, 42],
    ]);
    expect(followUpOf(events, 3)?.kind).toBe('review_comment:7');
    expect(followUpOf(events, 1)).toBeNull();
    expect(followUps([])).toEqual([]);
  });

  it("finds an execution's push and what it did to the pull request", () => {
    const first = deliveryOf(events, 1)!;
    expect(first).toMatchObject({ number: 42, branch: 'codecrew/execution-1', headSha: 'aaaaaaa111', opened: true, followUp: '' });
    expect(deliveryVerb(first)).toBe('opened');
    const fix = deliveryOf(events, 2)!;
    expect(fix.followUp).toBe('fix_checks');
    expect(deliveryVerb(fix)).toBe('updated');
    expect(deliveryVerb({ ...fix, adopted: true })).toBe('adopted');
    expect(deliveryOf(events, 9)).toBeNull();
    // another execution's push is not this one's
    expect(deliveryOf([ev(1, 'delivery.pull_request', { number: 1 }, 5)], 6)).toBeNull();
  });

  it('tolerates events with missing or odd fields', () => {
    const odd = [ev(1, 'delivery.follow_up_started', { attempt: 'x' }), ev(2, 'delivery.pull_request', {}, 1)];
    expect(followUps(odd)[0]).toMatchObject({ attempt: 0, kind: '', executionId: null });
    expect(deliveryOf(odd, 1)).toMatchObject({ number: 0, url: '', opened: false });
  });

  it('describes delivery events in a sentence', () => {
    expect(describeDeliveryEvent(events[0])).toBe('pushed codecrew/execution-1 @ aaaaaaa: pull request #42 opened');
    expect(describeDeliveryEvent(events[1])).toBe('check tests on #42: failure');
    expect(describeDeliveryEvent(events[3])).toBe('follow-up 1 on #42: fix the failing checks (execution #2)');
    expect(describeDeliveryEvent(ev(7, 'delivery.needs_human', { pull_request: 42, reason: 'capped' }))).toBe('codecrew stopped on #42: capped');
    expect(describeDeliveryEvent(ev(8, 'delivery.something_new', { pull_request: 42 }))).toBe('something new (#42)');
    expect(describeDeliveryEvent(ev(9, 'execution.status', {}))).toBeNull();
  });
});
