import { Injectable, Logger, OnModuleDestroy, OnModuleInit } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { PeriodicTask, PeriodicWork } from '../periodic/periodic-work';

const FLUSH_EVERY_MS = 5000;
const MAX_PENDING = 10_000;

/**
 * `api_keys.last_used_at` without a write per request: each authenticated request notes its key's
 * time in memory, and one UPDATE every 5 s (and before a listing, and at shutdown) writes them all.
 * `lastUsedAt` is therefore up to 5 s behind on another instance, and a crash loses at most the
 * last 5 s of it: it is a hint for people rotating keys, not an audit record.
 */
@Injectable()
export class ApiKeyUsage implements OnModuleInit, OnModuleDestroy {
  private readonly logger = new Logger(ApiKeyUsage.name);
  private pending = new Map<string, Date>();
  private task: PeriodicTask | null = null;

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly periodic: PeriodicWork,
  ) {}

  onModuleInit(): void {
    this.task = this.periodic.start('api-key-usage', FLUSH_EVERY_MS, () => this.flush());
  }

  async onModuleDestroy(): Promise<void> {
    await this.task?.stop();
    await this.flush();
  }

  /** Notes a use; a later one replaces it (times come from the server's clock, in order). */
  used(apiKeyId: string, at: Date): void {
    if (this.pending.size >= MAX_PENDING && !this.pending.has(apiKeyId)) return;
    this.pending.set(apiKeyId, at);
  }

  /** Writes the noted uses; a failure is logged and they are kept for the next try. */
  async flush(): Promise<void> {
    if (this.pending.size === 0) return;
    const batch = this.pending;
    this.pending = new Map();
    try {
      await this.dataSource.query(
        `UPDATE api_keys k SET last_used_at = GREATEST(k.last_used_at, u.at)
         FROM unnest($1::uuid[], $2::timestamptz[]) AS u(id, at) WHERE k.id = u.id`,
        [[...batch.keys()], [...batch.values()]],
      );
    } catch (error) {
      for (const [id, at] of batch) if (!this.pending.has(id)) this.pending.set(id, at);
      this.logger.warn(`Could not record API key use: ${String(error)}`);
    }
  }
}
