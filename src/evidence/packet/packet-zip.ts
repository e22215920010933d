import type { Ledger } from '../../money/money.service';
import archiver from 'archiver';
import { once } from 'node:events';
import type { Readable } from 'node:stream';
import type { PacketCase, PacketEvidence } from './packet-content';

export interface ZipSources {
  summary: PacketCase;
  /** The case's claim and ledger (money.md). */
  ledger: Ledger;
  evidence: PacketEvidence[];
  head: { hash: string; valid: boolean; problem?: string };
  /** The case's entries as the audit export writes them (NDJSON). */
  timeline: () => Readable;
  open(sha256: string): Promise<Readable>;
}

/**
 * The packet as a ZIP (evidence.md): `manifest.json` (the case, the evidence with its hashes, the
 * chain's head), `timeline.ndjson` (exactly the audit export's lines for the case, so
 * `npm run verify-export` checks it offline) and every stored file once under `evidence/`, named
 * by its hash. Entries are added one at a time, each streamed from the store into the archive as
 * the client reads it; files already compressed are stored, not deflated again.
 */
export function packetZip(sources: ZipSources): { stream: archiver.Archiver; done: Promise<void> } {
  const zip = archiver('zip', { zlib: { level: 6 } });
  const done = write(zip, sources).catch((error: unknown) => {
    zip.destroy(error as Error);
    throw error;
  });
  return { stream: zip, done };
}

async function write(zip: archiver.Archiver, s: ZipSources): Promise<void> {
  const manifest = {
    format: 'redress-evidence-packet/1',
    case: s.summary,
    ledger: s.ledger,
    timeline: { file: 'timeline.ndjson', head: s.head.hash, valid: s.head.valid },
    evidence: s.evidence,
  };
  await add(zip, JSON.stringify(manifest, null, 2), 'manifest.json', false);
  await add(zip, s.timeline(), 'timeline.ndjson', false);
  const seen = new Set<string>();
  for (const item of s.evidence) {
    if (!item.file || !item.sha256 || seen.has(item.sha256)) continue;
    seen.add(item.sha256);
    await add(zip, await s.open(item.sha256), item.file, true);
  }
  await zip.finalize();
}

/** Appends one entry and waits until the archive has taken it whole. */
async function add(
  zip: archiver.Archiver,
  source: Readable | string,
  name: string,
  store: boolean,
) {
  const taken = once(zip, 'entry');
  zip.append(source, { name, store });
  await taken;
}
