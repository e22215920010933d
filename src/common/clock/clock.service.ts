import { Inject, Injectable, Logger, OnModuleInit } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { APP_CONFIG, AppConfig } from '../../config/app-config';
import { ApiError } from '../errors/api-error';

/**
 * The one clock every part reads: the scheduler, the case service, webhook timestamp checks,
 * idempotency expiry. Real time, unless the test clock (REDRESS_TEST_CLOCK=1) moved it: then it is
 * real time shifted by the offset set, so it keeps running from where it was set.
 *
 * The offset is stored (table `test_clock`) and read back at boot: a restart must not send the
 * clock, and with it new timeline entries, back in time (hardening.md). Reading stays synchronous
 * and free: the offset lives in memory, the table is only written when the clock is moved.
 */
@Injectable()
export class Clock implements OnModuleInit {
  private readonly logger = new Logger(Clock.name);
  private offsetMs = 0;
  private saving: Promise<void> = Promise.resolve();

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @InjectDataSource() private readonly dataSource: DataSource,
  ) {}

  async onModuleInit(): Promise<void> {
    if (!this.config.testClock) return;
    const rows = await this.dataSource.query<{ offset_ms: string }[]>(
      `SELECT offset_ms FROM test_clock`,
    );
    if (rows[0]) this.offsetMs = Number(rows[0].offset_ms);
  }

  now(): Date {
    return new Date(Date.now() + this.offsetMs);
  }

  get testClockEnabled(): boolean {
    return this.config.testClock;
  }

  /** Moves the test clock to `to`; it only moves forward. Stored at once ({@link saved}). */
  set(to: Date): void {
    if (!this.config.testClock) throw ApiError.notFound('Route');
    const current = this.now();
    if (to.getTime() < current.getTime()) {
      throw new ApiError(
        'clock_backwards',
        `The test clock only moves forward: it is ${current.toISOString()}, asked for ${to.toISOString()}`,
        { now: current.toISOString() },
      );
    }
    this.offsetMs = to.getTime() - Date.now();
    const offset = this.offsetMs;
    // Chained, so that two moves are stored in the order they were made; the guard keeps the
    // latest setting if several instances move it.
    this.saving = this.saving.then(() =>
      this.dataSource
        .query(
          `INSERT INTO test_clock (id, offset_ms, set_to) VALUES (true, $1, $2)
           ON CONFLICT (id) DO UPDATE SET offset_ms = EXCLUDED.offset_ms, set_to = EXCLUDED.set_to
           WHERE test_clock.set_to <= EXCLUDED.set_to`,
          [offset, to],
        )
        .then(
          () => undefined,
          (error: unknown) => this.logger.error(`the test clock was not stored: ${String(error)}`),
        ),
    );
  }

  /** Resolves once every move so far is stored. */
  saved(): Promise<void> {
    return this.saving;
  }
}
