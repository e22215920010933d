/**
 * Which `webhookUrl`s Redress may POST to (QUALITY.md "Outbound URLs", hardening.md "Network
 * edges"): https only; only global unicast targets unless explicitly allowed for development
 * (api.md `REDRESS_ALLOW_PRIVATE_WEBHOOKS=1`). Without this, a party could register
 * `http://169.254.169.254/...` or an internal service and have Redress call it (SSRF).
 *
 * Check the URL when it is registered and again before each delivery: DNS answers change. A
 * delivery connects to the very address that was checked ({@link WebhookTarget}), so a name that
 * answers a public address to the check and a private one to the connection (DNS rebinding) gets
 * nowhere.
 */
import { promises as dns } from 'node:dns';
import { isIP } from 'node:net';
import ipaddr from 'ipaddr.js';

/** A URL that passed the policy, and the address its delivery must connect to. */
export interface WebhookTarget {
  url: URL;
  /** The checked address (the first the resolver gave, all of them checked). */
  address: string;
  family: 4 | 6;
}

export type UrlCheck = { ok: true; target: WebhookTarget } | { ok: false; problem: string };

export interface WebhookUrlPolicyOptions {
  /** Allow plain http and private, loopback and link-local targets (development and tests). */
  allowPrivate: boolean;
  /** Resolves a host name to its addresses; default: the system resolver, every address. */
  lookup?: (host: string) => Promise<string[]>;
}

/**
 * The words of a refusal per range name of ipaddr.js (`range()`); a name missing here (a range a
 * later ipaddr.js adds) reads as reserved. Only `unicast` is allowed, and for IPv6 only inside
 * 2000::/3, the global unicast block: IANA has handed out nothing outside it, and `::/96`
 * (IPv4-compatible), `100::/64`, `fec0::/10` and `64:ff9b::/96` all live outside.
 */
const RANGE_WORDS: Record<string, string> = {
  unspecified: 'an unspecified address',
  broadcast: 'a broadcast address',
  multicast: 'a multicast address',
  linkLocal: 'a link-local address',
  loopback: 'a loopback address',
  carrierGradeNat: 'a carrier-grade NAT address',
  private: 'a private address',
  uniqueLocal: 'a unique-local address',
  deprecatedSiteLocal: 'a site-local address',
  discard: 'a discard-only address',
  // NAT64, 6to4 and Teredo wrap an IPv4 address a gateway would connect to: refused outright
  // rather than unwrapped and judged, which would trust the gateway's reading of the bits.
  rfc6052: 'a NAT64 address',
  rfc6145: 'an IPv4-translated address',
  '6to4': 'a 6to4 address',
  teredo: 'a Teredo address',
  benchmarking: 'a benchmarking address',
};
const RESERVED = 'a reserved address';
const GLOBAL_UNICAST_V6 = ipaddr.parseCIDR('2000::/3');

/**
 * Why `address` (an IP literal) may not be a webhook target, or null when it may. IPv4-mapped IPv6
 * (`::ffff:10.0.0.1`) is judged as the IPv4 address it maps. Exported for tests.
 */
export function forbiddenAddressReason(address: string): string | null {
  const family = isIP(address);
  if (family === 0) return 'not an IP address';
  let parsed = ipaddr.parse(family === 6 ? canonicalIPv6(address) : address);
  if (parsed.kind() === 'ipv6' && (parsed as ipaddr.IPv6).isIPv4MappedAddress()) {
    parsed = (parsed as ipaddr.IPv6).toIPv4Address();
  }
  const range: string = parsed.range();
  if (range === 'unicast') {
    if (parsed.kind() === 'ipv4' || parsed.match(GLOBAL_UNICAST_V6)) return null;
    return RESERVED;
  }
  return RANGE_WORDS[range] ?? RESERVED;
}

/**
 * `address` in hexadecimal groups, zone dropped. ipaddr.js reads the dotted IPv4-compatible form
 * `::10.0.0.1` as if it were IPv4-mapped `::ffff:10.0.0.1`; the WHATWG URL parser writes it
 * `::a00:1`, which ipaddr.js then reads right.
 */
function canonicalIPv6(address: string): string {
  const bare = address.split('%')[0];
  return new URL(`http://[${bare}]/`).hostname.slice(1, -1);
}

/**
 * Whether Redress may deliver notifications to `url`, and where the connection must go.
 *
 * Refuses: what does not parse as an absolute http(s) URL; a URL with a user name or password (a
 * secret in the URL, shown wherever the URL is, and a way to dress `https://good.com@evil/` up);
 * plain http unless `allowPrivate`; and, unless `allowPrivate`, a host that is `localhost` (or
 * `*.localhost`), or that is or resolves to anything but a global unicast address (see
 * {@link forbiddenAddressReason}). A host name with one forbidden address among several is refused:
 * a resolver could answer with any of them. A host that does not resolve is refused in both modes:
 * a typo should show at registration, not as a day of failed deliveries.
 *
 * The name is resolved once; the answer is the `target` a delivery pins its connection to.
 * Never throws.
 */
export async function checkWebhookUrl(
  url: string,
  opts: WebhookUrlPolicyOptions,
): Promise<UrlCheck> {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return refuse('is not a valid absolute URL');
  }
  if (parsed.username !== '' || parsed.password !== '') {
    return refuse('must not hold a user name or password');
  }
  const allowedProtocols = opts.allowPrivate ? ['https:', 'http:'] : ['https:'];
  if (!allowedProtocols.includes(parsed.protocol)) {
    return refuse(opts.allowPrivate ? 'must use https or http' : 'must use https');
  }

  // WHATWG URL has already turned "0x7f.1" or "2130706433" into "127.0.0.1"; IPv6 keeps brackets.
  const host = parsed.hostname.replace(/^\[(.*)\]$/, '$1');
  if (host === '') return refuse('has no host');

  if (isIP(host) !== 0) {
    const reason = opts.allowPrivate ? null : forbiddenAddressReason(host);
    return reason ? refuse(`points to ${host}, ${reason}`) : accept(parsed, host);
  }

  const name = host.replace(/\.$/, '').toLowerCase();
  if (!opts.allowPrivate && (name === 'localhost' || name.endsWith('.localhost'))) {
    return refuse(`points to ${host}, a loopback address`);
  }

  let addresses: string[];
  try {
    addresses = await (opts.lookup ?? lookupAll)(host);
  } catch (error) {
    return refuse(describeLookupFailure(host, error));
  }
  if (!Array.isArray(addresses) || addresses.length === 0) {
    return refuse(`has a host that does not resolve: ${host}`);
  }
  for (const address of addresses) {
    const reason =
      isIP(address) === 0
        ? 'not an IP address'
        : opts.allowPrivate
          ? null
          : forbiddenAddressReason(address);
    if (reason) return refuse(`has a host ${host} that resolves to ${address}, ${reason}`);
  }
  return accept(parsed, addresses[0]);
}

function accept(url: URL, address: string): UrlCheck {
  return { ok: true, target: { url, address, family: isIP(address) === 6 ? 6 : 4 } };
}

async function lookupAll(host: string): Promise<string[]> {
  const answers = await dns.lookup(host, { all: true, verbatim: true });
  return answers.map((answer) => answer.address);
}

function describeLookupFailure(host: string, error: unknown): string {
  const code = (error as { code?: unknown } | null)?.code;
  if (code === 'ENOTFOUND' || code === 'ENODATA') {
    return `has a host that does not resolve: ${host}`;
  }
  // EAI_AGAIN and friends: the name may be fine and the resolver down; say so.
  return `has a host that could not be resolved now: ${host} (${typeof code === 'string' ? code : 'lookup failed'})`;
}

function refuse(problem: string): UrlCheck {
  return { ok: false, problem: `webhookUrl ${problem}` };
}
