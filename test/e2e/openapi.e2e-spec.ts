import { RequestMethod } from '@nestjs/common';
import { METHOD_METADATA, PATH_METADATA, ROUTE_ARGS_METADATA } from '@nestjs/common/constants';
import { RouteParamtypes } from '@nestjs/common/enums/route-paramtypes.enum';
import { getMetadataStorage } from 'class-validator';
import { ModulesContainer } from '@nestjs/core';
import request from 'supertest';
import { bearer } from '../support/auth';
import { answerChecker, committedDocument } from '../support/openapi-answers';
import { startTestApp, TestApp } from '../support/test-app';

const OPS_KEY = 'rk_test_bootstrap_openapi_0123456789abcdef';
const ops = bearer(OPS_KEY);

/** Routes that are pages or Prometheus text, not the JSON API: left out of the document. */
const NOT_API = ['GET /metrics'];
/** @nestjs/swagger's key of `@ApiExcludeController()` (its constants are not exported). */
const EXCLUDED = 'swagger/apiExcludeController';

/** The fields a route's `@Query()` class validates: the query parameters it takes. */
function queryFields(controller: object, name: string): string[] {
  const args = (Reflect.getMetadata(ROUTE_ARGS_METADATA, controller.constructor, name) ??
    {}) as Record<string, { index: number; data?: unknown }>;
  const types = (Reflect.getMetadata('design:paramtypes', controller, name) ??
    []) as (new () => object)[];
  return Object.entries(args)
    .filter(([key, arg]) => key.startsWith(`${RouteParamtypes.QUERY}:`) && arg.data === undefined)
    .flatMap(([, arg]) =>
      getMetadataStorage()
        .getTargetValidationMetadatas(types[arg.index], '', true, false)
        .map((m) => m.propertyName),
    );
}

/** Every route the app registers, from the controllers' own metadata: `GET /v1/cases/{id}`. */
function registeredRoutes(t: TestApp): string[] {
  return [...routeTable(t).keys()].sort();
}

/** Each route with the query parameters its handler validates. */
function routeTable(t: TestApp): Map<string, string[]> {
  const routes = new Map<string, string[]>();
  for (const module of t.app.get(ModulesContainer).values()) {
    for (const { metatype } of module.controllers.values()) {
      // Pages (ApiExcludeController: /ops, /app, /s/, /b/) are not the API.
      if (!metatype || Reflect.getMetadata(EXCLUDED, metatype)) continue;
      const base = String(Reflect.getMetadata(PATH_METADATA, metatype) ?? '');
      const proto = metatype.prototype as Record<string, unknown>;
      for (const name of Object.getOwnPropertyNames(proto)) {
        const handler = proto[name];
        if (typeof handler !== 'function' || name === 'constructor') continue;
        const method = Reflect.getMetadata(METHOD_METADATA, handler) as RequestMethod | undefined;
        const path = Reflect.getMetadata(PATH_METADATA, handler) as string | undefined;
        if (method === undefined || path === undefined) continue;
        const full = `/${[base, path].filter((p) => p && p !== '/').join('/')}`
          .replace(/\/+/g, '/')
          .replace(/:(\w+)/g, '{$1}');
        const route = `${RequestMethod[method]} ${full === '/' ? '/' : full.replace(/\/$/, '')}`;
        routes.set(route, [...new Set(queryFields(proto, name))]);
      }
    }
  }
  return routes;
}

describe('the OpenAPI document', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp({ bootstrapOpsKey: OPS_KEY });
  });
  afterAll(() => t.close());

  it('is served at /docs-json exactly as committed in openapi.json (the client’s source)', async () => {
    const served = await request(t.server).get('/docs-json').expect(200);
    expect(served.body).toEqual(committedDocument());
  });

  it('documents every route the app registers, each with a success schema and its refusals', () => {
    const document = committedDocument();
    const routes = registeredRoutes(t);
    expect(routes.length).toBeGreaterThan(60);
    const problems: string[] = [];
    for (const route of routes) {
      if (NOT_API.includes(route)) continue;
      const [method, path] = route.split(' ');
      const operation = document.paths[path]?.[method.toLowerCase()];
      if (!operation) {
        problems.push(`${route}: not documented`);
        continue;
      }
      const responses = Object.entries(operation.responses);
      const success = responses.filter(([status]) => status.startsWith('2'));
      if (!success.some(([status, r]) => status === '204' || r.content)) {
        problems.push(`${route}: no 2xx answer with a body schema`);
      }
      const refusals = responses.filter(([status]) => Number(status) >= 400);
      if (!refusals.some(([status]) => status === '500')) problems.push(`${route}: no 500`);
      for (const [status, r] of refusals) {
        const body = r.$ref ? document.components.responses[r.$ref.split('/').pop()!] : r;
        const schema = body?.content?.['application/json']?.schema;
        if (schema?.$ref !== '#/components/schemas/Error') {
          problems.push(`${route}: ${status} is not the Error body`);
        }
      }
      const documentedQuery = (operation.parameters ?? [])
        .filter((p) => p.in === 'query')
        .map((p) => p.name);
      for (const field of routeTable(t).get(route) ?? []) {
        if (!documentedQuery.includes(field))
          problems.push(`${route}: query ${field} undocumented`);
      }
      const secured = (operation.security ?? []).length > 0;
      if (secured && !refusals.some(([status]) => status === '401')) {
        problems.push(`${route}: takes a key but documents no 401`);
      }
    }
    expect(problems).toEqual([]);
    // And nothing documented that the app does not serve.
    const documented = Object.entries(document.paths).flatMap(([path, item]) =>
      Object.keys(item).map((method) => `${method.toUpperCase()} ${path}`),
    );
    expect(documented.filter((route) => !routes.includes(route))).toEqual([]);
  });

  it('answers as documented across the API (real bodies checked against their schemas)', async () => {
    const check = answerChecker(committedDocument());
    const problems: string[] = [];
    /** Calls the route and checks its answer against the schema of `template`. */
    const call = async (
      method: 'get' | 'post' | 'put' | 'patch',
      template: string,
      url: string,
      status: number,
      body?: object,
      headers: Record<string, string> = ops,
    ) => {
      const req = request(t.server)[method](url).set(headers);
      const res = await (body ? req.send(body) : req);
      expect(`${method} ${url} ${res.status}`).toBe(
        `${method} ${url} ${status}` +
          (res.status === status ? '' : ` ${JSON.stringify(res.body)}`),
      );
      problems.push(...check(method.toUpperCase(), template, res.status, res.body, res.headers));
      return res.body;
    };

    const merchant = await call('post', '/v1/merchants', '/v1/merchants', 201, {
      name: 'Doc Shop',
      country: 'FR',
    });
    const supplier = await call('post', '/v1/suppliers', '/v1/suppliers', 201, {
      name: 'Doc Supplier',
      country: 'CN',
    });
    const m = `/v1/merchants/${merchant.id}`;
    const s = `/v1/suppliers/${supplier.id}`;
    await call('get', '/v1/merchants', '/v1/merchants', 200);
    await call('get', '/v1/merchants/{id}', m, 200);
    await call('patch', '/v1/merchants/{id}', m, 200, { language: 'fr' });
    const merchantKey = await call('post', '/v1/merchants/{id}/api-keys', `${m}/api-keys`, 201, {});
    await call('get', '/v1/merchants/{id}/api-keys', `${m}/api-keys`, 200);
    await call('post', '/v1/merchants/{id}/rotate-secret', `${m}/rotate-secret`, 201, {});
    await call('get', '/v1/suppliers', '/v1/suppliers', 200);
    await call('get', '/v1/suppliers/{id}', s, 200);
    await call('post', '/v1/suppliers/{id}/closures', `${s}/closures`, 201, {
      from: '2027-02-01',
      to: '2027-02-03',
      reason: 'Spring festival',
    });
    await call('get', '/v1/suppliers/{id}/closures', `${s}/closures`, 200);
    await call('get', '/v1/merchants/{id}/settings', `${m}/settings`, 200);

    const merchantAuth = bearer(merchantKey.key);
    const order = await call(
      'post',
      '/v1/orders',
      '/v1/orders',
      201,
      {
        ref: 'DOC-1',
        placedAt: '2027-01-10T10:00:00Z',
        promisedShipBy: '2027-01-12',
        shippedAt: '2027-01-11T10:00:00Z',
        trackingNumber: 'LX123456789CN',
        originCountry: 'CN',
        destinationCountry: 'FR',
        items: [{ sku: 'SKU-1', quantity: 1, unitPrice: '30.00' }],
        total: { amount: '30.00', currency: 'EUR' },
        supplierId: supplier.id,
      },
      merchantAuth,
    );
    await call('get', '/v1/orders', '/v1/orders', 200, undefined, merchantAuth);
    await call('get', '/v1/orders/{id}', `/v1/orders/${order.id}`, 200, undefined, merchantAuth);
    const opened = await call(
      'post',
      '/v1/cases',
      '/v1/cases',
      201,
      { type: 'damaged_item', orderRef: 'DOC-1', description: 'Broken on arrival' },
      merchantAuth,
    );
    const c = `/v1/cases/${opened.id}`;
    await call('get', '/v1/cases', '/v1/cases?sort=dueAt', 200, undefined, merchantAuth);
    await call('get', '/v1/cases/{id}', c, 200, undefined, merchantAuth);
    await call('post', '/v1/cases/{id}/events', `${c}/events`, 200, {
      type: 'NOTE',
      payload: { text: 'Called the buyer' },
    });
    await call('post', '/v1/cases/{id}/messages', `${c}/messages`, 201, { text: 'A photo?' });
    await call('get', '/v1/cases/{id}/messages', `${c}/messages`, 200);
    await call('post', '/v1/cases/{id}/evidence', `${c}/evidence`, 201, {
      kind: 'photo',
      url: 'https://merchant.example/photo.jpg',
    });
    await call('get', '/v1/cases/{id}/timeline', `${c}/timeline`, 200);
    await call('get', '/v1/cases/{id}/notifications', `${c}/notifications`, 200);
    await call('get', '/v1/cases/{id}/ledger', `${c}/ledger`, 200);
    await call('post', '/v1/cases/{id}/feedback', `${c}/feedback`, 201, { resolved: true });
    const link = await call('post', '/v1/cases/{id}/supplier-link', `${c}/supplier-link`, 201, {});
    await call('get', '/v1/portal/{token}', `/v1/portal/${link.token}`, 200, undefined, {});
    const buyer = await call('post', '/v1/cases/{id}/buyer-link', `${c}/buyer-link`, 201, {});
    await call('get', '/v1/buyer/{token}', `/v1/buyer/${buyer.token}`, 200, undefined, {});
    await call(
      'post',
      '/v1/buyer/{token}/statement',
      `/v1/buyer/${buyer.token}/statement`,
      201,
      {
        text: 'It arrived broken',
      },
      {},
    );
    await call('get', '/v1/suppliers/{id}/balance', `${s}/balance`, 200);
    await call('get', '/v1/merchants/{id}/receivables', `${m}/receivables`, 200);
    await call('get', '/v1/suppliers/{id}/scorecard', `${s}/scorecard`, 200);
    await call('get', '/v1/merchants/{id}/scorecard', `${m}/scorecard`, 200);
    await call('get', '/v1/merchants/{id}/service-rating', `${m}/service-rating`, 200);
    await call('get', '/v1/workflows', '/v1/workflows', 200);
    await call('get', '/v1/workflows/{type}', '/v1/workflows/damaged_item', 200);
    await call('get', '/v1/calendar/countries', '/v1/calendar/countries', 200);
    await call(
      'get',
      '/v1/calendar/add-business-days',
      '/v1/calendar/add-business-days?country=FR&from=2027-01-04&days=3',
      200,
    );
    await call('post', '/v1/audit/checkpoints', '/v1/audit/checkpoints', 201, {});
    const checkpoints = await call('get', '/v1/audit/checkpoints', '/v1/audit/checkpoints', 200);
    await call(
      'get',
      '/v1/audit/checkpoints/{id}/check',
      `/v1/audit/checkpoints/${checkpoints.items[0].id}/check`,
      200,
    );
    // Refusals too: the Error body, with the codes the document lists.
    await call('post', '/v1/cases/{id}/events', `${c}/events`, 409, { type: 'DISPUTE_WON' });
    await call('post', '/v1/cases', '/v1/cases', 400, { type: 'nope' }, merchantAuth);
    await call('get', '/v1/cases/{id}', c, 401, undefined, bearer('rk_live_unknown'));
    // The check does see a documented header that is missing.
    expect(check('GET', '/v1/cases/{id}', 200, {}, {})).toEqual([
      'GET /v1/cases/{id} 200: no ETag header',
    ]);
    expect(problems).toEqual([]);
  });
});
