/**
 * From nothing to a refunded case with the typed client: ops creates a merchant, a supplier and a
 * key for each; the merchant opens an `out_of_stock` case and asks for a refund; the supplier
 * refunds; the case is closed `refunded`, its ledger settled and its timeline intact.
 *
 *   REDRESS_URL=http://localhost:3000 REDRESS_OPS_KEY=rk_live_... \
 *     npx ts-node clients/typescript/examples/refund.ts
 *
 * No cast and no `any`: every body and answer is typed from openapi.json. test/e2e/
 * client-example.e2e-spec.ts runs it against the real server.
 */
import { answer, createRedressClient, type RedressClient, type Schemas } from '../src';

export interface RefundExampleResult {
  refunded: Schemas['Case'];
  ledger: Schemas['Ledger'];
  timeline: Schemas['TimelinePage'];
}

/** `prepare` sees each client made (the e2e test adds a middleware that checks every answer). */
export async function runRefundExample(
  baseUrl: string,
  opsKey: string,
  prepare: (client: RedressClient) => void = () => {},
): Promise<RefundExampleResult> {
  const client = (apiKey: string) => {
    const made = createRedressClient({ baseUrl, apiKey });
    prepare(made);
    return made;
  };
  const ops = client(opsKey);

  const merchant = answer(
    await ops.POST('/v1/merchants', { body: { name: 'Example Store', country: 'FR' } }),
  );
  const supplier = answer(
    await ops.POST('/v1/suppliers', { body: { name: 'Example Supplier', country: 'CN' } }),
  );
  const merchantKey = answer(
    await ops.POST('/v1/merchants/{id}/api-keys', {
      params: { path: { id: merchant.id } },
      body: {},
    }),
  );
  const supplierKey = answer(
    await ops.POST('/v1/suppliers/{id}/api-keys', {
      params: { path: { id: supplier.id } },
      body: {},
    }),
  );
  const asMerchant = client(merchantKey.key);
  const asSupplier = client(supplierKey.key);

  const opened = answer(
    await asMerchant.POST('/v1/cases', {
      body: {
        type: 'out_of_stock',
        supplierId: supplier.id,
        description: 'The supplier has no stock left',
        order: {
          ref: `EX-${Date.now()}`,
          placedAt: new Date().toISOString(),
          originCountry: 'CN',
          destinationCountry: 'FR',
          items: [{ sku: 'MUG-1', quantity: 2, unitPrice: '12.50' }],
          total: { amount: '25.00', currency: 'EUR' },
        },
      },
    }),
  );

  // The merchant asks for a refund, on the version it read (409 version_conflict otherwise).
  const asked = answer(
    await asMerchant.POST('/v1/cases/{id}/events', {
      params: { path: { id: opened.id }, header: { 'If-Match': `"${opened.version}"` } },
      body: { type: 'REQUEST_REFUND', payload: { reason: 'Out of stock' } },
    }),
  );

  // The supplier refunds what is claimed.
  const refunded = answer(
    await asSupplier.POST('/v1/cases/{id}/events', {
      params: { path: { id: asked.id } },
      body: {
        type: 'REFUNDED',
        payload: { amount: asked.claim.amount, currency: asked.claim.currency },
      },
    }),
  );

  const ledger = answer(
    await asMerchant.GET('/v1/cases/{id}/ledger', { params: { path: { id: refunded.id } } }),
  );
  const timeline = answer(
    await asMerchant.GET('/v1/cases/{id}/timeline', { params: { path: { id: refunded.id } } }),
  );
  return { refunded, ledger, timeline };
}

if (require.main === module) {
  const baseUrl = process.env.REDRESS_URL ?? 'http://localhost:3000';
  const opsKey = process.env.REDRESS_OPS_KEY ?? '';
  runRefundExample(baseUrl, opsKey)
    .then(({ refunded, ledger, timeline }) => {
      console.log(`case ${refunded.id}: ${refunded.status}, ${refunded.outcome ?? 'no outcome'}`);
      console.log(
        `owed ${ledger.outstanding} ${ledger.currency} after ${ledger.entries.length} entries`,
      );
      console.log(
        `timeline of ${timeline.events.length} entries, valid: ${timeline.integrity.valid}`,
      );
    })
    .catch((error: unknown) => {
      console.error(error);
      process.exitCode = 1;
    });
}
