import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import type { Principal } from '../common/auth/principal';
import { Clock } from '../common/clock/clock.service';
import { ApiError, type FieldProblem } from '../common/errors/api-error';
import { scopeOf } from '../cases/case-callers';
import { CaseService } from '../cases/case.service';
import type { Actor, CaseRow } from '../cases/case.types';
import { caseNotification } from '../notifications/content/case-notification';
import { waitingOnOf, type CaseType } from '../workflows';
import { CaseLinksRepository } from './case-links.repository';
import { CaseLinks, type CreatedLink } from './case-links.service';
import { BUYER_STATEMENT, buyerView, MAX_BUYER_UPLOADS, type BuyerView } from './buyer.view';

/** Who writes through a buyer link: the buyer, unnamed (evidence.md). */
export const BUYER_ACTOR: Actor = { kind: 'buyer', id: null, via: 'link' };

/** Runs under the case's lock in an upload's transaction, just before its entry is written. */
export type UploadAdmission = (tx: EntityManager, row: CaseRow) => Promise<void>;

/** A buyer's statement as written: its entry's seq and time. */
export interface BuyerStatement {
  seq: number;
  at: string;
  text: string;
  items: string[] | null;
}

/**
 * The buyer's link (evidence.md, "The buyer's link"): made and revoked by the case's merchant or
 * ops, valid 14 days. Its holder sees the order's items and what it sent, and writes statements
 * (and, with the evidence store, files) as `{kind: "buyer", id: null, via: "link"}`; each tells
 * the merchant (`merchant.buyer_evidence`, in the same transaction). Every route resolves the
 * token first ({@link CaseLinks.resolve}).
 */
@Injectable()
export class BuyerLinks {
  constructor(
    private readonly links: CaseLinks,
    private readonly repository: CaseLinksRepository,
    private readonly cases: CaseService,
    private readonly clock: Clock,
  ) {}

  /** A new buyer link to the case (404 outside the caller's cases); older links stay valid. */
  async create(caseId: string, principal: Principal): Promise<CreatedLink> {
    const row = await this.cases.get(caseId, scopeOf(principal));
    return this.links.create(row.id, 'buyer', row.closed_at);
  }

  /** Revokes every buyer link of the case (404 outside the caller's cases). */
  async revokeAll(caseId: string, principal: Principal): Promise<void> {
    const row = await this.cases.get(caseId, scopeOf(principal));
    await this.links.revokeAll(row.id, 'buyer');
  }

  /** The buyer's view of the link's case. */
  async view(token: string): Promise<BuyerView> {
    const holder = await this.links.resolve(token, 'buyer');
    const [row, entries] = await Promise.all([
      this.cases.get(holder.caseId, {}),
      this.repository.buyerEntries(holder.caseId),
    ]);
    return buyerView({
      type: row.type,
      status: row.status,
      order: row.order_snapshot,
      buyerLanguage: holder.buyerLanguage,
      entries,
      uploads: holder.uploads,
      maxUploads: MAX_BUYER_UPLOADS,
      expiresAt: holder.expiresAt,
    });
  }

  /**
   * The buyer's account of the problem: a `BUYER_STATEMENT` entry `{text, items}` (no change of
   * state). 400 for an item that is not a line of the order, 409 on a closed case.
   */
  async statement(
    token: string,
    input: { text: string; items?: string[] | null },
  ): Promise<BuyerStatement> {
    const holder = await this.links.resolve(token, 'buyer');
    const items = input.items ?? null;
    return this.cases.appendFact(holder.caseId, {}, async (tx, row, now) => {
      refuseClosed(row);
      const problems = unknownItems(row, items ?? []);
      if (problems.length) throw ApiError.validation(problems);
      await this.notifyMerchant(tx, row, row.version + 1, now);
      const payload = { text: input.text, items };
      const result = { seq: row.version + 1, at: now.toISOString(), ...payload };
      return { type: BUYER_STATEMENT, actor: BUYER_ACTOR, payload, result };
    });
  }

  /**
   * One file through the buyer's link (evidence.md: at most {@link MAX_BUYER_UPLOADS} per link).
   * `upload` is the evidence service's door, called as the buyer with an `admit` hook that runs
   * under the case's lock in the write's transaction: it takes one of the link's slots (409
   * `conflict` past them, so no two uploads at once pass the limit, and a refused upload takes
   * none) and records `merchant.buyer_evidence` with the entry. A link with no slot left is
   * refused before the body is read.
   */
  async uploadEvidence<T>(
    token: string,
    upload: (caseId: string, actor: Actor, admit: UploadAdmission) => Promise<T>,
  ): Promise<T> {
    const holder = await this.links.resolve(token, 'buyer');
    if (holder.uploads >= MAX_BUYER_UPLOADS) throw filesUsedUp();
    return upload(holder.caseId, BUYER_ACTOR, async (tx, row) => {
      if (!(await this.repository.takeUploadSlot(tx, holder.linkId, MAX_BUYER_UPLOADS)))
        throw filesUsedUp();
      await this.notifyMerchant(tx, row, row.version + 1, this.clock.now());
    });
  }

  /** `merchant.buyer_evidence` about the case at `version`, in the transaction `tx`. */
  private async notifyMerchant(
    tx: EntityManager,
    row: CaseRow,
    version: number,
    now: Date,
  ): Promise<void> {
    const notified = {
      ...row,
      ...(await this.repository.notified(tx, row)),
      waiting_on: waitingOnOf(row.type as CaseType, row.snapshot, row.workflow_version),
      version,
    };
    const effect = {
      type: 'notify',
      party: 'merchant',
      notification: 'merchant.buyer_evidence',
    } as const;
    const values = caseNotification(notified, effect, {}, null, now);
    await this.repository.insertNotification(tx, row.id, values, now);
  }
}

function filesUsedUp(): ApiError {
  return new ApiError(
    'conflict',
    `This link has taken its ${MAX_BUYER_UPLOADS} files; ask the shop for a new link`,
  );
}

/** 409 for anything the buyer sends to a closed case, as for evidence. */
function refuseClosed(row: CaseRow): void {
  if (row.status !== 'closed') return;
  throw new ApiError('invalid_transition', 'The case is closed: it accepts nothing more', {
    state: row.state,
    allowedEvents: [],
  });
}

/** Items that name no line of the case's order. */
function unknownItems(row: CaseRow, items: string[]): FieldProblem[] {
  const order = row.order_snapshot as { items?: { sku?: string }[] };
  const skus = new Set((order.items ?? []).map((item) => item.sku));
  return items.flatMap((sku, i) =>
    skus.has(sku) ? [] : [{ field: `items[${i}]`, problem: `${sku} is not a line of the order` }],
  );
}
