import { Injectable, Logger } from '@nestjs/common';
import { SchedulerRegistry } from '@nestjs/schedule';

/** A piece of periodic work once started: it can say when it is idle and be stopped. */
export interface PeriodicTask {
  /** Resolves once the run in flight (if any) has ended. */
  idle(): Promise<void>;
  /** No further runs; resolves once the run in flight (if any) has ended. */
  stop(): Promise<void>;
}

/**
 * The app's periodic work (the timer scheduler's drain, the notification dispatcher, purges), on
 * `@nestjs/schedule`'s registry: each task is a named interval there (ScheduleModule clears any
 * left at shutdown). A run never overlaps the previous one of its task: a tick that finds it still
 * running is skipped. The first run starts at once, so work that came due while no instance ran
 * is done as soon as one starts. Callers stop their task in `onModuleDestroy`, which awaits the
 * run in flight before the database pool closes.
 */
@Injectable()
export class PeriodicWork {
  private readonly logger = new Logger(PeriodicWork.name);

  constructor(private readonly registry: SchedulerRegistry) {}

  start(name: string, everyMs: number, work: () => Promise<void>): PeriodicTask {
    let inFlight: Promise<void> | null = null;
    let stopped = false;
    const run = () => {
      if (stopped || inFlight) return;
      inFlight = work()
        .catch((error: unknown) => this.logger.error(`${name} failed: ${String(error)}`))
        .finally(() => (inFlight = null));
    };
    const handle = setInterval(run, everyMs);
    handle.unref();
    this.registry.addInterval(name, handle);
    run();
    return {
      idle: async () => {
        await inFlight;
      },
      stop: async () => {
        stopped = true;
        if (this.registry.doesExist('interval', name)) this.registry.deleteInterval(name);
        await inFlight;
      },
    };
  }
}
