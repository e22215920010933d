import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import type { NotificationValues, NotifiedCase } from '../notifications/content/case-notification';
import type { CaseRow } from '../cases/case.types';
import type { LinkAudience } from './link-expiry';

/** A link found by its token's hash, with what its routes need of its case. */
export interface LinkRow {
  id: string;
  case_id: string;
  created_at: Date;
  expires_at: Date;
  revoked_at: Date | null;
  uploads: number;
  closed_at: Date | null;
  supplier_id: string;
  supplier_language: string | null;
  buyer_language: string | null;
}

/** The SQL of `case_links` (migration SupplierAccess). */
@Injectable()
export class CaseLinksRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  async insert(link: {
    caseId: string;
    audience: LinkAudience;
    tokenHash: Buffer;
    tokenSealed: string;
    createdAt: Date;
    expiresAt: Date;
  }): Promise<string> {
    const rows = await this.dataSource.query<{ id: string }[]>(
      `INSERT INTO case_links (case_id, audience, token_hash, token_sealed, created_at, expires_at)
       VALUES ($1, $2, $3, $4, $5, $6) RETURNING id`,
      [
        link.caseId,
        link.audience,
        link.tokenHash,
        link.tokenSealed,
        link.createdAt,
        link.expiresAt,
      ],
    );
    return rows[0].id;
  }

  async findByHash(tokenHash: Buffer, audience: LinkAudience): Promise<LinkRow | undefined> {
    const rows = await this.dataSource.query<LinkRow[]>(
      `SELECT l.id, l.case_id, l.created_at, l.expires_at, l.revoked_at, l.uploads, c.closed_at,
         c.supplier_id, c.buyer_language, s.language AS supplier_language
       FROM case_links l JOIN cases c ON c.id = l.case_id JOIN suppliers s ON s.id = c.supplier_id
       WHERE l.token_hash = $1 AND l.audience = $2`,
      [tokenHash, audience],
    );
    return rows[0];
  }

  /** The newest unrevoked link of a case whose own end is after `now` (the closing aside). */
  async newestUnexpired(
    caseId: string,
    audience: LinkAudience,
    now: Date,
  ): Promise<{ token_sealed: string; expires_at: Date; closed_at: Date | null } | undefined> {
    const rows = await this.dataSource.query<
      { token_sealed: string; expires_at: Date; closed_at: Date | null }[]
    >(
      `SELECT l.token_sealed, l.expires_at, c.closed_at
       FROM case_links l JOIN cases c ON c.id = l.case_id
       WHERE l.case_id = $1 AND l.audience = $2 AND l.revoked_at IS NULL AND l.expires_at > $3
       ORDER BY l.created_at DESC, l.id DESC LIMIT 1`,
      [caseId, audience, now],
    );
    return rows[0];
  }

  async revokeAll(caseId: string, audience: LinkAudience, now: Date): Promise<number> {
    const [, count] = await this.dataSource.query<[unknown, number]>(
      `UPDATE case_links SET revoked_at = $3
       WHERE case_id = $1 AND audience = $2 AND revoked_at IS NULL`,
      [caseId, audience, now],
    );
    return count;
  }

  /**
   * Takes one of a link's `max` upload slots in the caller's transaction; false (and nothing
   * taken) when all are taken. One statement: two uploads at once cannot both take the last one.
   */
  async takeUploadSlot(tx: EntityManager, linkId: string, max: number): Promise<boolean> {
    const [rows] = await tx.query<[{ id: string }[], number]>(
      `UPDATE case_links SET uploads = uploads + 1 WHERE id = $1 AND uploads < $2 RETURNING id`,
      [linkId, max],
    );
    return rows.length === 1;
  }

  /** What the buyer sent on a case (its entries with actor kind `buyer`), oldest first. */
  async buyerEntries(
    caseId: string,
  ): Promise<{ seq: number; at: Date; type: string; payload: Record<string, unknown> }[]> {
    return this.dataSource.query(
      `SELECT seq, at, type, payload FROM timeline_entries
       WHERE case_id = $1 AND actor->>'kind' = 'buyer' ORDER BY seq`,
      [caseId],
    );
  }

  /**
   * What a notification about `row` needs besides the row (its parties' languages and endpoints,
   * its live timers), read in the caller's transaction.
   */
  async notified(
    tx: EntityManager,
    row: CaseRow,
  ): Promise<Pick<NotifiedCase, 'm_language' | 'm_webhook_url' | 's_webhook_url' | 'deadlines'>> {
    const [parties] = await tx.query<
      { m_language: string | null; m_webhook_url: string | null; s_webhook_url: string | null }[]
    >(
      `SELECT m.language AS m_language, m.webhook_url AS m_webhook_url,
         s.webhook_url AS s_webhook_url
       FROM merchants m, suppliers s WHERE m.id = $1 AND s.id = $2`,
      [row.merchant_id, row.supplier_id],
    );
    const deadlines = await tx.query<NotifiedCase['deadlines']>(
      `SELECT kind, due_at, fired_at FROM case_timers WHERE case_id = $1 AND cancelled_at IS NULL`,
      [row.id],
    );
    return { ...parties, deadlines };
  }

  /** Records an outbound notification in the caller's transaction (the outbox). */
  async insertNotification(
    tx: EntityManager,
    caseId: string,
    notification: NotificationValues,
    now: Date,
  ): Promise<void> {
    await tx.query(
      `INSERT INTO notifications (case_id, party, party_id, type, body, state, next_attempt_at,
         created_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $7)`,
      [
        caseId,
        notification.party,
        notification.party_id,
        notification.type,
        JSON.stringify(notification.body),
        notification.state,
        now,
      ],
    );
  }
}
