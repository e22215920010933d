/**
 * A case Redress opens by itself (intake.md, "Cases that open by themselves"): on the timeline as
 * opened by `{kind: "system", id: "intake"}`, and told to the merchant with
 * `merchant.case_opened` `{openedBy: "system", reason}`, written by the opening's own statement.
 * Pure: the planned opening in, the planned opening with its notice out.
 */
import { caseNotification } from '../notifications/content/case-notification';
import type { Actor } from './case.types';
import type { PlannedStep } from './case-step';

/** The actor of automatic openings. */
export const INTAKE_ACTOR: Actor = { kind: 'system', id: 'intake' };

/** The opening with the merchant's notice added, when the system opened it. */
export function withOpeningNotice(
  planned: PlannedStep,
  actor: Actor | undefined,
  reason: string | null | undefined,
): PlannedStep {
  if (actor?.kind !== 'system') return planned;
  const opened = planned.case;
  const notice = caseNotification(
    { ...opened, waiting_on: opened.workflow?.waitingOn ?? null },
    { type: 'notify', party: 'merchant', notification: 'merchant.case_opened' },
    {},
    null,
    planned.write.now,
  );
  const body = { ...(notice.body as Record<string, unknown>), openedBy: 'system', reason };
  const notifications = [...planned.notifications, { ...notice, body }];
  return { ...planned, notifications, write: { ...planned.write, notifications } };
}
