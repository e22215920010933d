import { Body, Controller, Get, Param, Post, Req } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { FastifyRequest } from 'fastify';
import { TimelineService, type CaseMessage } from '../timeline/timeline.service';
import { MessageDto } from './case.dto';
import { CaseService } from './case.service';
import { Roles } from '../common/auth/auth.decorators';
import { actorOf, principalOf, scopeOf } from './case-callers';
import { ApiAnswer, ApiRefusals } from '../common/openapi/api-answers';

/**
 * The case's one message thread, shared by the merchant, the supplier and ops (collaboration.md).
 * A message is a `MESSAGE` event through the same door as every event: it is refused on a closed
 * case (409) and tells the other side. Supplier keys too, on their own cases.
 */
@ApiTags('cases')
@ApiBearerAuth()
@Roles('ops', 'merchant', 'supplier')
@Controller('v1/cases/:id/messages')
export class CaseMessagesController {
  constructor(
    private readonly cases: CaseService,
    private readonly timeline: TimelineService,
  ) {}

  @Post()
  @ApiOperation({
    description:
      'Merchant, supplier (its own cases) or ops. Refused on a closed case (409); the other side is notified (merchant.message / supplier.message).',
    summary: 'Post a message on the case’s thread (a MESSAGE entry; no change of state)',
  })
  @ApiAnswer(201, 'Message')
  @ApiRefusals({ 409: 'invalid_transition: the case is closed' })
  async post(
    @Req() req: FastifyRequest,
    @Param('id') id: string,
    @Body() dto: MessageDto,
  ): Promise<CaseMessage> {
    const principal = principalOf(req);
    const actor = actorOf(principal);
    const result = await this.cases.apply(id, {
      type: 'MESSAGE',
      payload: { text: dto.text },
      actor,
      scope: scopeOf(principal),
    });
    return {
      seq: result.version,
      at: new Date(result.row.updated_at).toISOString(),
      from: actor,
      text: dto.text,
    };
  }

  @Get()
  @ApiOperation({
    description: "The case's MESSAGE entries: who wrote (`from`), when, and the text.",
    summary: 'The case’s message thread, oldest first',
  })
  @ApiAnswer(200, 'MessageList')
  async list(@Req() req: FastifyRequest, @Param('id') id: string) {
    await this.cases.get(id, scopeOf(principalOf(req)));
    return { items: await this.timeline.messages(id) };
  }
}
