import { Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { generateWebhookSecret } from '../../webhooks/signature/webhook-signature';
import { ApiError } from '../errors/api-error';
import { SecretBox } from '../secrets/secret-box';
import { isUuid } from '../validation/uuid-param.pipe';
import { PARTY_TABLES, PartyKind } from './party';

/** How long the previous secret keeps working after a rotation. */
export const SECRET_ROTATION_OVERLAP_MS = 24 * 60 * 60 * 1000;
/** The authenticated purpose of a sealed webhook secret (SecretBox). */
const PURPOSE = 'webhook-secret';

/**
 * The `whsec_` secrets of merchants and suppliers (api.md: they sign outbound notifications, and a
 * supplier's verify its inbound webhooks). Stored only sealed ({@link SecretBox}): a database dump
 * holds none of them. A party has one active secret, or two for 24 h after a rotation (the old
 * one's `expires_at`): both verify, and outbound deliveries are signed with both.
 */
@Injectable()
export class PartySecrets implements OnApplicationBootstrap {
  private readonly logger = new Logger(PartySecrets.name);

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly box: SecretBox,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    await this.sealPlainSecrets();
  }

  /** A first secret for a party being created in `tx`; the plain secret, to show once. */
  async create(tx: EntityManager, kind: PartyKind, partyId: string, now: Date): Promise<string> {
    const { secrets, column } = PARTY_TABLES[kind];
    const secret = generateWebhookSecret();
    await tx.query(
      `INSERT INTO ${secrets} (${column}, secret_sealed, created_at) VALUES ($1, $2, $3)`,
      [partyId, this.box.seal(secret, PURPOSE), now],
    );
    return secret;
  }

  /**
   * A new secret, active at once; the secrets active until now stay valid 24 h more (never longer
   * than they already had). Rotations of one party are serialised by a row lock.
   */
  async rotate(
    kind: PartyKind,
    partyId: string,
    now: Date,
  ): Promise<{ webhookSecret: string; previousSecretExpiresAt: string }> {
    const { table, secrets, column, what } = PARTY_TABLES[kind];
    const expiresAt = new Date(now.getTime() + SECRET_ROTATION_OVERLAP_MS);
    const webhookSecret = await this.dataSource.transaction(async (tx) => {
      const found: unknown[] = await tx.query(`SELECT id FROM ${table} WHERE id = $1 FOR UPDATE`, [
        partyId,
      ]);
      if (found.length === 0) throw ApiError.notFound(what);
      await tx.query(
        `UPDATE ${secrets} SET expires_at = LEAST(COALESCE(expires_at, $2), $2)
         WHERE ${column} = $1 AND (expires_at IS NULL OR expires_at > $3)`,
        [partyId, expiresAt, now],
      );
      return this.create(tx, kind, partyId, now);
    });
    return { webhookSecret, previousSecretExpiresAt: expiresAt.toISOString() };
  }

  /** Secrets valid at `now`, newest first: sign with all, verify with any. */
  async active(kind: PartyKind, partyId: string, now: Date): Promise<string[]> {
    if (!isUuid(partyId)) return [];
    const { secrets, column } = PARTY_TABLES[kind];
    const rows: { secret_sealed: string }[] = await this.dataSource.query(
      `SELECT secret_sealed FROM ${secrets}
       WHERE ${column} = $1 AND (expires_at IS NULL OR expires_at > $2)
       ORDER BY created_at DESC, id DESC`,
      [partyId, now],
    );
    return this.openAll(rows.map((row) => row.secret_sealed));
  }

  /** Plain secrets from sealed values (a value from before sealing is taken as it is). */
  openAll(sealed: string[]): string[] {
    return sealed.map((value) =>
      SecretBox.isSealed(value) ? this.box.open(value, PURPOSE) : value,
    );
  }

  /**
   * Seals the secrets stored in plain text before sealing existed (run at boot: the migration that
   * introduced sealing has no key). Each row is only replaced if it still holds the plain value, so
   * instances booting together do not clash.
   */
  async sealPlainSecrets(): Promise<void> {
    for (const kind of Object.keys(PARTY_TABLES) as PartyKind[]) {
      const { secrets } = PARTY_TABLES[kind];
      const rows: { id: string; secret_sealed: string }[] = await this.dataSource.query(
        `SELECT id, secret_sealed FROM ${secrets} WHERE secret_sealed NOT LIKE 'sb1.%'`,
      );
      for (const row of rows) {
        await this.dataSource.query(
          `UPDATE ${secrets} SET secret_sealed = $2 WHERE id = $1 AND secret_sealed = $3`,
          [row.id, this.box.seal(row.secret_sealed, PURPOSE), row.secret_sealed],
        );
      }
      if (rows.length > 0) this.logger.log(`Sealed ${rows.length} plain secrets in ${secrets}`);
    }
  }
}
