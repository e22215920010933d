import { Inject, Injectable } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { ApiError } from '../common/errors/api-error';
import { isUuid } from '../common/validation/uuid-param.pipe';
import { EvidenceRepository } from './evidence.repository';
import { extensionOf } from './packet/packet-content';
import { EVIDENCE_STORE, type EvidenceStore, MissingEvidenceFile } from './store/evidence-store';

/** Whether `If-None-Match` names this entity tag (or `*`); weak tags compare as strong ones. */
export function matchesEtag(header: string | string[] | undefined, etag: string): boolean {
  if (header === undefined) return false;
  const tags = (Array.isArray(header) ? header.join(',') : header).split(',').map((t) => t.trim());
  return tags.some((tag) => tag === '*' || tag.replace(/^W\//, '') === etag);
}

/**
 * The bytes of an uploaded evidence file (evidence.md): streamed from the store with their
 * `content-type`, `content-length` and `etag: "<sha256>"`, so a client can re-hash what it got;
 * `If-None-Match` with that tag answers 304. Callers check who may read the case first: the
 * case API by the caller's scope, a supplier portal link by its token.
 */
@Injectable()
export class EvidenceContent {
  constructor(
    private readonly repository: EvidenceRepository,
    @Inject(EVIDENCE_STORE) private readonly store: EvidenceStore,
  ) {}

  /**
   * Sends evidence `evidenceId` of case `caseId` on `reply` (already allowed to read that case).
   * 404 when the case has no such uploaded file (a link has no bytes here).
   */
  async stream(
    caseId: string,
    evidenceId: string,
    request: FastifyRequest,
    reply: FastifyReply,
  ): Promise<void> {
    if (!isUuid(caseId) || !isUuid(evidenceId)) throw ApiError.notFound('Evidence');
    const row = await this.repository.find(caseId, evidenceId);
    if (!row || !row.content_type || !row.sha256) throw ApiError.notFound('Evidence');
    const etag = `"${row.sha256}"`;
    void reply.header('etag', etag).header('cache-control', 'private, max-age=0, must-revalidate');
    if (matchesEtag(request.headers['if-none-match'], etag)) {
      await reply.status(304).send();
      return;
    }
    let body;
    try {
      body = await this.store.open(row.sha256);
    } catch (error) {
      if (error instanceof MissingEvidenceFile) {
        request.log.error({ caseId, evidenceId, sha256: row.sha256 }, 'evidence file missing');
        throw ApiError.notFound('Evidence file');
      }
      throw error;
    }
    const name = `${evidenceId}.${extensionOf(row.content_type)}`;
    await reply
      .status(200)
      .header('content-type', row.content_type)
      .header('content-length', String(row.size))
      .header('content-disposition', `inline; filename="${name}"`)
      .send(body);
  }
}
