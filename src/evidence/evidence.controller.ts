import { Body, Controller, Get, Param, Post, Query, Req, Res } from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiConsumes,
  ApiExtraModels,
  ApiOperation,
  ApiProduces,
  ApiTags,
} from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { actorOf, principalOf, scopeOf } from '../cases/case-callers';
import { CaseService } from '../cases/case.service';
import { Roles } from '../common/auth/auth.decorators';
import { validateBody } from '../common/errors/validation';
import { AcceptsMultipart } from '../common/validation/multipart-body';
import {
  AddEvidenceDto,
  EVIDENCE_REQUEST_BODY,
  PacketQuery,
  UploadedEvidence,
} from './evidence.dto';
import { EvidenceContent } from './evidence-content.service';
import { EvidenceService } from './evidence.service';
import { EvidencePacket } from './packet/evidence-packet.service';
import { ApiAnswer, ApiRefusals } from '../common/openapi/api-answers';
import { binary, ref } from '../common/openapi/schema-kit';

/** Evidence of a case: uploads and links, a file's bytes, the packet. Thin: the rules are in the services. */
@ApiTags('evidence')
@ApiBearerAuth()
@ApiExtraModels(AddEvidenceDto, UploadedEvidence)
@Controller('v1/cases')
export class EvidenceController {
  constructor(
    private readonly cases: CaseService,
    private readonly evidence: EvidenceService,
    private readonly content: EvidenceContent,
    private readonly packet: EvidencePacket,
  ) {}

  @Post(':id/evidence')
  @AcceptsMultipart()
  @ApiConsumes('multipart/form-data', 'application/json')
  @ApiOperation({
    summary: 'Attach evidence: upload a file (multipart) or link one (JSON)',
    description:
      'Appends EVIDENCE_ADDED (no change of state). Multipart: part `file`, fields `kind` and ' +
      '`description`; the type is read from the bytes (415 `unsupported_media_type` otherwise, ' +
      'or when it does not fit `kind`), 413 `payload_too_large` past the limit, and nothing is ' +
      'kept; photos are stored without their metadata and `sha256` is of the bytes stored. ' +
      'JSON: `{kind, url, sha256?, description?}` with an https `url`.',
    requestBody: EVIDENCE_REQUEST_BODY,
  })
  @ApiAnswer(
    201,
    { oneOf: [ref('UploadedEvidence'), ref('LinkedEvidence')] },
    {
      description: 'An upload (`UploadedEvidence`), or a link (`LinkedEvidence`)',
    },
  )
  @ApiRefusals({ 409: 'invalid_transition: the case is closed' })
  async add(@Req() req: FastifyRequest, @Param('id') id: string, @Body() body: unknown) {
    const principal = principalOf(req);
    if (req.isMultipart()) {
      return this.evidence.upload(id, req, actorOf(principal), scopeOf(principal));
    }
    const dto = await validateBody(AddEvidenceDto, body);
    return this.evidence.addLink(id, dto, actorOf(principal), scopeOf(principal));
  }

  @Get(':id/evidence/:evidenceId/content')
  @Roles('ops', 'merchant', 'supplier')
  @ApiOperation({
    summary: "An uploaded file's bytes",
    description:
      'With `content-type`, `content-length` and `etag: "<sha256>"`; `If-None-Match` -> 304.',
  })
  @ApiAnswer(200, null, { mediaTypes: { '*/*': binary } })
  async contentOf(
    @Req() req: FastifyRequest,
    @Res() reply: FastifyReply,
    @Param('id') id: string,
    @Param('evidenceId') evidenceId: string,
  ): Promise<void> {
    await this.cases.get(id, scopeOf(principalOf(req)));
    await this.content.stream(id, evidenceId, req, reply);
  }

  @Get(':id/packet')
  @ApiProduces('application/pdf', 'application/zip')
  @ApiOperation({
    summary: 'The evidence packet: one PDF, or a ZIP with the timeline and every file',
    description:
      'PDF: the case, the timeline (time, actor, event, hash), each photo with its sha256, other ' +
      'evidence with its hash, the chain head and whether it verifies. ZIP: `manifest.json`, ' +
      '`timeline.ndjson` (as the audit export writes it: `npm run verify-export` checks it) and ' +
      '`evidence/<sha256>.<ext>`. Streamed.',
  })
  @ApiAnswer(200, null, {
    headers: ['Content-Disposition'],
    mediaTypes: { 'application/pdf': binary, 'application/zip': binary },
  })
  async packetOf(
    @Req() req: FastifyRequest,
    @Res() reply: FastifyReply,
    @Param('id') id: string,
    @Query() query: PacketQuery,
  ): Promise<void> {
    const row = await this.cases.get(id, scopeOf(principalOf(req)));
    await this.packet.send(row, query.format ?? 'pdf', reply);
  }
}
