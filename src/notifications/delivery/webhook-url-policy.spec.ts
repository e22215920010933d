import { checkWebhookUrl, forbiddenAddressReason } from './webhook-url-policy';

/** A resolver that knows a few names and never touches the network. */
function fakeDns(records: Record<string, string[]>) {
  const asked: string[] = [];
  const lookup = async (host: string): Promise<string[]> => {
    asked.push(host);
    if (host in records) return records[host];
    throw Object.assign(new Error(`getaddrinfo ENOTFOUND ${host}`), { code: 'ENOTFOUND' });
  };
  return { lookup, asked };
}

const DNS = fakeDns({
  'hooks.example.com': ['93.184.216.34', '2606:2800:220:1:248:1893:25c8:1946'],
  'internal.example.com': ['10.1.2.3'],
  'mixed.example.com': ['93.184.216.34', '192.168.1.10'],
  'metadata.example.com': ['169.254.169.254'],
  'mapped.example.com': ['::ffff:127.0.0.1'],
  'v6local.example.com': ['fd12:3456::1'],
  'empty.example.com': [],
  localhost: ['127.0.0.1', '::1'],
});
const strict = { allowPrivate: false, lookup: DNS.lookup };
const relaxed = { allowPrivate: true, lookup: DNS.lookup };

describe('forbiddenAddressReason', () => {
  it.each([
    ['10.0.0.1', 'a private address'],
    ['10.255.255.255', 'a private address'],
    ['172.16.0.1', 'a private address'],
    ['172.31.255.254', 'a private address'],
    ['192.168.0.1', 'a private address'],
    ['100.64.0.1', 'a carrier-grade NAT address'],
    ['100.127.255.255', 'a carrier-grade NAT address'],
    ['127.0.0.1', 'a loopback address'],
    ['127.255.0.9', 'a loopback address'],
    ['::1', 'a loopback address'],
    ['169.254.169.254', 'a link-local address'],
    ['fe80::1', 'a link-local address'],
    ['febf::1', 'a link-local address'],
    ['0.0.0.0', 'an unspecified address'],
    ['::', 'an unspecified address'],
    ['fc00::1', 'a unique-local address'],
    ['fdff:ffff::1', 'a unique-local address'],
    ['::ffff:127.0.0.1', 'a loopback address'],
    ['::ffff:7f00:1', 'a loopback address'],
    ['::ffff:10.0.0.1', 'a private address'],
    ['::ffff:a9fe:a9fe', 'a link-local address'],
    ['::ffff:0.0.0.0', 'an unspecified address'],
    ['224.0.0.1', 'a reserved or multicast address'],
    ['255.255.255.255', 'a reserved or multicast address'],
    ['ff02::1', 'a reserved or multicast address'],
    ['::10.0.0.1', 'a reserved or multicast address'],
    ['not-an-ip', 'not an IP address'],
  ])('refuses %s as %s', (address, reason) => {
    expect(forbiddenAddressReason(address)).toBe(reason);
  });

  it.each([
    '93.184.216.34',
    '8.8.8.8',
    '172.15.255.255',
    '172.32.0.0',
    '100.63.255.255',
    '100.128.0.0',
    '169.253.255.255',
    '11.0.0.0',
    '2606:4700::1111',
    '::ffff:8.8.8.8',
    'fec0::1',
  ])('allows the public address %s', (address) => {
    expect(forbiddenAddressReason(address)).toBeNull();
  });
});

describe('checkWebhookUrl', () => {
  it('accepts an https URL whose host resolves to public addresses only', async () => {
    await expect(checkWebhookUrl('https://hooks.example.com/redress', strict)).resolves.toEqual({
      ok: true,
    });
  });

  it('accepts a public IP literal without asking DNS', async () => {
    const dns = fakeDns({});
    await expect(
      checkWebhookUrl('https://93.184.216.34:8443/x', { allowPrivate: false, lookup: dns.lookup }),
    ).resolves.toEqual({ ok: true });
    expect(dns.asked).toEqual([]);
  });

  it.each(['not a url', '/relative/path', '', 'https://'])('refuses %j: not a URL', async (url) => {
    const result = await checkWebhookUrl(url, strict);
    expect(result).toEqual({
      ok: false,
      problem: expect.stringMatching(/not a valid absolute URL/),
    });
  });

  it.each(['ftp://hooks.example.com/', 'file:///etc/passwd', 'javascript:alert(1)', 'gopher://x/'])(
    'refuses the scheme of %s in both modes',
    async (url) => {
      expect((await checkWebhookUrl(url, strict)).ok).toBe(false);
      expect((await checkWebhookUrl(url, relaxed)).ok).toBe(false);
    },
  );

  it('refuses plain http unless private targets are allowed', async () => {
    expect(await checkWebhookUrl('http://hooks.example.com/', strict)).toEqual({
      ok: false,
      problem: 'webhookUrl must use https',
    });
    expect(await checkWebhookUrl('http://hooks.example.com/', relaxed)).toEqual({ ok: true });
  });

  it.each([
    ['https://127.0.0.1/', /127\.0\.0\.1, a loopback address/],
    ['https://[::1]:8443/', /::1, a loopback address/],
    ['https://0x7f.1/', /127\.0\.0\.1, a loopback address/],
    ['https://2130706433/', /127\.0\.0\.1, a loopback address/],
    ['https://[::ffff:127.0.0.1]/', /a loopback address/],
    ['https://[::ffff:192.168.0.1]/', /a private address/],
    ['https://10.0.0.8/', /a private address/],
    ['https://172.20.1.1/', /a private address/],
    ['https://192.168.1.1/', /a private address/],
    ['https://100.100.100.200/', /carrier-grade NAT/],
    ['https://169.254.169.254/latest/meta-data/', /a link-local address/],
    ['https://[fe80::1]/', /a link-local address/],
    ['https://0.0.0.0/', /an unspecified address/],
    ['https://[::]/', /an unspecified address/],
    ['https://[fd00::1]/', /a unique-local address/],
    ['https://localhost/', /localhost, a loopback address/],
    ['https://LOCALHOST./', /a loopback address/],
    ['https://api.localhost/', /a loopback address/],
    ['https://internal.example.com/', /resolves to 10\.1\.2\.3, a private address/],
    ['https://mixed.example.com/', /resolves to 192\.168\.1\.10, a private address/],
    ['https://metadata.example.com/', /resolves to 169\.254\.169\.254, a link-local address/],
    ['https://mapped.example.com/', /resolves to ::ffff:127\.0\.0\.1, a loopback address/],
    ['https://v6local.example.com/', /a unique-local address/],
  ])('refuses %s', async (url, problem) => {
    const result = await checkWebhookUrl(url, strict);
    expect(result).toEqual({ ok: false, problem: expect.stringMatching(problem) });
  });

  it('refuses localhost by name, before asking DNS', async () => {
    const dns = fakeDns({ localhost: ['93.184.216.34'] });
    const result = await checkWebhookUrl('https://localhost/', {
      allowPrivate: false,
      lookup: dns.lookup,
    });
    expect(result.ok).toBe(false);
    expect(dns.asked).toEqual([]);
  });

  it.each([
    'https://127.0.0.1:3000/hooks',
    'http://localhost:3000/hooks',
    'http://[::1]/',
    'http://internal.example.com/',
    'https://mixed.example.com/',
  ])('allows %s when private targets are allowed', async (url) => {
    await expect(checkWebhookUrl(url, relaxed)).resolves.toEqual({ ok: true });
  });

  it.each([strict, relaxed])(
    'refuses a host that does not resolve (allowPrivate %#)',
    async (opts) => {
      expect(await checkWebhookUrl('https://nowhere.example.com/', opts)).toEqual({
        ok: false,
        problem: 'webhookUrl has a host that does not resolve: nowhere.example.com',
      });
      expect(await checkWebhookUrl('https://empty.example.com/', opts)).toEqual({
        ok: false,
        problem: 'webhookUrl has a host that does not resolve: empty.example.com',
      });
    },
  );

  it('says when the resolver itself failed', async () => {
    const lookup = async () => {
      throw Object.assign(new Error('getaddrinfo EAI_AGAIN'), { code: 'EAI_AGAIN' });
    };
    expect(
      await checkWebhookUrl('https://hooks.example.com/', { allowPrivate: false, lookup }),
    ).toEqual({
      ok: false,
      problem:
        'webhookUrl has a host that could not be resolved now: hooks.example.com (EAI_AGAIN)',
    });
  });

  it('refuses a resolver answer that is not an address', async () => {
    const lookup = async () => ['banana'];
    const result = await checkWebhookUrl('https://hooks.example.com/', {
      allowPrivate: false,
      lookup,
    });
    expect(result).toEqual({ ok: false, problem: expect.stringMatching(/not an IP address/) });
  });
});
