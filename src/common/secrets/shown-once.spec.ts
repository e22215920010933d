import { withoutShownOnceSecrets } from './shown-once';

describe('withoutShownOnceSecrets', () => {
  it('replaces a new API key or webhook secret by null and says it was shown once', () => {
    expect(
      withoutShownOnceSecrets({ id: 'k1', key: 'rk_live_abc', prefix: 'rk_live_abcd' }),
    ).toEqual({ id: 'k1', key: null, prefix: 'rk_live_abcd', secretShownOnce: true });
    expect(withoutShownOnceSecrets({ id: 'm1', name: 'Shop', webhookSecret: 'whsec_x' })).toEqual({
      id: 'm1',
      name: 'Shop',
      webhookSecret: null,
      secretShownOnce: true,
    });
  });

  it('leaves answers without a secret as they are', () => {
    const body = { id: 'c1', state: 'open', key: null };
    expect(withoutShownOnceSecrets(body)).toBe(body);
    for (const other of [null, 'text', 3, [{ key: 'rk_live_x' }]]) {
      expect(withoutShownOnceSecrets(other)).toBe(other);
    }
  });
});
