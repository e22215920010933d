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
  'nat64.example.com': ['2606:4700::1111', '64:ff9b::a9fe:a9fe'],
  'sixtofour.example.com': ['2002:c0a8:101::1'],
  'bench.example.com': ['198.18.7.7'],
  'empty.example.com': [],
  localhost: ['127.0.0.1', '::1'],
});
const strict = { allowPrivate: false, lookup: DNS.lookup };
const relaxed = { allowPrivate: true, lookup: DNS.lookup };

describe('forbiddenAddressReason', () => {
  // One row per range hardening.md and QUALITY.md name, with its edges where an edge matters.
  it.each([
    // IPv4: RFC 1918, CGNAT, loopback, link-local, "this network"
    ['10.0.0.1', 'a private address'],
    ['10.255.255.255', 'a private address'],
    ['172.16.0.1', 'a private address'],
    ['172.31.255.254', 'a private address'],
    ['192.168.0.1', 'a private address'],
    ['100.64.0.1', 'a carrier-grade NAT address'],
    ['100.127.255.255', 'a carrier-grade NAT address'],
    ['127.0.0.1', 'a loopback address'],
    ['127.255.0.9', 'a loopback address'],
    ['169.254.169.254', 'a link-local address'],
    ['0.0.0.0', 'an unspecified address'],
    ['0.1.2.3', 'an unspecified address'],
    // IPv4: benchmarking 198.18.0.0/15, IETF protocol 192.0.0.0/24, class E 240.0.0.0/4,
    // documentation, multicast, broadcast
    ['198.18.0.1', 'a reserved address'],
    ['198.19.255.254', 'a reserved address'],
    ['192.0.0.1', 'a reserved address'],
    ['192.0.0.255', 'a reserved address'],
    ['240.0.0.1', 'a reserved address'],
    ['254.255.255.255', 'a reserved address'],
    ['192.0.2.10', 'a reserved address'],
    ['203.0.113.7', 'a reserved address'],
    ['224.0.0.1', 'a multicast address'],
    ['239.255.255.250', 'a multicast address'],
    ['255.255.255.255', 'a broadcast address'],
    // IPv6: loopback, unspecified, link-local, unique-local, site-local fec0::/10, discard
    // 100::/64, multicast, IPv4-compatible ::/96
    ['::1', 'a loopback address'],
    ['::', 'an unspecified address'],
    ['fe80::1', 'a link-local address'],
    ['febf::1', 'a link-local address'],
    ['fc00::1', 'a unique-local address'],
    ['fdff:ffff::1', 'a unique-local address'],
    ['fec0::1', 'a site-local address'],
    ['feff:ffff::1', 'a site-local address'],
    ['100::1', 'a discard-only address'],
    ['100::ffff:ffff:ffff:ffff', 'a discard-only address'],
    ['ff02::1', 'a multicast address'],
    ['ff0e::1', 'a multicast address'],
    ['::10.0.0.1', 'a reserved address'],
    ['::7f00:1', 'a reserved address'],
    ['::8.8.8.8', 'a reserved address'],
    ['::127.0.0.1', 'a reserved address'],
    ['fe80::1%eth0', 'a link-local address'],
    // IPv4-mapped IPv6: judged as the IPv4 address inside
    ['::ffff:127.0.0.1', 'a loopback address'],
    ['::ffff:7f00:1', 'a loopback address'],
    ['::ffff:10.0.0.1', 'a private address'],
    ['::ffff:a9fe:a9fe', 'a link-local address'],
    ['::ffff:0.0.0.0', 'an unspecified address'],
    ['::ffff:198.18.0.1', 'a reserved address'],
    ['::ffff:192.0.0.1', 'a reserved address'],
    ['::ffff:240.0.0.1', 'a reserved address'],
    ['::ffff:224.0.0.1', 'a multicast address'],
    // Wrappers of IPv4: NAT64 (well-known and local-use), 6to4, Teredo, SIIT
    ['64:ff9b::7f00:1', 'a NAT64 address'],
    ['64:ff9b::a00:1', 'a NAT64 address'],
    ['64:ff9b::808:808', 'a NAT64 address'],
    ['64:ff9b:1::7f00:1', 'a NAT64 address'],
    ['64:ff9b:1:ffff::1', 'a NAT64 address'],
    ['2002:7f00:1::1', 'a 6to4 address'],
    ['2002:a00:1::', 'a 6to4 address'],
    ['2002:808:808::1', 'a 6to4 address'],
    ['2001:0:4136:e378:8000:63bf:80ff:fffe', 'a Teredo address'],
    ['2001::1', 'a Teredo address'],
    ['::ffff:0:7f00:1', 'an IPv4-translated address'],
    // Other special IPv6 inside 2000::/3, and anything outside it
    ['2001:db8::1', 'a reserved address'],
    ['2001:2::1', 'a benchmarking address'],
    ['3fff::1', 'a reserved address'],
    ['4000::1', 'a reserved address'],
    ['1::1', 'a reserved address'],
    ['not-an-ip', 'not an IP address'],
  ])('refuses %s as %s', (address, reason) => {
    expect(forbiddenAddressReason(address)).toBe(reason);
  });

  it.each([
    '93.184.216.34',
    '8.8.8.8',
    '1.1.1.1',
    '172.15.255.255',
    '172.32.0.0',
    '100.63.255.255',
    '100.128.0.0',
    '169.253.255.255',
    '11.0.0.0',
    '198.17.255.255',
    '198.20.0.0',
    '192.0.1.0',
    '223.255.255.254',
    '2606:4700::1111',
    '2a00:1450:4007:80e::200e',
    '2003::1',
    '::ffff:8.8.8.8',
  ])('allows the public address %s', (address) => {
    expect(forbiddenAddressReason(address)).toBeNull();
  });
});

describe('checkWebhookUrl', () => {
  it('accepts an https URL whose host resolves to public addresses only', async () => {
    const result = await checkWebhookUrl('https://hooks.example.com/redress', strict);
    expect(result).toEqual({
      ok: true,
      target: {
        url: new URL('https://hooks.example.com/redress'),
        address: '93.184.216.34',
        family: 4,
      },
    });
  });

  it('accepts a public IP literal without asking DNS', async () => {
    const dns = fakeDns({});
    const result = await checkWebhookUrl('https://93.184.216.34:8443/x', {
      allowPrivate: false,
      lookup: dns.lookup,
    });
    expect(result).toMatchObject({ ok: true, target: { address: '93.184.216.34', family: 4 } });
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
    expect(await checkWebhookUrl('http://hooks.example.com/', relaxed)).toMatchObject({ ok: true });
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
    ['https://[64:ff9b::7f00:1]/', /64:ff9b::7f00:1, a NAT64 address/],
    ['https://[64:ff9b:1::a00:1]/', /a NAT64 address/],
    ['https://[2002:7f00:1::1]/', /a 6to4 address/],
    ['https://[2001:0:4136:e378:8000:63bf:80ff:fffe]/', /a Teredo address/],
    ['https://[fec0::1]/', /fec0::1, a site-local address/],
    ['https://[100::1]/', /a discard-only address/],
    ['https://198.18.0.1/', /198\.18\.0\.1, a reserved address/],
    ['https://192.0.0.1/', /192\.0\.0\.1, a reserved address/],
    ['https://240.0.0.1/', /a reserved address/],
    ['https://224.0.0.251/', /a multicast address/],
    ['https://[ff05::2]/', /a multicast address/],
    ['https://[::ffff:198.18.0.1]/', /a reserved address/],
    ['https://nat64.example.com/', /resolves to 64:ff9b::a9fe:a9fe, a NAT64 address/],
    ['https://sixtofour.example.com/', /resolves to 2002:c0a8:101::1, a 6to4 address/],
    ['https://bench.example.com/', /resolves to 198\.18\.7\.7, a reserved address/],
  ])('refuses %s', async (url, problem) => {
    const result = await checkWebhookUrl(url, strict);
    expect(result).toEqual({ ok: false, problem: expect.stringMatching(problem) });
  });

  it.each([
    'https://user:pass@hooks.example.com/',
    'https://user@hooks.example.com/',
    'https://:pass@hooks.example.com/',
    'https://hooks.example.com@169.254.169.254/',
    'http://admin:admin@127.0.0.1:3000/',
  ])('refuses %s: a user name or password in the URL, in both modes', async (url) => {
    for (const opts of [strict, relaxed]) {
      expect(await checkWebhookUrl(url, opts)).toEqual({
        ok: false,
        problem: 'webhookUrl must not hold a user name or password',
      });
    }
  });

  it('checks every address and pins the first, resolving once', async () => {
    const dns = fakeDns({ 'hooks.example.com': ['2606:4700::1111', '93.184.216.34'] });
    const result = await checkWebhookUrl('https://hooks.example.com/x', {
      allowPrivate: false,
      lookup: dns.lookup,
    });
    expect(result).toMatchObject({ ok: true, target: { address: '2606:4700::1111', family: 6 } });
    expect(dns.asked).toEqual(['hooks.example.com']);
  });

  it('refuses a resolver answer that is not an address even when private targets are allowed', async () => {
    const result = await checkWebhookUrl('http://hooks.example.com/', {
      allowPrivate: true,
      lookup: async () => ['banana'],
    });
    expect(result).toEqual({ ok: false, problem: expect.stringMatching(/not an IP address/) });
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
    await expect(checkWebhookUrl(url, relaxed)).resolves.toMatchObject({ ok: true });
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
