import {
  Body,
  CanActivate,
  Controller,
  ExecutionContext,
  Get,
  HttpCode,
  Injectable,
  Post,
  UseGuards,
} from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { FastifyRequest } from 'fastify';
import { Clock } from '../common/clock/clock.service';
import { ApiError } from '../common/errors/api-error';
import { parseInstant } from '../common/validation/validators';
import { SetTestClockDto } from './deadlines.dto';
import { NotificationDispatcher } from '../notifications/dispatcher/notification-dispatcher.service';
import { TimerScheduler } from './timer-scheduler.service';
import { ApiAnswer, ApiRefusals } from '../common/openapi/api-answers';

/**
 * Without REDRESS_TEST_CLOCK the routes answer as an unknown route does (404), to every key, ops
 * included; with it, only ops keys may use them. A guard rather than `@Roles('ops')`, so that it
 * runs before the body is validated (no 400 or 403 that would tell the route exists).
 */
@Injectable()
export class TestClockGuard implements CanActivate {
  constructor(private readonly clock: Clock) {}

  canActivate(context: ExecutionContext): boolean {
    const request = context.switchToHttp().getRequest<FastifyRequest>();
    if (!this.clock.testClockEnabled) {
      throw new ApiError('not_found', `Cannot ${request.method} ${request.url}`);
    }
    if (request.principal?.kind !== 'ops') {
      throw new ApiError('forbidden', 'The test clock needs an ops key');
    }
    return true;
  }
}

/** The test clock (api.md): moves the one clock every part reads, then fires what is due. */
@ApiTags('test-clock')
@ApiBearerAuth()
@UseGuards(TestClockGuard)
@Controller('v1/test-clock')
export class TestClockController {
  constructor(
    private readonly clock: Clock,
    private readonly scheduler: TimerScheduler,
    private readonly dispatcher: NotificationDispatcher,
  ) {}

  @Get()
  @ApiOperation({
    description: 'The time the server believes it is. 404 unless REDRESS_TEST_CLOCK=1.',
    summary: 'The server clock (only with REDRESS_TEST_CLOCK=1; ops)',
  })
  @ApiAnswer(200, 'TestClock')
  @ApiRefusals({ 404: 'not_found: the test clock is off' })
  get(): { now: string } {
    return { now: this.clock.now().toISOString() };
  }

  @Post()
  @HttpCode(200)
  @ApiOperation({
    summary: 'Move the clock forward, then fire every timer due (only with REDRESS_TEST_CLOCK=1)',
    description:
      'Sets the clock to `now` (ISO 8601 with offset; it then runs on from there), fires every ' +
      'timer due at `now`, and answers once they are applied: `{now, fired}`. 409 ' +
      '`clock_backwards` for a time before the current one. Timers whose case another ' +
      'transaction holds at that moment are left to that transaction or the next tick.',
  })
  @ApiAnswer(200, 'TestClock')
  @ApiRefusals({
    404: 'not_found: the test clock is off',
    409: 'clock_backwards: the test clock only moves forward',
  })
  async set(@Body() body: SetTestClockDto): Promise<{ now: string; fired: number }> {
    const now = parseInstant(body.now);
    if (!now) throw ApiError.validation([{ field: 'now', problem: 'is not a valid time' }]);
    this.clock.set(now);
    await this.clock.saved();
    // A scheduled tick in flight holds timer locks the drain would skip: let it finish first.
    await this.scheduler.idle();
    const fired = await this.scheduler.drainDue(now);
    // Retries are due on the server's clock too; delivery itself is not awaited (it is HTTP).
    void this.dispatcher.dispatchDue(this.clock.now()).catch(() => undefined);
    return { now: now.toISOString(), fired };
  }
}
