import { Inject, Injectable } from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import type { Readable } from 'node:stream';
import type { CaseRow } from '../../cases/case.types';
import { MoneyService } from '../../money/money.service';
import { AuditExportService } from '../../timeline/audit-export.service';
import { TimelineService } from '../../timeline/timeline.service';
import { EvidenceRepository } from '../evidence.repository';
import { packetImage } from '../image-metadata';
import { EVIDENCE_STORE, type EvidenceStore } from '../store/evidence-store';
import { packetCase, packetEvidence, type PacketEvidence } from './packet-content';
import { packetPdf } from './packet-pdf';
import { packetZip } from './packet-zip';

/**
 * The evidence packet of a case (evidence.md "The evidence packet"), as a PDF or a ZIP, streamed.
 * The chain is verified whole first (TimelineService, in bounded batches), so its head and verdict
 * head the document; the entries are then read in the audit export's batches.
 */
@Injectable()
export class EvidencePacket {
  constructor(
    private readonly timeline: TimelineService,
    private readonly audit: AuditExportService,
    private readonly repository: EvidenceRepository,
    private readonly money: MoneyService,
    @Inject(EVIDENCE_STORE) private readonly store: EvidenceStore,
  ) {}

  /** Sends the packet of `row` (a case the caller may read) on `reply`. */
  async send(row: CaseRow, format: 'pdf' | 'zip', reply: FastifyReply): Promise<void> {
    const { integrity } = await this.timeline.read(row.id, { limit: 1, full: true });
    const head = { hash: integrity.head, valid: integrity.valid, problem: integrity.problem };
    const evidence = (await this.repository.listForCase(row.id)).map(packetEvidence);
    const summary = packetCase(row);
    // The case's money (money.md): its claim and what moved, as the ledger route answers it.
    const ledger = await this.money.ledger(row.id, {});
    const filter = { caseId: row.id };
    const bounds = await this.audit.bounds(filter, null);
    const name = `case-${row.id}.${format}`;
    const { stream, done } =
      format === 'pdf'
        ? packetPdf({
            summary,
            ledger,
            evidence,
            head,
            entries: this.audit.batches(filter, null, bounds),
            photo: (item) => this.photo(item),
          })
        : packetZip({
            summary,
            ledger,
            evidence,
            head,
            timeline: () => this.audit.stream(filter, 'ndjson', null, bounds),
            open: (sha256) => this.store.open(sha256),
          });
    // Headers are sent with the first bytes: a failure after that can only cut the stream short.
    done.catch((error: unknown) =>
      reply.log.error({ err: error, caseId: row.id }, 'packet failed'),
    );
    await reply
      .header('content-type', format === 'pdf' ? 'application/pdf' : 'application/zip')
      .header('content-disposition', `attachment; filename="${name}"`)
      .send(stream);
  }

  private async photo(item: PacketEvidence) {
    if (!item.sha256) return null;
    return packetImage(await readAll(await this.store.open(item.sha256)));
  }
}

/** A stored photo's bytes (at most the photo limit) for resizing. */
async function readAll(stream: Readable): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}
