import { Injectable } from '@nestjs/common';
import { createHash, randomBytes } from 'node:crypto';
import { Clock } from '../common/clock/clock.service';
import { ApiError } from '../common/errors/api-error';
import { SecretBox } from '../common/secrets/secret-box';
import { CaseLinksRepository } from './case-links.repository';
import { linkExpiresAt, linkIsLive, linkLifetimeEnd, type LinkAudience } from './link-expiry';

/** Random bytes of a token: 256 bits, 43 base64url characters. */
const TOKEN_BYTES = 32;
/** What a token looks like; anything else is unknown without a lookup. */
const TOKEN_SHAPE = /^[A-Za-z0-9_-]{43}$/;
/** Where each audience's page lives: `/s/<token>`, `/b/<token>`. */
const PAGE_PREFIX: Record<LinkAudience, string> = { supplier: '/s/', buyer: '/b/' };

/** A link as answered once at creation: the token is never shown by the API again. */
export interface CreatedLink {
  url: string;
  token: string;
  expiresAt: string;
}

/** Who holds a live link: its case, and what its pages need to know of it. */
export interface LinkHolder {
  linkId: string;
  caseId: string;
  supplierId: string;
  supplierLanguage: string | null;
  buyerLanguage: string | null;
  expiresAt: Date;
  uploads: number;
}

function hashToken(token: string): Buffer {
  return createHash('sha256').update(token, 'utf8').digest();
}

const sealPurpose = (audience: LinkAudience) => `case-link:${audience}`;

/**
 * Case links (collaboration.md "Supplier link", evidence.md "The buyer's link"): a bearer token,
 * random, bound to one case and one audience. It is stored as its SHA-256 (how it is looked up:
 * the comparison is on the hash, so its timing says nothing of a valid token) and sealed with the
 * app's {@link SecretBox} (so a notification can carry the live link); never in plain text.
 *
 * {@link resolve} is the one door every link route goes through: an unknown, expired or revoked
 * token is the same 404 `not_found`.
 */
@Injectable()
export class CaseLinks {
  constructor(
    private readonly repository: CaseLinksRepository,
    private readonly box: SecretBox,
    private readonly clock: Clock,
  ) {}

  /**
   * A new link to a case (older ones stay valid). A supplier link of a case closed more than 7
   * days ago would be born expired: 409 `conflict` instead.
   */
  async create(
    caseId: string,
    audience: LinkAudience,
    caseClosedAt: Date | null,
  ): Promise<CreatedLink> {
    const now = this.clock.now();
    const storedEnd = linkLifetimeEnd(audience, now);
    const expiresAt = linkExpiresAt(audience, storedEnd, caseClosedAt);
    if (!linkIsLive({ revokedAt: null, expiresAt }, now)) {
      throw new ApiError('conflict', 'The case closed too long ago for a new link to work');
    }
    const token = randomBytes(TOKEN_BYTES).toString('base64url');
    await this.repository.insert({
      caseId,
      audience,
      tokenHash: hashToken(token),
      tokenSealed: this.box.seal(token, sealPurpose(audience)),
      createdAt: now,
      expiresAt: storedEnd,
    });
    return { url: PAGE_PREFIX[audience] + token, token, expiresAt: expiresAt.toISOString() };
  }

  /** Revokes every link of the case for this audience; their tokens answer 404 from now on. */
  async revokeAll(caseId: string, audience: LinkAudience): Promise<void> {
    await this.repository.revokeAll(caseId, audience, this.clock.now());
  }

  /** The live link's holder, or 404 `not_found` alike for an unknown, expired or revoked token. */
  async resolve(token: string, audience: LinkAudience): Promise<LinkHolder> {
    const row = TOKEN_SHAPE.test(token)
      ? await this.repository.findByHash(hashToken(token), audience)
      : undefined;
    const expiresAt = row && linkExpiresAt(audience, row.expires_at, row.closed_at);
    if (
      !row ||
      !expiresAt ||
      !linkIsLive({ revokedAt: row.revoked_at, expiresAt }, this.clock.now())
    )
      throw ApiError.notFound('Link');
    return {
      linkId: row.id,
      caseId: row.case_id,
      supplierId: row.supplier_id,
      supplierLanguage: row.supplier_language,
      buyerLanguage: row.buyer_language,
      expiresAt,
      uploads: row.uploads,
    };
  }

  /**
   * The URL (`/s/<token>`, relative to this server) of the case's newest supplier link that works
   * at `now`, or null when none does: for `supplierLink` in supplier notifications.
   */
  liveSupplierLink(caseId: string, now: Date): Promise<string | null> {
    return this.live(caseId, 'supplier', now);
  }

  /** The page URL of the case's newest live link for this audience, or null when none works. */
  async live(caseId: string, audience: LinkAudience, now: Date): Promise<string | null> {
    const row = await this.repository.newestUnexpired(caseId, audience, now);
    if (!row) return null;
    const expiresAt = linkExpiresAt(audience, row.expires_at, row.closed_at);
    if (!linkIsLive({ revokedAt: null, expiresAt }, now)) return null;
    return PAGE_PREFIX[audience] + this.box.open(row.token_sealed, sealPurpose(audience));
  }
}
