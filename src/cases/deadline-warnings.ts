import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { waitingOnOf, type CaseType, type TimerKind } from '../workflows';
import { CaseRepository } from './case.repository';
import { deadlineWarning, nextWarnAt } from './step-effects';

/** Warnings claimed per transaction. */
const WARNING_BATCH = 64;

/**
 * Sends the deadline warnings that came due (collaboration.md: `<party>.deadline_warning`
 * `{kind, dueAt}` 24 h before a deadline that can breach, to the party that must act; 72 h and
 * 24 h before `external_due`: step-effects.ts `warningLeads`). A step sends a warning whose time
 * has come itself; the others wait on their timer's `warn_at`, and the scheduler calls this on
 * every tick; once one is sent, `warn_at` becomes the next one's time, or null. A warning is an outbox row: no timeline
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
    // A kind warned more than once (external_due: 72 h and 24 h before) keeps its next time.
    const next = due.flatMap((w) => {
      const warnAt = nextWarnAt(w.kind as TimerKind, new Date(w.due_at), now);
      return warnAt ? [{ id: w.id, warnAt }] : [];
    });
    await this.repository.setNextWarnings(tx, next);
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
