/**
 * What the strict JSON body parser costs per request (a plain script, no jest):
 *   npx ts-node --transpile-only -P tsconfig.json bench/json-body.bench.ts
 * Prints JSON: microseconds per body for Fastify's former parser (secure-json-parse on the
 * buffer) and for parseStrictJson (fatal UTF-8 decode, the scan, JSON.parse), on a typical event
 * body of about 1 KiB and on a 64 KiB note.
 */
import secureJson from 'secure-json-parse';
import { parseStrictJson } from '../src/common/validation/strict-json';

const typical = Buffer.from(
  JSON.stringify({
    type: 'NOTE',
    payload: {
      text:
        'The buyer called again: the parcel arrived with the box crushed on one side and two ' +
        'of the four glasses broken. Photos are attached to the case. She would accept a reship ' +
        'of the two glasses if it leaves this week, otherwise a refund of 39.98 EUR. Tracking ' +
        'shows delivery on 12 November at 14:02, signed by a neighbour. Carrier: La Poste ' +
        '(Colissimo), reference 6A12345678901. Second call on 14 November: still waiting. ' +
        'She mentions that the order number on the invoice is ORD-1001 and that she paid by ' +
        'card. Ops, please check whether the supplier has answered the first message yet; ' +
        'the deadline for its answer is tomorrow morning, Paris time. Thanks! ' +
        'PS: the buyer prefers email, not phone, after 18:00. Quantity 2, unit price 19.99. ' +
        'Last note of the day, the shop closes at 19:00 and reopens on Monday at 09:00. ' +
        'Supplier contact: Mr Chen, WeChat preferred, replies within a day in general.',
    },
  }),
);
const long = Buffer.from(JSON.stringify({ type: 'NOTE', payload: { text: 'x'.repeat(65_000) } }));

/** Microseconds per call of `parse(body)`, over about `ms` of CPU after a warm-up. */
function perCall(parse: (body: Buffer) => unknown, body: Buffer, ms = 1500): number {
  const warmUntil = Date.now() + 300;
  while (Date.now() < warmUntil) parse(body);
  let calls = 0;
  const start = process.cpuUsage();
  const until = Date.now() + ms;
  while (Date.now() < until) {
    for (let i = 0; i < 100; i++) parse(body);
    calls += 100;
  }
  const used = process.cpuUsage(start);
  return Math.round(((used.user + used.system) / calls) * 100) / 100;
}

const former = (body: Buffer) => secureJson.parse(body, { protoAction: 'error' });
const strict = (body: Buffer) => {
  const result = parseStrictJson(body);
  if (!result.ok) throw new Error(result.problem.problem);
  return result.value;
};

console.log(
  JSON.stringify({
    typicalBytes: typical.length,
    typicalFormerUs: perCall(former, typical),
    typicalStrictUs: perCall(strict, typical),
    longBytes: long.length,
    longFormerUs: perCall(former, long),
    longStrictUs: perCall(strict, long),
  }),
);
