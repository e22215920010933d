import { Body, Controller, Get, Param, Post, Req } from '@nestjs/common';
import { ApiConsumes, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { FastifyRequest } from 'fastify';
import { Public } from '../common/auth/auth.decorators';
import { AcceptsMultipart } from '../common/validation/multipart-body';
import type { UploadedEvidence } from '../evidence/evidence.dto';
import { EvidenceService } from '../evidence/evidence.service';
import { BuyerLinks, type BuyerStatement } from './buyer-links.service';
import { BuyerStatementDto } from './buyer.dto';
import type { BuyerView } from './buyer.view';
import { ApiAnswer, ApiRefusals } from '../common/openapi/api-answers';

/**
 * The buyer page's API (evidence.md): no API key, the link's token in the path is the credential
 * (unknown, expired or revoked: 404). Rate limited per client address.
 */
@ApiTags('links')
@Public()
@Controller('v1/buyer')
export class BuyerController {
  constructor(
    private readonly buyer: BuyerLinks,
    private readonly evidence: EvidenceService,
  ) {}

  @Get(':token')
  @ApiOperation({
    description:
      "No key: the link's token. What the buyer may see of its case: its type and status, the order's items, what it sent and how many uploads it has left.",
    summary: 'The buyer’s view: the order’s items and what the buyer sent, nothing else',
  })
  @ApiAnswer(200, 'BuyerView')
  view(@Param('token') token: string): Promise<BuyerView> {
    return this.buyer.view(token);
  }

  @Post(':token/evidence')
  @AcceptsMultipart()
  @ApiConsumes('multipart/form-data')
  @ApiOperation({
    summary: 'A photo or video from the buyer (multipart: `file`, `kind`, `description?`)',
    description:
      'As the evidence route’s upload (types read from the bytes, 413, 415, metadata stripped), ' +
      'by `{kind: "buyer", id: null, via: "link"}`; at most 20 files per link (409 `conflict` ' +
      'then). The merchant gets `merchant.buyer_evidence`.',
  })
  @ApiAnswer(201, 'UploadedEvidence')
  @ApiRefusals({ 409: 'conflict: no uploads left on this link, or the case is closed' })
  upload(@Param('token') token: string, @Req() req: FastifyRequest): Promise<UploadedEvidence> {
    return this.buyer.uploadEvidence(token, (caseId, actor, admit) =>
      this.evidence.upload(caseId, req, actor, {}, admit),
    );
  }

  @Post(':token/statement')
  @ApiOperation({
    summary: 'The buyer’s account {text, items?}: a BUYER_STATEMENT entry on the case',
    description:
      '`items`: SKUs of the order lines concerned (400 for one the order lacks); 409 on a closed ' +
      'case. The merchant gets `merchant.buyer_evidence`.',
  })
  @ApiAnswer(201, 'BuyerStatement')
  statement(
    @Param('token') token: string,
    @Body() dto: BuyerStatementDto,
  ): Promise<BuyerStatement> {
    return this.buyer.statement(token, dto);
  }
}
