import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { waitingOnOf, type CaseType, type TimerKind } from '../workflows';
import { CaseRepository } from './case.repository';
import { deadlineWarning } from './step-effects';

/** Warnings claimed per transaction. */
const WARNING_BATCH = 64;

/**
 * Sends the deadline warnings that came due (collaboration.md: `<party>.deadline_warning`
 * `{kind, dueAt}` 24 h before a deadline that can breach, to the party that must act). A step sends
 * the warning of a deadline less than a day away itself; the others wait on their timer's
 * `warn_at`, and the scheduler calls this on every tick. A warning is an outbox row: no timeline
 * entry, no change of the case. Each is sent once: claimed and marked in one statement, written in
 * the same transaction; one whose deadline has passed by then is not sent (the breach says more).
 */
@Injectable()
export class DeadlineWarnings {
  constructor(private readonly repository: CaseRepository) {}

  /** Sends the warnings due at `now`; answers how many. */
  async sendDue(now: Date): Promise<number> {
    let sent = 0;
    for (;;) {
      const batch = await this.repository.transaction((tx) => this.sendBatch(tx, now));
      sent += batch;
      if (batch < WARNING_BATCH) return sent;
    }
  }

  private async sendBatch(tx: EntityManager, now: Date): Promise<number> {
    const due = await this.repository.claimDueWarnings(tx, now, WARNING_BATCH);
    for (const warning of due) {
      const loaded = await this.repository.load(tx, warning.case_id, { evidence: false });
      if (!loaded || loaded.status !== 'open') continue;
      const type = loaded.type as CaseType;
      const notified = {
        ...loaded,
        waiting_on: waitingOnOf(type, loaded.snapshot, loaded.workflow_version),
      };
      const kind = warning.kind as TimerKind;
      const row = deadlineWarning(notified, kind, new Date(warning.due_at), now);
      await this.repository.insertNotifications(tx, loaded.id, [row], now);
    }
    return due.length;
  }
}
