/** The two kinds of party Redress talks to, and where each one's rows live. */
export type PartyKind = 'merchant' | 'supplier';

export interface PartyTables {
  /** `merchants` / `suppliers` */
  table: string;
  /** `merchant_secrets` / `supplier_secrets` */
  secrets: string;
  /** The column naming the party in `cases` and in its secrets table. */
  column: string;
  /** For messages: `Merchant` / `Supplier`. */
  what: string;
}

/** Fixed names only: nothing a client sends ever reaches these strings. */
export const PARTY_TABLES: Record<PartyKind, PartyTables> = {
  merchant: {
    table: 'merchants',
    secrets: 'merchant_secrets',
    column: 'merchant_id',
    what: 'Merchant',
  },
  supplier: {
    table: 'suppliers',
    secrets: 'supplier_secrets',
    column: 'supplier_id',
    what: 'Supplier',
  },
};
