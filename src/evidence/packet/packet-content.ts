import type { CaseRow } from '../../cases/case.types';
import type { EvidenceFileRow } from '../evidence.repository';

const EXTENSIONS: Record<string, string> = {
  'image/jpeg': 'jpg',
  'image/png': 'png',
  'image/webp': 'webp',
  'image/heic': 'heic',
  'video/mp4': 'mp4',
  'video/quicktime': 'mov',
  'application/pdf': 'pdf',
};

/** The file name extension of a stored type. */
export const extensionOf = (contentType: string): string => EXTENSIONS[contentType] ?? 'bin';

/** The case as the packet shows it (no caller-specific fields). */
export interface PacketCase {
  id: string;
  merchantId: string;
  supplierId: string;
  type: string;
  state: string;
  status: string;
  outcome: string | null;
  order: Record<string, unknown>;
  description: string | null;
  preferredResolution: string | null;
  version: number;
  createdAt: string;
  closedAt: string | null;
}

/** One evidence item as the packet lists it; `file` is its path inside the ZIP. */
export interface PacketEvidence {
  id: string;
  kind: string;
  description: string | null;
  url: string | null;
  contentType: string | null;
  size: number | null;
  sha256: string | null;
  file: string | null;
  addedBy: unknown;
  createdAt: string;
}

export function packetCase(row: CaseRow): PacketCase {
  return {
    id: row.id,
    merchantId: row.merchant_id,
    supplierId: row.supplier_id,
    type: row.type,
    state: row.state,
    status: row.status,
    outcome: row.outcome,
    order: row.order_snapshot,
    description: row.description,
    preferredResolution: row.preferred_resolution,
    version: row.version,
    createdAt: new Date(row.created_at).toISOString(),
    closedAt: row.closed_at ? new Date(row.closed_at).toISOString() : null,
  };
}

export function packetEvidence(row: EvidenceFileRow): PacketEvidence {
  const stored = row.content_type !== null && row.sha256 !== null;
  return {
    id: row.id,
    kind: row.kind,
    description: row.description,
    url: row.url,
    contentType: row.content_type,
    size: row.size === null ? null : Number(row.size),
    sha256: row.sha256,
    file: stored ? `evidence/${row.sha256}.${extensionOf(row.content_type!)}` : null,
    addedBy: row.added_by,
    createdAt: new Date(row.created_at).toISOString(),
  };
}
