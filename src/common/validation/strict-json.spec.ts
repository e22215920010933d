import fc from 'fast-check';
import { MAX_JSON_DEPTH, numberProblem, parseStrictJson } from './strict-json';

const parse = (text: string | Buffer) =>
  parseStrictJson(typeof text === 'string' ? Buffer.from(text) : text);
const nested = (depth: number) => '['.repeat(depth) + ']'.repeat(depth);

describe('parseStrictJson', () => {
  it('reads ordinary JSON as JSON.parse does', () => {
    const text = '{"type":"NOTE","payload":{"text":"caf\\u00e9 \\"ok\\"","n":[1,-2.5,3e2,0]}}';
    expect(parse(text)).toEqual({ ok: true, value: JSON.parse(text) });
    expect(parse('\ufeff{"a":1}')).toEqual({ ok: true, value: { a: 1 } });
  });

  it.each([
    ['{"type":"WITHDRAW","type":"NOTE"}', 'type', 'is given twice'],
    ['{"payload":{"text":"a","text":"b"}}', 'payload.text', 'is given twice'],
    ['{"\\u0074ype":1,"type":2}', 'type', 'is given twice'],
    ['{"a":"x\\"","a":1}', 'a', 'is given twice'],
    ['{"payload":{"amount":1e400}}', 'payload.amount', 'too large'],
    ['{"n":-1E+400}', 'n', 'too large'],
    ['{"payload":{"amount":1e-400}}', 'payload.amount', 'too small'],
    ['{"a":[1,2,{"b":9007199254740993}]}', 'a.2.b', 'too large to be kept exactly'],
    ['[1,[2,1e999]]', 'body.1.1', 'too large'],
    ['1e400', 'body', 'too large'],
    ['{"__proto__":{"admin":true}}', '__proto__', 'reserved'],
    ['{"constructor":{"prototype":{}}}', 'constructor.prototype', 'reserved'],
    ['{"a":1,}', 'body', 'is not valid JSON'],
    ['', 'body', 'is empty'],
  ])('%s: refused at %s', (text, field, problem) => {
    const result = parse(text);
    expect(result).toEqual({
      ok: false,
      problem: { field, problem: expect.stringContaining(problem) as string },
    });
  });

  it('keeps numbers that parse to what was written', () => {
    for (const text of ['0e-400', '0.000', '-0', '9007199254740991', '1152921504606846976']) {
      expect(parse(text)).toEqual({ ok: true, value: JSON.parse(text) });
    }
    expect(numberProblem('5e-324')).toBeNull();
    expect(numberProblem('1e308')).toBeNull();
  });

  it(`takes ${MAX_JSON_DEPTH} levels and refuses one more, naming where`, () => {
    expect(parse(nested(MAX_JSON_DEPTH)).ok).toBe(true);
    expect(parse(nested(MAX_JSON_DEPTH + 1))).toEqual({
      ok: false,
      problem: { field: `body${'.0'.repeat(MAX_JSON_DEPTH)}`, problem: expect.any(String) },
    });
    const deepObject = '{"payload":'.repeat(1500) + '1' + '}'.repeat(1500);
    const result = parse(deepObject);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.problem.field).toMatch(/^payload(\.payload)+\.\.\.$/);
  });

  it('refuses 1 MiB of [ at once, before JSON.parse walks it', () => {
    const started = process.hrtime.bigint();
    expect(parse('['.repeat(1 << 20)).ok).toBe(false);
    expect(Number(process.hrtime.bigint() - started) / 1e6).toBeLessThan(100);
  });

  it('refuses bytes that are not UTF-8 instead of storing U+FFFD', () => {
    const text = Buffer.concat([
      Buffer.from('{"a":"'),
      Buffer.from([0xff, 0xfe]),
      Buffer.from('"}'),
    ]);
    expect(parse(text)).toEqual({
      ok: false,
      problem: { field: 'body', problem: expect.stringContaining('UTF-8') as string },
    });
    // An encoded surrogate (CESU-8) is not UTF-8 either.
    expect(parse(Buffer.from([0x22, 0xed, 0xa0, 0x80, 0x22])).ok).toBe(false);
  });

  it('agrees with JSON.parse on any JSON without duplicates, depth at most 32', () => {
    fc.assert(
      fc.property(fc.jsonValue({ maxDepth: 10 }), (value) => {
        const text = JSON.stringify(value);
        fc.pre(!/"(__proto__|prototype)":/.test(text));
        expect(parse(text)).toEqual({ ok: true, value: JSON.parse(text) });
      }),
      { numRuns: 500 },
    );
  });

  it('never throws, whatever the bytes', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 200 }), (bytes) => {
        const result = parseStrictJson(bytes);
        expect(typeof result.ok).toBe('boolean');
      }),
      { numRuns: 1000 },
    );
    fc.assert(
      fc.property(
        fc.string({ unit: fc.constantFrom(...'{}[]",:\\0123456789-+.eE ntrufalse') }),
        (s) => {
          const result = parse(s);
          if (result.ok) expect(result.value).toEqual(JSON.parse(s));
        },
      ),
      { numRuns: 2000 },
    );
  });
});
