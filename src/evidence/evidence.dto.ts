import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional, IsString, IsUrl, Matches, MaxLength } from 'class-validator';
import { EVIDENCE_KINDS, type EvidenceKind } from './media-type';

/** The older form: a link to evidence kept elsewhere (api.md). */
export class AddEvidenceDto {
  @ApiProperty({ enum: EVIDENCE_KINDS })
  @IsIn(EVIDENCE_KINDS)
  kind: EvidenceKind;
  @ApiProperty({ example: 'https://cdn.example.com/parcel.jpg' })
  @IsUrl(
    { protocols: ['https'], require_protocol: true, require_tld: false },
    { message: 'url must be an https URL' },
  )
  @MaxLength(2048)
  url: string;
  @ApiPropertyOptional()
  @IsOptional()
  @Matches(/^[0-9a-fA-F]{64}$/, { message: 'sha256 must be 64 hex characters' })
  sha256?: string;
  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(2000) description?: string;
}

/** The text fields of a `multipart/form-data` upload (its `file` part aside). */
export class UploadEvidenceFields {
  @IsIn(EVIDENCE_KINDS) kind: EvidenceKind;
  @IsOptional() @IsString() @MaxLength(2000) description?: string;
}

/** The OpenAPI schemas of `POST /v1/cases/:id/evidence`, by content type. */
export const EVIDENCE_REQUEST_BODY = {
  required: true,
  content: {
    'multipart/form-data': {
      schema: {
        type: 'object',
        required: ['file', 'kind'],
        properties: {
          file: {
            type: 'string',
            format: 'binary',
            description:
              'One file. JPEG, PNG, WebP, HEIC, MP4, QuickTime or PDF, told by its bytes; ' +
              'photos and documents up to 15 MiB, videos up to 200 MiB (REDRESS_MAX_UPLOAD_MB)',
          },
          kind: { type: 'string', enum: [...EVIDENCE_KINDS] },
          description: { type: 'string', maxLength: 2000 },
        },
      },
    },
    'application/json': { schema: { $ref: '#/components/schemas/AddEvidenceDto' } },
  },
};

export class UploadedBy {
  @ApiProperty({ enum: ['merchant', 'ops', 'supplier', 'buyer'] }) kind: string;
  @ApiProperty({ nullable: true, type: String }) id: string | null;
}

/** An uploaded file as answered (201) and listed. */
export class UploadedEvidence {
  @ApiProperty() id: string;
  @ApiProperty({ enum: EVIDENCE_KINDS }) kind: EvidenceKind;
  @ApiProperty({ nullable: true, type: String }) description: string | null;
  @ApiProperty({ example: 'image/jpeg' }) contentType: string;
  @ApiProperty({ description: 'Bytes stored' }) size: number;
  @ApiProperty({ description: 'Hex SHA-256 of the bytes stored (photos: without metadata)' })
  sha256: string;
  @ApiProperty({ example: '/v1/cases/<id>/evidence/<evidenceId>/content' }) contentUrl: string;
  @ApiProperty({ type: UploadedBy }) uploadedBy: UploadedBy;
  @ApiProperty() createdAt: string;
}

export class PacketQuery {
  @ApiPropertyOptional({ enum: ['pdf', 'zip'], default: 'pdf' })
  @IsOptional()
  @IsIn(['pdf', 'zip'])
  format?: 'pdf' | 'zip';
}
