import PDFDocument from 'pdfkit';
import { once } from 'node:events';
import type { Ledger } from '../../money/money.service';
import type { TimelineEntry } from '../../timeline/hash-chain';
import type { PacketCase, PacketEvidence } from './packet-content';

/** What the PDF is made of; the timeline and the photos come as they are read. */
export interface PdfSources {
  summary: PacketCase;
  /** The case's claim and ledger (money.md). */
  ledger: Ledger;
  evidence: PacketEvidence[];
  head: { hash: string; valid: boolean; problem?: string };
  entries: AsyncIterable<TimelineEntry[]>;
  /** A photo drawn small (JPEG), or null when it cannot be drawn. */
  photo(item: PacketEvidence): Promise<{ data: Buffer; width: number; height: number } | null>;
}

/** Bytes the document may hold unread before writing waits for the client. */
const HIGH_WATER = 1024 * 1024;
const MARGIN = 40;

/**
 * The packet as one PDF (evidence.md): the case, the timeline (time, actor, event, hash), each
 * photo as an image with its sha256, the other evidence listed with its hash, and the chain's head
 * hash with whether it verifies. Written page by page while the client reads it: writing waits
 * whenever the client is more than {@link HIGH_WATER} behind, so a case with many photos holds one
 * photo at a time. Answers the document (a readable stream) at once; `done` settles when written.
 */
export function packetPdf(sources: PdfSources): {
  stream: PDFKit.PDFDocument;
  done: Promise<void>;
} {
  const doc = new PDFDocument({
    size: 'A4',
    margin: MARGIN,
    // Text uncompressed: the hashes in it can be found in the file's bytes as they are printed.
    compress: false,
    info: {
      Title: `Case ${sources.summary.id}`,
      Keywords: `redress-chain-head:${sources.head.hash}`,
    },
  });
  const done = write(doc, sources).then(
    () => void doc.end(),
    (error: unknown) => {
      doc.destroy(error as Error);
      throw error;
    },
  );
  return { stream: doc, done };
}

async function write(doc: PDFKit.PDFDocument, s: PdfSources): Promise<void> {
  const c = s.summary;
  doc.font('Helvetica-Bold').fontSize(16).text(`Evidence packet: case ${c.id}`);
  doc.moveDown(0.5).font('Helvetica').fontSize(10);
  const line = (label: string, value: string | number | null | undefined) =>
    doc.text(`${label}: ${value === null || value === undefined ? '-' : String(value)}`);
  line('Type', c.type);
  line('State', c.state);
  line('Status', c.status);
  line('Outcome', c.outcome);
  line('Opened', c.createdAt);
  line('Closed', c.closedAt);
  line('Order', orderText(c.order));
  line('Claim', c.description);
  line('Preferred resolution', c.preferredResolution);
  const m = s.ledger;
  const money = (amount: string) => `${amount} ${m.currency}`;
  line('Claimed from the supplier', money(m.claimed));
  line('Refunded by the supplier', money(m.supplierRefunded));
  line('Outstanding', money(m.outstanding));
  line('Refunded to the buyer', money(m.buyerRefunded));
  line('Written off', money(m.writtenOff));
  line('Net for the merchant', money(m.net));
  for (const e of m.entries)
    line(
      `  ledger #${e.seq} ${e.at}`,
      `${e.kind} ${money(e.amount)}${e.reference ? ` (${e.reference})` : ''}`,
    );
  doc.moveDown(0.5).font('Helvetica-Bold').text('Hash chain');
  doc.font('Courier').fontSize(8).text(`head ${s.head.hash}`);
  doc
    .font('Helvetica')
    .fontSize(10)
    .text(
      s.head.valid
        ? 'The chain verifies: every entry hashes to its recorded hash and links to the one before it.'
        : `The chain does NOT verify: ${s.head.problem ?? 'broken'}`,
    );

  doc.moveDown().font('Helvetica-Bold').fontSize(12).text('Timeline');
  doc.font('Courier').fontSize(7);
  for await (const batch of s.entries) {
    for (const e of batch) {
      const actor = `${e.actor.kind}${e.actor.id ? `:${e.actor.id.slice(0, 8)}` : ''}`;
      doc.text(`${e.seq}. ${e.at} ${actor} ${e.type}`);
      doc.fillColor('#555555').text(`   ${e.hash}`).fillColor('black');
    }
    await drained(doc);
  }

  const photos = s.evidence.filter((e) => e.kind === 'photo' && e.sha256 && e.contentType);
  const others: PacketEvidence[] = s.evidence.filter((e) => !photos.includes(e));
  for (const item of photos) {
    const image = await s.photo(item);
    if (!image) {
      others.push(item);
      continue;
    }
    doc.addPage().font('Helvetica-Bold').fontSize(12).text(`Photo ${item.id}`);
    doc.font('Courier').fontSize(8).text(`sha256 ${item.sha256}`);
    if (item.description) doc.font('Helvetica').fontSize(10).text(item.description);
    doc.moveDown(0.5);
    const width = doc.page.width - 2 * MARGIN;
    const height = doc.page.height - doc.y - MARGIN;
    // Fitted to the page, never enlarged past one pixel per point.
    const scale = Math.min(width / image.width, height / image.height, 1);
    doc.image(image.data, { width: image.width * scale, height: image.height * scale });
    await drained(doc);
  }

  doc.addPage().font('Helvetica-Bold').fontSize(12).text('Other evidence');
  doc.font('Helvetica').fontSize(9);
  if (others.length === 0) doc.text('None.');
  for (const item of others) {
    const what = item.url ?? `${item.contentType}, ${item.size} bytes`;
    doc.text(`${item.kind} ${item.id} (${what})${item.description ? `: ${item.description}` : ''}`);
    doc
      .font('Courier')
      .fontSize(8)
      .text(`sha256 ${item.sha256 ?? '-'}`)
      .font('Helvetica')
      .fontSize(9);
  }
  doc.moveDown().font('Helvetica-Bold').fontSize(10).text('Chain head');
  doc.font('Courier').fontSize(8).text(s.head.hash);
  doc
    .font('Helvetica')
    .fontSize(10)
    .text(s.head.valid ? 'verifies: yes' : 'verifies: NO');
}

function orderText(order: Record<string, unknown>): string {
  const items = Array.isArray(order.items)
    ? (order.items as { sku?: string; quantity?: number }[])
    : [];
  const total = order.total as { amount?: string; currency?: string } | undefined;
  return [
    typeof order.ref === 'string' ? order.ref : '',
    items.map((i) => `${i.quantity ?? '?'} x ${i.sku ?? '?'}`).join(', '),
    total ? `${total.amount} ${total.currency}` : '',
  ]
    .filter(Boolean)
    .join('; ');
}

/** Waits while the client is behind by more than {@link HIGH_WATER} bytes. */
async function drained(doc: PDFKit.PDFDocument): Promise<void> {
  while (doc.readableLength > HIGH_WATER && !doc.destroyed) await once(doc, 'data');
}
