import { join, resolve } from 'node:path';
import type { AppConfig } from '../../config/app-config';
import type { EvidenceStore } from './evidence-store';
import { FsEvidenceStore } from './fs-evidence-store';
import { S3EvidenceStore } from './s3-evidence-store';

/** `<data dir>/evidence`: the file store's folder (scripts/verify-evidence.js reads the same). */
export function evidenceRoot(config: Pick<AppConfig, 'dataDir'>): string {
  return resolve(join(config.dataDir, 'evidence'));
}

/** The store `REDRESS_EVIDENCE_STORE` names; uploads' temporary files under the data dir either way. */
export function createEvidenceStore(config: AppConfig): EvidenceStore {
  const store = config.evidenceStore;
  if (store.kind === 'fs') return new FsEvidenceStore(evidenceRoot(config));
  return new S3EvidenceStore(store, join(evidenceRoot(config), '.tmp'));
}
