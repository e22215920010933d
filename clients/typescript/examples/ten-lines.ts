// A client as a newcomer writes it from /docs in ten statements (filters, a case opened by
// orderRef, an event with If-Match and Idempotency-Key, a timeline page): it must compile as is
// (`npm run check`), with no cast, every name and type taken from openapi.json.
import { createRedressClient } from '../src';
export async function tenLines(baseUrl: string, apiKey: string, supplierId: string) {
  const api = createRedressClient({ baseUrl, apiKey });
  const { data: page } = await api.GET('/v1/cases', {
    params: { query: { status: 'open', type: 'late_shipment', breached: 'true', limit: 20 } },
  });
  const { data: opened, error } = await api.POST('/v1/cases', {
    body: { type: 'late_shipment', supplierId, orderRef: 'A-1' },
  });
  if (error) return `${error.error}: ${error.message}`;
  const { data: moved } = await api.POST('/v1/cases/{id}/events', {
    params: {
      path: { id: opened.id },
      header: { 'If-Match': `"${opened.version}"`, 'Idempotency-Key': 'k1' },
    },
    body: { type: 'NOTE', payload: { text: 'hi' } },
  });
  const { data: timeline } = await api.GET('/v1/cases/{id}/timeline', {
    params: { path: { id: opened.id }, query: { limit: 10 } },
  });
  return [
    page?.items.length,
    moved?.state,
    opened.order.promisedShipBy?.slice(0, 10),
    timeline?.events[0]?.payload,
    timeline?.integrity.valid,
  ];
}
