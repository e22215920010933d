import type { Readable } from 'node:stream';

/**
 * Where evidence files are kept, by the SHA-256 of their bytes (evidence.md "Storage"): the same
 * bytes are kept once, and a file's name says what its content must hash to, so
 * `npm run verify-evidence` can check it. Two drivers: {@link FsEvidenceStore} (a folder) and
 * {@link S3EvidenceStore} (any S3-compatible server).
 */
export interface EvidenceStore {
  /** Where the upload's temporary files go (on the store's own disk for the file system driver). */
  readonly tempDir: string;
  /**
   * Takes a finished temporary file whose bytes hash to `sha256` into the store (moved: the
   * temporary file is gone afterwards). Kept once: a file already there is left as it is.
   */
  put(tempPath: string, sha256: string, size: number, contentType: string): Promise<void>;
  /** The bytes of a stored file; throws {@link MissingEvidenceFile} when there is none. */
  open(sha256: string): Promise<Readable>;
}

export class MissingEvidenceFile extends Error {
  constructor(readonly sha256: string) {
    super(`no stored evidence file ${sha256}`);
  }
}

/** Nest injection token of the configured {@link EvidenceStore}. */
export const EVIDENCE_STORE = Symbol('EVIDENCE_STORE');

/** The object key (S3) or the path under the store's folder (fs) of a file: `ab/abcdef...`. */
export function storedName(sha256: string): string {
  if (!/^[0-9a-f]{64}$/.test(sha256)) throw new Error(`not a SHA-256: ${sha256}`);
  return `${sha256.slice(0, 2)}/${sha256}`;
}
