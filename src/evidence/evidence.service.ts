import { Inject, Injectable } from '@nestjs/common';
import { rm } from 'node:fs/promises';
import type { FastifyRequest } from 'fastify';
import type { EntityManager } from 'typeorm';
import { CaseService } from '../cases/case.service';
import type { Actor, CaseRow, CaseScope, Fact } from '../cases/case.types';
import { evidenceContentUrl } from '../cases/case.view';
import { ApiError } from '../common/errors/api-error';
import { APP_CONFIG, type AppConfig } from '../config/app-config';
import type { AddEvidenceDto, UploadedEvidence } from './evidence.dto';
import { EvidenceRepository, type NewEvidenceRow } from './evidence.repository';
import { hashFile, receiveUpload, type ReceivedUpload } from './evidence-upload';
import { UnreadableImage, withoutMetadata } from './image-metadata';
import { fitsKind, isImage, sniffMediaType, type MediaType } from './media-type';
import { EVIDENCE_STORE, type EvidenceStore } from './store/evidence-store';

/** 409 for evidence sent to a closed case. */
function closedToEvidence(row: CaseRow): ApiError {
  return new ApiError('invalid_transition', 'The case is closed: it accepts no evidence', {
    state: row.state,
    allowedEvents: [],
  });
}

const counts = (row: CaseRow, kind: string): Fact<unknown>['counts'] => ({
  evidence_count: row.evidence_count + 1,
  photo_video_count: row.photo_video_count + (kind === 'photo' || kind === 'video' ? 1 : 0),
});

/**
 * Evidence on a case (evidence.md): a link (the older JSON form) or an uploaded file, each an
 * `EVIDENCE_ADDED` entry written with its row through the case service's one door
 * ({@link CaseService.appendFact}); a closed case refuses both.
 *
 * An upload is read into a temporary file, typed from its bytes (415 for anything else than the
 * kind allows), stripped of its metadata when it is an image, hashed as stored, put into the
 * {@link EvidenceStore} under that hash, and only then recorded: a refused upload leaves no file,
 * no row and no entry.
 */
@Injectable()
export class EvidenceService {
  constructor(
    private readonly cases: CaseService,
    private readonly repository: EvidenceRepository,
    @Inject(EVIDENCE_STORE) private readonly store: EvidenceStore,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /** The JSON form: `{kind, url, sha256?, description?}` (api.md). */
  async addLink(caseId: string, dto: AddEvidenceDto, actor: Actor, scope: CaseScope) {
    return this.cases.appendFact(caseId, scope, async (tx, row, at) => {
      if (row.status === 'closed') throw closedToEvidence(row);
      const sha256 = dto.sha256 ?? null;
      const description = dto.description ?? null;
      const { kind, url } = dto;
      const evidence = { caseId, kind, description, sha256, url, file: null, addedBy: actor, at };
      const id = await this.repository.insert(tx, evidence);
      return {
        type: 'EVIDENCE_ADDED',
        actor,
        payload: { evidenceId: id, kind, url, sha256, description },
        counts: counts(row, kind),
        result: {
          id,
          caseId,
          kind,
          url,
          sha256,
          description,
          addedBy: actor,
          createdAt: at.toISOString(),
        },
      };
    });
  }

  /**
   * A `multipart/form-data` upload to a case (part `file`, fields `kind`, `description`), by
   * `actor` within `scope`. The door every upload route goes through: the API's, and a buyer's
   * link (which checks its token, then calls this with its own actor and an empty scope).
   * 404 outside the scope and 409 for a closed case come before the body is read. `admit`, when
   * given, runs under the case's lock just before the row and entry are written, in their
   * transaction (a link's "at most 20 files" counted where no concurrent upload can slip past);
   * what it throws is the answer, and the stored file stays unreferenced (kept by its hash).
   */
  async upload(
    caseId: string,
    request: FastifyRequest,
    actor: Actor,
    scope: CaseScope,
    admit?: (tx: EntityManager, row: CaseRow) => Promise<void>,
  ): Promise<UploadedEvidence> {
    const current = await this.cases.get(caseId, scope);
    if (current.status === 'closed') throw closedToEvidence(current);
    const received = await receiveUpload(request, this.store.tempDir, this.config.uploadLimits);
    const clean = `${received.path}.clean`;
    try {
      const type = await this.typeOf(received);
      const stored = await this.storable(type, received, clean);
      await this.store.put(stored.path, stored.sha256, stored.size, type);
      return await this.record(caseId, scope, actor, received, { ...stored, type }, admit);
    } finally {
      await rm(received.path, { force: true });
      await rm(clean, { force: true });
    }
  }

  /** The type read from the bytes; 415 when it is none we take or not one of the kind's. */
  private async typeOf(received: ReceivedUpload): Promise<MediaType> {
    const type = await sniffMediaType(received.head);
    if (!type) {
      throw new ApiError(
        'unsupported_media_type',
        'The file is none of JPEG, PNG, WebP, HEIC, MP4, QuickTime or PDF (read from its bytes)',
      );
    }
    if (!fitsKind(received.kind, type)) {
      throw new ApiError(
        'unsupported_media_type',
        `The file is ${type}, which ${received.kind} evidence cannot be`,
        {
          contentType: type,
        },
      );
    }
    return type;
  }

  /** The file as it will be stored: an image without its metadata, anything else as received. */
  private async storable(type: MediaType, received: ReceivedUpload, clean: string) {
    if (!isImage(type))
      return { path: received.path, size: received.size, sha256: received.sha256 };
    let path: string;
    try {
      path = await withoutMetadata(type, received.path, clean);
    } catch (error) {
      if (error instanceof UnreadableImage) {
        throw new ApiError(
          'unsupported_media_type',
          `The ${type} file cannot be read: ${error.message}`,
        );
      }
      throw error;
    }
    return { path, ...(await hashFile(path)) };
  }

  private async record(
    caseId: string,
    scope: CaseScope,
    actor: Actor,
    received: ReceivedUpload,
    stored: { type: MediaType; size: number; sha256: string },
    admit?: (tx: EntityManager, row: CaseRow) => Promise<void>,
  ): Promise<UploadedEvidence> {
    const { kind, description } = received;
    const { type: contentType, size, sha256 } = stored;
    return this.cases.appendFact(caseId, scope, async (tx, row, at) => {
      if (row.status === 'closed') throw closedToEvidence(row);
      await admit?.(tx, row);
      const evidence: NewEvidenceRow = {
        caseId,
        kind,
        description,
        sha256,
        url: null,
        file: { contentType, size },
        addedBy: actor,
        at,
      };
      const id = await this.repository.insert(tx, evidence);
      return {
        type: 'EVIDENCE_ADDED',
        actor,
        payload: { evidenceId: id, kind, contentType, size, sha256 },
        counts: counts(row, kind),
        result: {
          id,
          kind,
          description,
          contentType,
          size,
          sha256,
          contentUrl: evidenceContentUrl(caseId, id),
          uploadedBy: { kind: actor.kind, id: actor.id },
          createdAt: at.toISOString(),
        },
      };
    });
  }
}
