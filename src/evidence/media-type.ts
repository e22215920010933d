import { fromBuffer } from 'file-type';

/** What a client says it sends (evidence.md): the kind decides which types fit and the limit. */
export const EVIDENCE_KINDS = ['photo', 'video', 'document', 'tracking'] as const;
export type EvidenceKind = (typeof EVIDENCE_KINDS)[number];

/** The accepted types, as read from the bytes (never from a name or a declared type). */
export const IMAGE_TYPES = ['image/jpeg', 'image/png', 'image/webp', 'image/heic'] as const;
export const VIDEO_TYPES = ['video/mp4', 'video/quicktime'] as const;
export const PDF_TYPE = 'application/pdf';
export type MediaType =
  | (typeof IMAGE_TYPES)[number]
  | (typeof VIDEO_TYPES)[number]
  | 'application/pdf';

/** Bytes enough for every signature above (file-type reads at most this many of a buffer). */
export const SNIFF_BYTES = 4100;

/**
 * file-type's answers we accept, as the content type we store. HEIF stills (`mif1` brand) are the
 * HEIC family; an `.m4v` is an MP4.
 */
const ACCEPTED: Record<string, MediaType> = {
  'image/jpeg': 'image/jpeg',
  'image/png': 'image/png',
  'image/webp': 'image/webp',
  'image/heic': 'image/heic',
  'image/heif': 'image/heic',
  'video/mp4': 'video/mp4',
  'video/x-m4v': 'video/mp4',
  'video/quicktime': 'video/quicktime',
  'application/pdf': 'application/pdf',
};

/** The content type of the first bytes of a file, or null when it is none we accept. */
export async function sniffMediaType(head: Buffer): Promise<MediaType | null> {
  const found = await fromBuffer(head);
  if (!found) return null;
  // file-type 16 maps every ISO-BMFF brand it does not know to video/mp4; only real MP4 brands count.
  if (found.mime === 'video/mp4' && found.ext !== 'mp4' && found.ext !== 'm4v') return null;
  return ACCEPTED[found.mime] ?? null;
}

/** Which types each kind may be: a PDF is no photo, a photo no video. */
export function fitsKind(kind: EvidenceKind, type: MediaType): boolean {
  const image = (IMAGE_TYPES as readonly string[]).includes(type);
  switch (kind) {
    case 'photo':
      return image;
    case 'video':
      return (VIDEO_TYPES as readonly string[]).includes(type);
    case 'document':
    case 'tracking':
      // A scanned receipt or a carrier's screenshot is an image as often as a PDF.
      return image || type === PDF_TYPE;
  }
}

export function isImage(type: MediaType): boolean {
  return (IMAGE_TYPES as readonly string[]).includes(type);
}

/** The largest upload of a kind, in bytes (see evidence-config.ts). */
export function limitFor(kind: EvidenceKind, limits: { video: number; file: number }): number {
  return kind === 'video' ? limits.video : limits.file;
}
