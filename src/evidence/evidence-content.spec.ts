import { matchesEtag } from './evidence-content.service';

describe('matchesEtag (If-None-Match)', () => {
  const etag = `"${'a'.repeat(64)}"`;
  it.each<[string | string[] | undefined, boolean]>([
    [undefined, false],
    [etag, true],
    [`W/${etag}`, true],
    [`"other", ${etag}`, true],
    [['"other"', etag], true],
    ['*', true],
    ['"other"', false],
    ['a'.repeat(64), false],
  ])('%j -> %s', (header, expected) => {
    expect(matchesEtag(header, etag)).toBe(expected);
  });
});
