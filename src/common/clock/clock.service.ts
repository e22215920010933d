import { Inject, Injectable } from '@nestjs/common';
import { APP_CONFIG, AppConfig } from '../../config/app-config';
import { ApiError } from '../errors/api-error';

/**
 * The one clock every part reads: the scheduler, the case service, webhook timestamp checks,
 * idempotency expiry. Real time, unless the test clock (REDRESS_TEST_CLOCK=1) moved it: then it is
 * real time shifted by the offset set, so it keeps running from where it was set.
 */
@Injectable()
export class Clock {
  private offsetMs = 0;

  constructor(@Inject(APP_CONFIG) private readonly config: AppConfig) {}

  now(): Date {
    return new Date(Date.now() + this.offsetMs);
  }

  get testClockEnabled(): boolean {
    return this.config.testClock;
  }

  /** Moves the test clock to `to`; it only moves forward. */
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
  }
}
