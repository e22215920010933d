import { Body, Controller, Get, HttpCode, Param, Post, Req, Res } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { ApiBody, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Public } from '../common/auth/auth.decorators';
import { CaseEventDto, MessageDto } from '../cases/case.dto';

import { PortalService } from './portal.service';
import type { CaseMessage } from '../timeline/timeline.service';
import type { PortalView } from './portal.view';
import { ApiAnswer, ApiRefusals } from '../common/openapi/api-answers';
import { binary, ref } from '../common/openapi/schema-kit';

/**
 * The supplier page's API (collaboration.md): no API key, the link's token in the path is the
 * credential (unknown, expired or revoked: 404). Rate limited per client address.
 */
@ApiTags('links')
@Public()
@Controller('v1/portal')
export class PortalController {
  constructor(private readonly portal: PortalService) {}

  @Get(':token')
  @ApiOperation({
    summary: 'The supplier’s view of the link’s case',
    description:
      'Order (items, quantities, ship-to country), problem, state, the events the supplier may ' +
      'send now (`forms`, with their payload fields), evidence, messages, running deadlines.',
  })
  @ApiAnswer(200, 'PortalView')
  view(@Param('token') token: string): Promise<PortalView> {
    return this.portal.view(token);
  }

  @Get(':token/evidence/:evidenceId/content')
  @ApiOperation({
    description:
      "No key: the link's token. The bytes as stored, with their content type; `ETag` is the SHA-256.",
    summary: 'An uploaded file of the link’s case (bytes, content-type, etag: "<sha256>")',
  })
  @ApiAnswer(200, null, { mediaTypes: { '*/*': binary } })
  async content(
    @Param('token') token: string,
    @Param('evidenceId') evidenceId: string,
    @Req() req: FastifyRequest,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    await this.portal.streamEvidence(token, evidenceId, req, reply);
  }

  @Post(':token/events')
  @HttpCode(200)
  @ApiOperation({
    summary: 'Send a supplier event {type, payload} to the link’s case',
    description:
      'As the events route: 400 for an unknown event or a bad payload, 403 for an event that ' +
      'is not the supplier’s, 409 when the state does not accept it. Answers the view.',
  })
  @ApiBody({ schema: ref('CaseEvent') })
  @ApiAnswer(200, 'PortalView')
  @ApiRefusals({ 409: 'invalid_transition: the state does not accept this event' })
  event(@Param('token') token: string, @Body() dto: CaseEventDto): Promise<PortalView> {
    return this.portal.sendEvent(token, dto);
  }

  @Post(':token/messages')
  @ApiOperation({
    description:
      "No key: the link's token. Refused on a closed case (409); the merchant is notified (merchant.message).",
    summary: 'A message from the supplier {text}: a MESSAGE entry on the case',
  })
  @ApiAnswer(201, 'Message')
  @ApiRefusals({ 409: 'invalid_transition: the case is closed' })
  message(@Param('token') token: string, @Body() dto: MessageDto): Promise<CaseMessage> {
    return this.portal.sendMessage(token, dto.text);
  }
}
