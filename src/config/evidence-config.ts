import { ConfigError } from './config-error';

type Env = Record<string, string | undefined>;

const MiB = 1024 * 1024;

/** The default limits (evidence.md "Uploads"), in MiB, at `REDRESS_MAX_UPLOAD_MB=200`. */
export const DEFAULT_VIDEO_LIMIT_MB = 200;
export const DEFAULT_FILE_LIMIT_MB = 15;

/** Where uploaded evidence is kept (evidence.md "Storage"). */
export type EvidenceStoreConfig =
  | { kind: 'fs' }
  | {
      kind: 's3';
      bucket: string;
      /** An S3-compatible server (MinIO, R2...); null: AWS itself. Addressed path-style when set. */
      endpoint: string | null;
      region: string;
    };

/** The variables of evidence uploads. */
export interface EvidenceConfig {
  evidenceStore: EvidenceStoreConfig;
  /** Largest upload of each kind of evidence, in bytes. */
  uploadLimits: { video: number; file: number };
}

/**
 * `REDRESS_MAX_UPLOAD_MB` is the largest upload (a video, 200 by default); photos, documents and
 * tracking files keep their 15-to-200 share of it, so the one variable scales both.
 */
export function uploadLimits(maxMb: number): { video: number; file: number } {
  return {
    video: Math.floor(maxMb * MiB),
    file: Math.floor((maxMb * MiB * DEFAULT_FILE_LIMIT_MB) / DEFAULT_VIDEO_LIMIT_MB),
  };
}

/** Reads and validates the evidence variables; throws {@link ConfigError} naming the bad one. */
export function loadEvidenceConfig(env: Env): EvidenceConfig {
  const rawMax = env.REDRESS_MAX_UPLOAD_MB;
  let maxMb = DEFAULT_VIDEO_LIMIT_MB;
  if (rawMax !== undefined && rawMax !== '') {
    maxMb = Number(rawMax);
    if (!/^\d+(\.\d+)?$/.test(rawMax.trim()) || !(maxMb > 0) || maxMb > 10_240) {
      throw new ConfigError(
        `REDRESS_MAX_UPLOAD_MB must be a number of MiB above 0 and at most 10240 (got "${rawMax}")`,
      );
    }
  }
  return { evidenceStore: storeConfig(env), uploadLimits: uploadLimits(maxMb) };
}

function storeConfig(env: Env): EvidenceStoreConfig {
  const kind = env.REDRESS_EVIDENCE_STORE || 'fs';
  if (kind === 'fs') return { kind };
  if (kind !== 's3') {
    throw new ConfigError(`REDRESS_EVIDENCE_STORE must be one of fs, s3 (got "${kind}")`);
  }
  const bucket = env.REDRESS_S3_BUCKET;
  if (!bucket)
    throw new ConfigError('REDRESS_S3_BUCKET is required when REDRESS_EVIDENCE_STORE=s3');
  const endpoint = env.REDRESS_S3_ENDPOINT || null;
  if (endpoint !== null) {
    let url: URL | null = null;
    try {
      url = new URL(endpoint);
    } catch {
      url = null;
    }
    if (!url || (url.protocol !== 'http:' && url.protocol !== 'https:')) {
      throw new ConfigError(`REDRESS_S3_ENDPOINT must be an http(s) URL (got "${endpoint}")`);
    }
  }
  return {
    kind,
    bucket,
    endpoint,
    region: env.REDRESS_S3_REGION || env.AWS_REGION || 'us-east-1',
  };
}
