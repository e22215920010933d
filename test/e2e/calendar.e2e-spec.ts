import request from 'supertest';
import { startTestApp, TestApp } from '../support/test-app';

const OPS_KEY = 'rk_test_calendar_ops_key_0123456789abcdef';

describe('GET /v1/calendar/add-business-days', () => {
  let t: TestApp;
  let merchantKey: string;
  const ops = { Authorization: `Bearer ${OPS_KEY}` };

  beforeAll(async () => {
    t = await startTestApp({ bootstrapOpsKey: OPS_KEY });
    const merchant = await request(t.server)
      .post('/v1/merchants')
      .set(ops)
      .send({ name: 'Calendar shop', country: 'FR' })
      .expect(201);
    const key = await request(t.server)
      .post(`/v1/merchants/${merchant.body.id}/api-keys`)
      .set(ops)
      .expect(201);
    merchantKey = key.body.key as string;
  });
  afterAll(() => t.close());

  const get = (query: Record<string, string>, key = merchantKey) =>
    request(t.server)
      .get('/v1/calendar/add-business-days')
      .query(query)
      .set('Authorization', `Bearer ${key}`);

  it.each([
    // FR: Wednesday 11 November (Armistice) is a public holiday.
    ['FR', '2026-11-02', '15', '2026-11-24', '2026-11-24T22:59:59.999Z', 'Europe/Paris'],
    // US: Thanksgiving (26 November) is out; the Friday after it is a business day.
    ['US', '2026-11-20', '5', '2026-11-30', '2026-12-01T04:59:59.999Z', 'America/New_York'],
    // 0 days: the end of from's own local day.
    ['FR', '2026-11-07', '0', '2026-11-07', '2026-11-07T22:59:59.999Z', 'Europe/Paris'],
  ])('%s %s + %s business days -> %s', async (country, from, days, dueDate, dueAt, timezone) => {
    const res = await get({ country, from, days }).expect(200);
    expect(res.body).toEqual({
      from,
      days: Number(days),
      country,
      timezone,
      supplierId: null,
      fromDate: from,
      dueDate,
      dueAt,
    });
  });

  it("counts from the local date of an instant in the calendar's timezone", async () => {
    // 23:30 UTC on Sunday 1 November is already Monday 2 November in Paris.
    const late = await get({ country: 'FR', from: '2026-11-01T23:30:00Z', days: '15' }).expect(200);
    expect(late.body).toMatchObject({
      from: '2026-11-01T23:30:00.000Z',
      fromDate: '2026-11-02',
      dueDate: '2026-11-24',
    });
    const offset = await get({ country: 'FR', from: '2026-11-02T00:30:00+01:00', days: '15' });
    expect(offset.status).toBe(200);
    expect(offset.body).toMatchObject({ fromDate: '2026-11-02', dueDate: '2026-11-24' });
  });

  it("uses a supplier's country, timezone and closures; a closure moves the due date", async () => {
    const supplier = await request(t.server)
      .post('/v1/suppliers')
      .set(ops)
      .send({ name: 'Lyon Widgets', country: 'FR' })
      .expect(201);
    const id = supplier.body.id as string;
    const before = await get({ supplierId: id, from: '2026-11-02', days: '15' }).expect(200);
    expect(before.body).toMatchObject({
      country: 'FR',
      timezone: 'Europe/Paris',
      supplierId: id,
      dueDate: '2026-11-24',
    });

    await request(t.server)
      .post(`/v1/suppliers/${id}/closures`)
      .set(ops)
      .send({ from: '2026-11-16', to: '2026-11-20', reason: 'factory holiday' })
      .expect(201);
    const after = await get({ supplierId: id, from: '2026-11-02', days: '15' }).expect(200);
    // Five closed business days: 24 November + 5 business days.
    expect(after.body).toMatchObject({ dueDate: '2026-12-01', dueAt: '2026-12-01T22:59:59.999Z' });
    // The supplier's country may be repeated, not contradicted.
    await get({ supplierId: id, country: 'FR', from: '2026-11-02', days: '15' }).expect(200);
    const other = await get({ supplierId: id, country: 'US', from: '2026-11-02', days: '15' });
    expect(other.status).toBe(400);
    expect(other.body.details).toEqual([{ field: 'country', problem: expect.any(String) }]);
  });

  it("uses the supplier's own timezone when it has one", async () => {
    const supplier = await request(t.server)
      .post('/v1/suppliers')
      .set(ops)
      .send({ name: 'Guangzhou', country: 'CN', timezone: 'Asia/Shanghai' })
      .expect(201);
    const res = await get({ supplierId: supplier.body.id, from: '2026-11-02', days: '1' }).expect(
      200,
    );
    expect(res.body).toMatchObject({
      country: 'CN',
      timezone: 'Asia/Shanghai',
      dueDate: '2026-11-03',
      dueAt: '2026-11-03T15:59:59.999Z',
    });
  });

  it("lists the countries business days can be counted in, with their capitals' zones", async () => {
    const res = await request(t.server)
      .get('/v1/calendar/countries')
      .set('Authorization', `Bearer ${merchantKey}`)
      .expect(200);
    const countries = res.body.data as { code: string; name: string; timezone: string }[];
    expect(countries).toEqual(
      expect.arrayContaining([
        { code: 'FR', name: 'France', timezone: 'Europe/Paris' },
        { code: 'CN', name: 'China', timezone: 'Asia/Shanghai' },
        { code: 'CD', name: expect.any(String), timezone: 'Africa/Kinshasa' },
      ]),
    );
    const codes = countries.map((c) => c.code);
    expect(codes).toEqual([...codes].sort());
    expect(codes).not.toContain('QA'); // no public holiday data
    // Every listed country is one a merchant can be created in, and counts business days.
    for (const { code } of countries.filter((_, i) => i % 20 === 0)) {
      await get({ country: code, from: '2026-11-02', days: '3' }).expect(200);
    }
    await request(t.server).get('/v1/calendar/countries').expect(401);
  });

  it('answers 404 for an unknown supplier', async () => {
    const res = await get({
      supplierId: '00000000-0000-4000-8000-000000000000',
      from: '2026-11-02',
      days: '1',
    }).expect(404);
    expect(res.body).toMatchObject({ statusCode: 404, error: 'not_found' });
  });

  it.each([
    [{ country: 'XX', from: '2026-11-02', days: '1' }, ['country']],
    [{ country: 'fr', from: '2026-11-02', days: '1' }, ['country']],
    [{ country: 'AQ', from: '2026-11-02', days: '1' }, ['country']],
    [{ country: 'QA', from: '2026-11-02', days: '1' }, ['country']],
    [{ from: '2026-11-02', days: '1' }, ['country']],
    [{ country: 'FR', from: '2026-11-02', days: '-1' }, ['days']],
    [{ country: 'FR', from: '2026-11-02', days: '1.5' }, ['days']],
    [{ country: 'FR', from: '2026-11-02', days: 'ten' }, ['days']],
    [{ country: 'FR', from: '2026-11-02', days: '100000' }, ['days']],
    [{ country: 'FR', from: '2026-11-02' }, ['days']],
    [{ country: 'FR', from: '2026-02-30', days: '1' }, ['from']],
    [{ country: 'FR', from: '2026-11-02T10:00:00', days: '1' }, ['from']],
    [{ country: 'FR', from: 'yesterday', days: '1' }, ['from']],
    [{ country: 'FR', days: '1' }, ['from']],
    [{ country: 'FR', from: '2026-11-02', days: '1', supplierId: 'nope' }, ['supplierId']],
    [{ country: 'FR', from: '2026-11-02', days: '1', extra: 'x' }, ['extra']],
    [{ country: 'XX', from: 'soon', days: '-2' }, ['country', 'from', 'days']],
  ])('400 validation_failed for %j', async (query, fields) => {
    const res = await get(query as Record<string, string>).expect(400);
    expect(res.body).toMatchObject({ statusCode: 400, error: 'validation_failed' });
    const named = (res.body.details as { field: string }[]).map((d) => d.field);
    expect([...new Set(named)].sort()).toEqual([...fields].sort());
  });

  it('needs an API key', async () => {
    await request(t.server)
      .get('/v1/calendar/add-business-days')
      .query({ country: 'FR', from: '2026-11-02', days: '1' })
      .expect(401);
  });
});
