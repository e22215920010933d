import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { APP_CONFIG, AppConfig } from '../../config/app-config';
import { checkWebhookUrl } from '../../notifications/delivery/webhook-url-policy';
import { ApiError } from '../errors/api-error';
import { PARTY_TABLES, PartyKind } from './party';
import { PartyCursor } from './party-cursor';
import { PartySecrets } from './party-secrets.service';
import { UpdatePartyDto } from './party.dto';

/** The columns merchants and suppliers share, as stored. */
export interface PartyRow {
  id: string;
  name: string;
  country: string;
  timezone: string | null;
  language: string | null;
  webhook_url: string | null;
  created_at: Date;
}

/** What a new merchant or supplier is made of. */
export interface NewParty {
  name: string;
  country: string;
  timezone?: string | null;
  language?: string | null;
  webhookUrl?: string | null;
}

export const PARTY_COLUMNS = 'id, name, country, timezone, language, webhook_url, created_at';

/**
 * What merchants and suppliers share beyond their secrets: the outbound URL check on a new
 * `webhookUrl`, the change of their profile (PATCH) and their newest-first pages. One door each,
 * so the rules (the URL policy, the country fixed once a case exists) hold for both.
 */
@Injectable()
export class PartyRecords {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly secrets: PartySecrets,
  ) {}

  /**
   * A new merchant or supplier with its first webhook secret, in one transaction: the row as
   * stored and the plain secret, to show once.
   */
  async create(
    kind: PartyKind,
    input: NewParty,
    now: Date,
  ): Promise<{ row: PartyRow; webhookSecret: string }> {
    await this.assertWebhookUrlAllowed(input.webhookUrl);
    return this.dataSource.transaction(async (tx) => {
      const rows: PartyRow[] = await tx.query(
        `INSERT INTO ${PARTY_TABLES[kind].table}
           (name, country, timezone, language, webhook_url, created_at)
         VALUES ($1, $2, $3, $4, $5, $6) RETURNING ${PARTY_COLUMNS}`,
        [
          input.name,
          input.country,
          input.timezone ?? null,
          input.language ? Intl.getCanonicalLocales(input.language)[0] : null,
          input.webhookUrl ?? null,
          now,
        ],
      );
      const webhookSecret = await this.secrets.create(tx, kind, rows[0].id, now);
      return { row: rows[0], webhookSecret };
    });
  }

  /** 400 `validation_failed` on `webhookUrl` when the outbound URL policy refuses it. */
  async assertWebhookUrlAllowed(url: string | null | undefined): Promise<void> {
    if (!url) return;
    const check = await checkWebhookUrl(url, { allowPrivate: this.config.allowPrivateWebhooks });
    if (!check.ok) throw ApiError.validation([{ field: 'webhookUrl', problem: check.problem }]);
  }

  /**
   * Applies the fields sent; 404 when there is no such party, 409 `country_locked` for a new
   * `country` once the party has a case. The party's row is locked first (`FOR UPDATE` waits for
   * cases being opened on it, whose foreign key holds a share lock), so a case cannot slip in
   * between the check and the change.
   */
  async update(kind: PartyKind, id: string, input: UpdatePartyDto): Promise<PartyRow> {
    await this.assertWebhookUrlAllowed(input.webhookUrl);
    const { table, column, what } = PARTY_TABLES[kind];
    const changes: [string, unknown][] = [];
    if (input.name !== undefined) changes.push(['name', input.name]);
    if (input.timezone !== undefined) changes.push(['timezone', input.timezone]);
    if (input.language !== undefined) {
      const language = input.language && Intl.getCanonicalLocales(input.language)[0];
      changes.push(['language', language]);
    }
    if (input.webhookUrl !== undefined) changes.push(['webhook_url', input.webhookUrl]);
    return this.dataSource.transaction(async (tx) => {
      const found: PartyRow[] = await tx.query(
        `SELECT ${PARTY_COLUMNS} FROM ${table} WHERE id = $1 FOR UPDATE`,
        [id],
      );
      if (found.length === 0) throw ApiError.notFound(what);
      if (input.country !== undefined && input.country !== found[0].country.trim()) {
        const cases: unknown[] = await tx.query(
          `SELECT 1 FROM cases WHERE ${column} = $1 LIMIT 1`,
          [id],
        );
        if (cases.length > 0) {
          throw new ApiError(
            'country_locked',
            `The ${what.toLowerCase()} has cases, whose deadlines were counted in its country: country cannot change any more`,
            { details: [{ field: 'country', problem: 'cannot change once there is a case' }] },
          );
        }
        changes.push(['country', input.country]);
      }
      if (changes.length === 0) return found[0];
      const sets = changes.map(([name], i) => `${name} = $${i + 2}`).join(', ');
      // TypeORM answers an UPDATE with [rows, rowCount].
      const [rows] = await tx.query<[PartyRow[], number]>(
        `UPDATE ${table} SET ${sets} WHERE id = $1 RETURNING ${PARTY_COLUMNS}`,
        [id, ...changes.map(([, value]) => value)],
      );
      return rows[0];
    });
  }

  /** One newest-first page, and where the next one starts (null at the end). */
  async page(
    kind: PartyKind,
    limit: number,
    after: PartyCursor | null,
  ): Promise<{ rows: PartyRow[]; next: PartyCursor | null }> {
    const { table } = PARTY_TABLES[kind];
    const rows: PartyRow[] = await this.dataSource.query(
      `SELECT ${PARTY_COLUMNS} FROM ${table}
       WHERE $1::timestamptz IS NULL OR (created_at, id) < ($1::timestamptz, $2::uuid)
       ORDER BY created_at DESC, id DESC LIMIT $3`,
      [after?.createdAt ?? null, after?.id ?? null, limit + 1],
    );
    const more = rows.length > limit;
    const page = more ? rows.slice(0, limit) : rows;
    const last = page[page.length - 1];
    return { rows: page, next: more ? { createdAt: last.created_at, id: last.id } : null };
  }
}
