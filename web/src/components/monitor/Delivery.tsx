// The monitor's delivery line: what this execution pushed and the pull
// request it opened, adopted or updated (its delivery.pull_request event),
// and, for an execution the loop started, what it answers.
import { deliveryOf, deliveryVerb, followUpLabel, followUpOf, shortSha } from '../../pullRequest';
import type { WfEvent } from '../../types';

export function DeliveryLine({ id, eid, events }: { id: number; eid: number; events: WfEvent[] }) {
  const d = deliveryOf(events, eid);
  const f = followUpOf(events, eid);
  const kind = f?.kind || d?.followUp || '';
  if (!d && !kind) return null;
  return (
    <div className="delivery" data-testid="delivery">
      {kind && (
        <div data-testid="delivery-follow-up" data-kind={kind}>
          <strong>Follow-up{f ? ` ${f.attempt}` : ''}</strong>
          {f?.pullRequest || d?.number ? <> of pull request #{f?.pullRequest || d?.number}</> : null}: {followUpLabel(kind)}
          {' · '}
          <a href={`#/workflows/${id}`}>the workflow's pull request</a>
        </div>
      )}
      {d && (
        <div data-testid="delivery-line">
          Pushed <code>{d.branch}</code> @ <code title={d.headSha}>{shortSha(d.headSha)}</code>, pull request{' '}
          {d.url ? (
            <a href={d.url} target="_blank" rel="noopener noreferrer" data-testid="delivery-link">
              #{d.number}
            </a>
          ) : (
            <>#{d.number}</>
          )}{' '}
          ({deliveryVerb(d)})
        </div>
      )}
    </div>
  );
}
