import { resolveBuyerLanguage } from '../notifications/content/buyer-message';

/** One thing the buyer sent through its link: a statement or a file. */
export type BuyerSent =
  | { kind: 'statement'; seq: number; at: string; text: string; items: string[] | null }
  | {
      kind: 'evidence';
      seq: number;
      at: string;
      evidenceId: string;
      evidenceKind: string;
      contentType: string | null;
    };

/**
 * The buyer's view behind a link (evidence.md): the order's items (SKU and quantity), the case's
 * type and whether it is open, and what the buyer sent; nothing else of the merchant's or the
 * supplier's (no prices, no parties, no timeline). Pure.
 */
export function buyerView(input: {
  type: string;
  status: string;
  order: Record<string, unknown>;
  buyerLanguage: string | null;
  entries: { seq: number; at: Date; type: string; payload: Record<string, unknown> }[];
  uploads: number;
  maxUploads: number;
  expiresAt: Date;
}) {
  const items = Array.isArray(input.order.items) ? input.order.items : [];
  return {
    language: resolveBuyerLanguage(input.buyerLanguage),
    type: input.type,
    status: input.status,
    items: items.map((item: { sku?: unknown; quantity?: unknown }) => ({
      sku: typeof item.sku === 'string' ? item.sku : '',
      quantity: typeof item.quantity === 'number' ? item.quantity : 0,
    })),
    sent: input.entries.flatMap((e): BuyerSent[] => {
      const at = new Date(e.at).toISOString();
      if (e.type === BUYER_STATEMENT) {
        const items = Array.isArray(e.payload.items) ? (e.payload.items as string[]) : null;
        return [{ kind: 'statement', seq: e.seq, at, text: String(e.payload.text), items }];
      }
      if (e.type === 'EVIDENCE_ADDED') {
        const p = e.payload as { evidenceId?: string; kind?: string; contentType?: string };
        return [
          {
            kind: 'evidence',
            seq: e.seq,
            at,
            evidenceId: p.evidenceId ?? '',
            evidenceKind: p.kind ?? '',
            contentType: p.contentType ?? null,
          },
        ];
      }
      return [];
    }),
    uploadsLeft: Math.max(0, input.maxUploads - input.uploads),
    linkExpiresAt: input.expiresAt.toISOString(),
  };
}

export type BuyerView = ReturnType<typeof buyerView>;

/** The timeline entry of a buyer's statement: `{text, items}`, no change of state. */
export const BUYER_STATEMENT = 'BUYER_STATEMENT';
/** Files one buyer link may upload (evidence.md). */
export const MAX_BUYER_UPLOADS = 20;
