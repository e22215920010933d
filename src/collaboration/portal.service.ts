import { Injectable } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { EvidenceContent } from '../evidence/evidence-content.service';
import { CaseService } from '../cases/case.service';
import { caseView } from '../cases/case.view';
import type { Actor, CaseScope } from '../cases/case.types';
import { TimelineService, type CaseMessage } from '../timeline/timeline.service';
import { CaseLinks, type LinkHolder } from './case-links.service';
import { portalView, type PortalView } from './portal.view';

/**
 * What a supplier link's holder may do (collaboration.md, "Supplier link"): read the supplier's
 * view of its one case, send the supplier's events and messages. Every call resolves the token
 * first ({@link CaseLinks.resolve}: 404 for unknown, expired or revoked), then acts as that case's
 * supplier through the case service's one door, with actor `{kind: "supplier", id, via: "link"}`.
 */
@Injectable()
export class PortalService {
  constructor(
    private readonly links: CaseLinks,
    private readonly cases: CaseService,
    private readonly timeline: TimelineService,
    private readonly content: EvidenceContent,
  ) {}

  /** The bytes of an uploaded file of the link's case (404 for another case's or a link's). */
  async streamEvidence(
    token: string,
    evidenceId: string,
    request: FastifyRequest,
    reply: FastifyReply,
  ): Promise<void> {
    const holder = await this.links.resolve(token, 'supplier');
    await this.content.stream(holder.caseId, evidenceId, request, reply);
  }

  /** The supplier's view of the link's case. */
  async view(token: string): Promise<PortalView> {
    const holder = await this.links.resolve(token, 'supplier');
    return this.viewOf(holder, token);
  }

  /** A supplier event `{type, payload}` on the link's case; answers the view as it is now. */
  async sendEvent(
    token: string,
    event: { type: string; payload?: Record<string, unknown> },
  ): Promise<PortalView> {
    const holder = await this.links.resolve(token, 'supplier');
    await this.cases.apply(holder.caseId, {
      type: event.type,
      payload: event.payload ?? {},
      actor: actorOf(holder),
      scope: scopeOf(holder),
    });
    return this.viewOf(holder, token);
  }

  /** A message from the supplier: a `MESSAGE` event through the same door. */
  async sendMessage(token: string, text: string): Promise<CaseMessage> {
    const holder = await this.links.resolve(token, 'supplier');
    const actor = actorOf(holder);
    const result = await this.cases.apply(holder.caseId, {
      type: 'MESSAGE',
      payload: { text },
      actor,
      scope: scopeOf(holder),
    });
    return {
      seq: result.version,
      at: result.row.updated_at.toISOString(),
      from: actor,
      text,
    };
  }

  private async viewOf(holder: LinkHolder, token: string): Promise<PortalView> {
    const [row, messages] = await Promise.all([
      this.cases.get(holder.caseId, scopeOf(holder)),
      this.timeline.messages(holder.caseId),
    ]);
    return portalView(caseView(row, 'supplier'), {
      language: holder.supplierLanguage,
      expiresAt: holder.expiresAt,
      messages,
      // An uploaded file is read through the link, not the key-only case route.
      contentUrl: (evidenceId) =>
        `/v1/portal/${encodeURIComponent(token)}/evidence/${evidenceId}/content`,
    });
  }
}

function actorOf(holder: LinkHolder): Actor {
  return { kind: 'supplier', id: holder.supplierId, via: 'link' };
}

function scopeOf(holder: LinkHolder): CaseScope {
  return { supplierId: holder.supplierId };
}
