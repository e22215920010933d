import {
  Inject,
  Injectable,
  Logger,
  OnApplicationBootstrap,
  OnModuleDestroy,
} from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { sign, verify } from 'node:crypto';
import { Readable } from 'node:stream';
import { DataSource, EntityManager } from 'typeorm';
import { Clock } from '../../common/clock/clock.service';
import { PeriodicTask, PeriodicWork } from '../../common/periodic/periodic-work';
import { ApiError } from '../../common/errors/api-error';
import { APP_CONFIG, AppConfig } from '../../config/app-config';
import { checkpointMessage, MerkleBuilder } from './merkle';
import { loadSigningKey, SigningKey } from './signing-key';

/** Case heads per round trip: hashing one batch holds the event loop for about 30 ms. */
const HEADS_BATCH = 1000;
/** One checkpoint writer at a time across instances (pg advisory lock key). */
const CHECKPOINT_LOCK = 0x7265_6472;
const SNAPSHOT = /^\d{1,20}:\d{1,20}:(\d{1,20}(,\d{1,20})*)?$/;

export interface Head {
  caseId: string;
  seq: number;
  hash: string;
}

export interface CheckpointView {
  id: string;
  at: string;
  root: string;
  count: number;
  signature: string;
}

interface CheckpointRow {
  id: string;
  at: Date;
  root: string;
  count: number;
  signature: string;
  public_key: string;
  snapshot: string;
}

const view = (row: CheckpointRow): CheckpointView => ({
  id: String(row.id),
  at: new Date(row.at).toISOString(),
  root: row.root,
  count: row.count,
  signature: row.signature,
});

/**
 * Signed checkpoints of the case heads (hardening.md, "Signed checkpoints").
 *
 * A checkpoint is the Merkle root ({@link MerkleBuilder}) of every case's head `{caseId, seq,
 * hash}` (the case row's version and last hash), read in one REPEATABLE READ snapshot through one
 * cursor over the cases' primary key, signed with an Ed25519 key that is not in the database, and
 * appended with that snapshot to `audit_checkpoints` (append-only by trigger). The scheduler
 * instance makes one every REDRESS_CHECKPOINT_INTERVAL_MS (an advisory lock keeps instances from
 * doubling it); ops can ask for one. Nothing of it runs in a request of the event path.
 *
 * Checking one needs no stored list of heads: the timeline is append-only and each entry records
 * its transaction, so the heads as of the checkpoint are "per case, the last entry visible in its
 * snapshot", recomputed from `timeline_entries` now. A chain rewritten since, hashes recomputed,
 * gives another root, and the signature cannot be redone without the key.
 */
@Injectable()
export class CheckpointService implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger(CheckpointService.name);
  readonly key: SigningKey;
  private task: PeriodicTask | null = null;

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly clock: Clock,
    private readonly periodic: PeriodicWork,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {
    this.key = loadSigningKey(config.signingKey, config.dataDir);
  }

  onApplicationBootstrap(): void {
    if (!this.config.schedulerEnabled) return;
    this.task = this.periodic.start(
      'audit-checkpoint',
      this.config.checkpointIntervalMs,
      async () => {
        const made = await this.create({ periodic: true });
        if (made) this.logger.debug(`checkpoint ${made.id}: ${made.count} cases`);
      },
    );
  }

  async onModuleDestroy(): Promise<void> {
    await this.task?.stop();
  }

  /**
   * Signs the current heads and appends the checkpoint. `periodic`: skipped (null) when another
   * instance holds the lock or made one less than half an interval ago.
   */
  async create(opts: { periodic?: boolean } = {}): Promise<CheckpointView | null> {
    return this.dataSource.transaction('REPEATABLE READ', async (tx) => {
      // First statement: it fixes the transaction's snapshot, the one the heads are read in.
      const lock = opts.periodic
        ? `pg_try_advisory_xact_lock(${CHECKPOINT_LOCK})`
        : `pg_advisory_xact_lock(${CHECKPOINT_LOCK}) IS NOT NULL`;
      const [state] = await tx.query<{ locked: boolean; snapshot: string; recent: boolean }[]>(
        `SELECT ${lock} AS locked, pg_current_snapshot()::text AS snapshot,
           EXISTS (SELECT 1 FROM audit_checkpoints WHERE at > $1) AS recent`,
        [new Date(this.clock.now().getTime() - this.config.checkpointIntervalMs / 2)],
      );
      if (opts.periodic && (!state.locked || state.recent)) return null;
      const tree = new MerkleBuilder();
      await tx.query(
        `DECLARE heads NO SCROLL CURSOR FOR SELECT id, version, last_hash FROM cases ORDER BY id`,
      );
      for (;;) {
        const rows = await tx.query<{ id: string; version: number; last_hash: string }[]>(
          `FETCH ${HEADS_BATCH} FROM heads`,
        );
        for (const r of rows) tree.add({ caseId: r.id, seq: r.version, hash: r.last_hash });
        if (rows.length < HEADS_BATCH) break;
      }
      const at = this.clock.now().toISOString();
      const root = tree.root();
      const signature = sign(
        null,
        checkpointMessage({ at, count: tree.count, root }),
        this.key.privateKey,
      ).toString('base64');
      const [row] = await tx.query<CheckpointRow[]>(
        `INSERT INTO audit_checkpoints (at, root, count, signature, public_key, snapshot)
         VALUES ($1, $2, $3, $4, $5, $6::pg_snapshot) RETURNING id, at, root, count, signature`,
        [at, root, tree.count, signature, this.key.publicKeyPem, state.snapshot],
      );
      return view(row);
    });
  }

  /** Newest first; `before` is the last id of the previous page. */
  async list(limit: number, before?: string) {
    const rows = await this.dataSource.query<CheckpointRow[]>(
      `SELECT id, at, root, count, signature FROM audit_checkpoints
       WHERE ($1::bigint IS NULL OR id < $1::bigint) ORDER BY id DESC LIMIT $2`,
      [before ?? null, limit + 1],
    );
    const items = rows.slice(0, limit).map(view);
    return {
      algorithm: 'Ed25519',
      publicKey: this.key.publicKeyPem,
      items,
      nextCursor: rows.length > limit ? items[items.length - 1].id : null,
    };
  }

  private async row(id: string): Promise<CheckpointRow> {
    const rows = /^\d{1,18}$/.test(id)
      ? await this.dataSource.query<CheckpointRow[]>(
          `SELECT id, at, root, count, signature, public_key, snapshot::text AS snapshot
           FROM audit_checkpoints WHERE id = $1`,
          [id],
        )
      : [];
    if (!rows[0]) throw ApiError.notFound('Checkpoint');
    return rows[0];
  }

  /** The heads as of the checkpoint, recomputed from the timeline, in caseId order, by batches. */
  private async *heads(
    snapshot: string,
    manager: EntityManager = this.dataSource.manager,
  ): AsyncGenerator<Head[]> {
    if (!SNAPSHOT.test(snapshot)) throw new Error(`not a snapshot: ${snapshot}`);
    let last = '00000000-0000-0000-0000-000000000000';
    for (;;) {
      // The newest entry of each case among those its snapshot saw; the primary key serves it.
      const rows = await manager.query<{ case_id: string; seq: number; hash: string }[]>(
        `SELECT DISTINCT ON (case_id) case_id, seq, hash FROM timeline_entries
         WHERE case_id > $1 AND xid < pg_snapshot_xmax($2::pg_snapshot)
           AND pg_visible_in_snapshot(xid, $2::pg_snapshot)
         ORDER BY case_id, seq DESC LIMIT ${HEADS_BATCH}`,
        [last, snapshot],
      );
      if (rows.length) yield rows.map((r) => ({ caseId: r.case_id, seq: r.seq, hash: r.hash }));
      if (rows.length < HEADS_BATCH) return;
      last = rows[rows.length - 1].case_id;
    }
  }

  /**
   * Checks a checkpoint now: its signature under this app's key, and its root against the heads
   * the timeline holds today for its snapshot. `valid: false` names what differs.
   */
  async check(id: string) {
    const row = await this.row(id);
    const checkpoint = view(row);
    const signedHere = row.public_key === this.key.publicKeyPem;
    const signatureValid =
      signedHere &&
      verify(
        null,
        checkpointMessage(checkpoint),
        this.key.publicKey,
        Buffer.from(row.signature, 'base64'),
      );
    const tree = new MerkleBuilder();
    for await (const batch of this.heads(row.snapshot)) batch.forEach((h) => tree.add(h));
    const computedRoot = tree.root();
    const problems: string[] = [];
    if (!signedHere) problems.push('not signed with this app key');
    else if (!signatureValid) problems.push('the signature does not verify');
    if (tree.count !== row.count) {
      problems.push(`the timeline holds ${tree.count} case heads for it, it signed ${row.count}`);
    }
    if (computedRoot !== row.root) problems.push('the timeline no longer gives its root');
    return {
      ...checkpoint,
      valid: problems.length === 0,
      signatureValid,
      computedRoot,
      computedCount: tree.count,
      ...(problems.length ? { problem: problems.join('; ') } : {}),
    };
  }

  /**
   * NDJSON for `npm run verify-export -- --checkpoints`: a first line with the checkpoint and
   * the public key, then its heads recomputed from the timeline, one per line, in caseId order.
   */
  async headsFile(id: string): Promise<Readable> {
    const row = await this.row(id);
    const first = { checkpoint: view(row), algorithm: 'Ed25519', publicKey: this.key.publicKeyPem };
    const batches = this.heads(row.snapshot);
    async function* lines(): AsyncGenerator<string> {
      yield JSON.stringify(first) + '\n';
      for await (const batch of batches) yield batch.map((h) => JSON.stringify(h) + '\n').join('');
    }
    return Readable.from(lines(), { objectMode: false });
  }
}
