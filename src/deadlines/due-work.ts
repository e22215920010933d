import { Injectable, Logger } from '@nestjs/common';

/** Work that comes due with time besides case timers (an order's late-shipment check). */
export type DueDrain = (now: Date) => Promise<number>;

/**
 * Other folders' due work, drained by the timer scheduler's tick and by the test clock right after
 * the case timers: one scheduler, one clock, whatever is due. Registered at module init.
 */
@Injectable()
export class DueWork {
  private readonly logger = new Logger(DueWork.name);
  private readonly drains = new Map<string, DueDrain>();

  register(name: string, drain: DueDrain): void {
    this.drains.set(name, drain);
  }

  /** Runs every drain at `now`; answers how many items fired. A failing drain is logged. */
  async drain(now: Date): Promise<number> {
    let fired = 0;
    for (const [name, drain] of this.drains) {
      try {
        fired += await drain(now);
      } catch (error) {
        this.logger.error(
          `${name} failed: ${error instanceof Error ? error.message : String(error)}`,
        );
      }
    }
    return fired;
  }
}
