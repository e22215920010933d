import { Controller, Get, HttpCode, Param, Post, Query, Res } from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiOperation,
  ApiProduces,
  ApiPropertyOptional,
  ApiTags,
} from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsInt, IsOptional, Matches, Max, Min } from 'class-validator';
import type { FastifyReply } from 'fastify';
import { Roles } from '../../common/auth/auth.decorators';
import { CheckpointService } from './checkpoint.service';
import { ApiAnswer } from '../../common/openapi/api-answers';
import { nullable, ref, str } from '../../common/openapi/schema-kit';

export class ListCheckpointsQuery {
  @ApiPropertyOptional({ minimum: 1, maximum: 500, default: 50 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(500)
  limit?: number;

  @ApiPropertyOptional({ description: "The previous page's `nextCursor`" })
  @IsOptional()
  @Matches(/^\d{1,18}$/, { message: 'cursor is not a cursor this API returned' })
  cursor?: string;
}

/** Signed checkpoints of the case heads (hardening.md, "Signed checkpoints"); ops only. */
@ApiTags('operations')
@ApiBearerAuth()
@Roles('ops')
@Controller('v1/audit/checkpoints')
export class CheckpointsController {
  constructor(private readonly checkpoints: CheckpointService) {}

  @Post()
  @HttpCode(201)
  @ApiOperation({
    summary: 'Sign the current case heads now and append the checkpoint',
    description:
      '`{id, at, root, count, signature}`. root: SHA-256 Merkle root (RFC 6962 tree) of the ' +
      'heads in caseId order, leaf = SHA-256(0x00 || "caseId:seq:hash"), node = SHA-256(0x01 || ' +
      'left || right); signature: Ed25519, base64, over "redress-checkpoint:v1:<at>:<count>:<root>".',
  })
  @ApiAnswer(201, nullable(ref('Checkpoint')), {
    description: 'The checkpoint; null when no case has an entry yet',
  })
  create() {
    return this.checkpoints.create();
  }

  @Get()
  @ApiOperation({
    description:
      "Ops only. Each checkpoint signs the Merkle root of every case's timeline head at a moment (Ed25519); `publicKey` verifies them offline.",
    summary: 'Checkpoints, newest first, with the public key that verifies them',
  })
  @ApiAnswer(200, 'CheckpointPage')
  list(@Query() query: ListCheckpointsQuery) {
    return this.checkpoints.list(query.limit ?? 50, query.cursor);
  }

  @Get(':id/check')
  @ApiOperation({
    summary: 'Check a checkpoint against the timeline as it is now',
    description:
      'Recomputes the heads as of the checkpoint from the append-only timeline and compares ' +
      'their root, count and the signature: `valid: false` with `problem` when a chain was ' +
      'rewritten since, even with recomputed hashes.',
  })
  @ApiAnswer(200, 'CheckpointCheck')
  check(@Param('id') id: string) {
    return this.checkpoints.check(id);
  }

  @Get(':id/heads')
  @ApiProduces('application/x-ndjson')
  @ApiOperation({
    description: 'Ops only. One JSON line for the checkpoint, then one per case head it signed.',
    summary: 'The checkpoint and its heads as NDJSON, for `npm run verify-export -- --checkpoints`',
  })
  @ApiAnswer(200, null, { mediaTypes: { 'application/x-ndjson': str } })
  async heads(@Param('id') id: string, @Res() reply: FastifyReply): Promise<FastifyReply> {
    const stream = await this.checkpoints.headsFile(id);
    return reply
      .status(200)
      .header('content-type', 'application/x-ndjson; charset=utf-8')
      .header('cache-control', 'no-store')
      .send(stream);
  }
}
