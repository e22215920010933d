import {
  Inject,
  Injectable,
  Logger,
  OnApplicationBootstrap,
  OnModuleDestroy,
} from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { CaseService } from '../cases/case.service';
import { DeadlineWarnings } from '../cases/deadline-warnings';
import { Clock } from '../common/clock/clock.service';
import { prepared } from '../database/prepared';
import { DueWork } from './due-work';
import { PeriodicTask, PeriodicWork } from '../common/periodic/periodic-work';
import { APP_CONFIG, AppConfig } from '../config/app-config';

/** Claims run side by side in one drain; each holds one pooled connection while it fires. */
export const DRAIN_CONCURRENCY = 4;
/** Timers claimed per transaction: BEGIN, claim, read and COMMIT are paid once per batch. */
export const CLAIM_BATCH_SIZE = 32;
/** A timer that fails this many times in one drain is left for the next tick. */
export const MAX_ATTEMPTS_PER_DRAIN = 3;

/**
 * Claims up to `$3` due live timers and locks their cases too, skipping any row another
 * transaction holds: the scheduler never waits on a lock (an API transaction's or another
 * instance's), so it cannot deadlock, and two claimers never get the same timer. Locking happens
 * in this statement, the firing in the next ones of the same transaction (no lock-in-one-CTE,
 * update-in-another trap).
 *
 * The case is named first on purpose: PostgreSQL takes the row locks in that order and keeps any
 * it took for a row it then skips. Timer first, a claim that meets a locked case keeps a stray
 * lock on that case's timer while it fires another one; the case's holder then waits on it, and
 * two claimers can deadlock (two psql sessions show the stray lock). Case first, the timer lock
 * never fails: every writer of a case's timers holds the case's lock. `$2` lists the timers this
 * drain gave up on. Served by the partial index `case_timers_due`.
 */
const CLAIM = `
  SELECT t.id FROM cases c JOIN case_timers t ON t.case_id = c.id
  WHERE t.fired_at IS NULL AND t.cancelled_at IS NULL AND t.due_at <= $1
    AND t.id <> ALL($2::bigint[])
  ORDER BY t.due_at LIMIT $3
  FOR UPDATE OF c, t SKIP LOCKED`;

interface DrainState {
  now: Date;
  fired: number;
  attempts: Map<string, number>;
  givenUp: string[];
}

/**
 * Fires due timers (workflows.md, "Deadline / timer") exactly once, with any number of instances.
 *
 * A transaction claims a batch of up to {@link CLAIM_BATCH_SIZE} timers (`FOR UPDATE ... SKIP
 * LOCKED`) and lets {@link CaseService.fireClaimed} apply `TIMER_FIRED` and set `fired_at` for
 * each: the claim and the marks commit together, so a timer is fired once or, on failure, not at
 * all and claimed again. When a batch fails, the loop claims one timer per transaction until one
 * commits, so a timer that keeps failing is isolated, retried {@link MAX_ATTEMPTS_PER_DRAIN} times
 * and left for the next tick, and the others still fire. A drain runs {@link DRAIN_CONCURRENCY}
 * such loops until nothing is due; a timer that sets another one already due (a reminder chain
 * after a clock jump) fires in the same transaction.
 *
 * Ticks run every `schedulerIntervalMs` on {@link PeriodicWork} (`@nestjs/schedule`): two drains
 * of one instance never overlap (a tick that finds one running is skipped), and shutdown awaits
 * the drain in flight.
 */
@Injectable()
export class TimerScheduler implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger(TimerScheduler.name);
  private task: PeriodicTask | null = null;
  private stopping = false;

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly cases: CaseService,
    private readonly warnings: DeadlineWarnings,
    private readonly dueWork: DueWork,
    private readonly clock: Clock,
    private readonly periodic: PeriodicWork,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  onApplicationBootstrap(): void {
    if (!this.config.schedulerEnabled) return;
    this.logger.log(`timer scheduler on, every ${this.config.schedulerIntervalMs} ms`);
    // The first tick at once: timers that came due while no scheduler ran fire as soon as one starts.
    this.task = this.periodic.start('timer-scheduler', this.config.schedulerIntervalMs, () =>
      this.tick(),
    );
  }

  async onModuleDestroy(): Promise<void> {
    this.stopping = true;
    // Runs before the data source closes (onApplicationShutdown), so the drain can finish cleanly.
    await this.task?.stop();
  }

  /** Resolves once the scheduled tick in flight (if any) has ended. */
  async idle(): Promise<void> {
    await this.task?.idle();
  }

  /**
   * Fires every live timer due at `now`, each in its own transaction, and answers how many fired.
   * Timers locked by another transaction are skipped (their owner fires or reschedules them).
   */
  async drainDue(now: Date): Promise<number> {
    const state: DrainState = { now, fired: 0, attempts: new Map(), givenUp: [] };
    await Promise.all(Array.from({ length: DRAIN_CONCURRENCY }, () => this.claimLoop(state)));
    // Other due work (orders' late-shipment checks), after the case timers that were due.
    state.fired += await this.dueWork.drain(now);
    try {
      await this.warnings.sendDue(now);
    } catch (error) {
      // Left for the next tick: the claim and its marks rolled back together.
      this.logger.error(`deadline warnings failed: ${describe(error)}`);
    }
    return state.fired;
  }

  private async tick(): Promise<void> {
    try {
      const fired = await this.drainDue(this.clock.now());
      if (fired > 0) this.logger.debug(`fired ${fired} timer(s)`);
    } catch (error) {
      this.logger.error(`timer drain failed: ${describe(error)}`);
    }
  }

  private async claimLoop(state: DrainState): Promise<void> {
    let size = CLAIM_BATCH_SIZE;
    while (!this.stopping) {
      // Set inside the transaction's callback, read after it failed (an object: no narrowing).
      const claim: { ids: string[] } = { ids: [] };
      try {
        const fired = await this.dataSource.transaction(async (tx) => {
          const rows = await tx.query<{ id: string }[]>(prepared(CLAIM), [
            state.now,
            state.givenUp,
            size,
          ]);
          claim.ids = rows.map((r) => r.id);
          return this.cases.fireClaimed(tx, claim.ids, state.now);
        });
        if (claim.ids.length === 0) return;
        // Counted once committed: a commit that fails fired nothing.
        state.fired += fired;
        size = CLAIM_BATCH_SIZE;
      } catch (error) {
        if (claim.ids.length === 0) {
          // The claim itself failed (database unreachable): stop this loop, the next tick retries.
          this.logger.error(`timer claim failed: ${describe(error)}`);
          return;
        }
        if (claim.ids.length > 1) {
          this.logger.warn(`a batch of ${claim.ids.length} timers failed, retrying one by one`);
          size = 1;
        } else {
          this.failed(state, claim.ids[0], error);
        }
      }
    }
  }

  /** Its transaction rolled back, so the timer is still due; retry a little, then let it be. */
  private failed(state: DrainState, timerId: string, error: unknown): void {
    const attempts = (state.attempts.get(timerId) ?? 0) + 1;
    state.attempts.set(timerId, attempts);
    const giveUp = attempts >= MAX_ATTEMPTS_PER_DRAIN;
    if (giveUp) state.givenUp.push(timerId);
    this.logger.error(
      `timer ${timerId} failed to fire (attempt ${attempts}${giveUp ? ', left for the next tick' : ''}): ${describe(error)}`,
    );
  }
}

function describe(error: unknown): string {
  return error instanceof Error ? `${error.name}: ${error.message}` : String(error);
}
