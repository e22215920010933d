import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';

const iso = (v: Date | string | null) => (v === null ? null : new Date(v).toISOString());

/** Reads the outbox: each notification of a case with its delivery attempts. */
@Injectable()
export class NotificationsService {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  async listForCase(caseId: string) {
    const rows = await this.dataSource.query<Record<string, unknown>[]>(
      `SELECT n.*, COALESCE((SELECT json_agg(json_build_object('at', a.at, 'status', a.status, 'error', a.error,
                'durationMs', a.duration_ms) ORDER BY a.id)
              FROM notification_attempts a WHERE a.notification_id = n.id), '[]') AS attempt_list
       FROM notifications n WHERE n.case_id = $1 ORDER BY n.created_at, n.id`,
      [caseId],
    );
    return rows.map((n) => ({
      id: n.id,
      caseId: n.case_id,
      party: n.party,
      partyId: n.party_id,
      type: n.type,
      state: n.state,
      attempts: n.attempts,
      nextAttemptAt: n.state === 'pending' ? iso(n.next_attempt_at as Date) : null,
      lastError: n.last_error,
      createdAt: iso(n.created_at as Date),
      deliveredAt: iso(n.delivered_at as Date | null),
      body: n.body,
      attemptLog: (n.attempt_list as { at: string }[]).map((a) => ({ ...a, at: iso(a.at) })),
    }));
  }
}
