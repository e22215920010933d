/**
 * Which `webhookUrl`s Redress may POST to (QUALITY.md "Outbound URLs": https only; no private,
 * loopback or link-local targets unless explicitly allowed for development, api.md
 * `REDRESS_ALLOW_PRIVATE_WEBHOOKS=1`). Without this, a party could register
 * `http://169.254.169.254/...` or an internal service and have Redress call it (SSRF).
 *
 * Check the URL when it is registered and again before each delivery: DNS answers change.
 */
import { promises as dns } from 'node:dns';
import { BlockList, isIP } from 'node:net';

export type UrlCheck = { ok: true } | { ok: false; problem: string };

export interface WebhookUrlPolicyOptions {
  /** Allow plain http and private, loopback and link-local targets (development and tests). */
  allowPrivate: boolean;
  /** Resolves a host name to its addresses; default: the system resolver, every address. */
  lookup?: (host: string) => Promise<string[]>;
}

/** Address ranges no webhook may target, each with the words used in the refusal. */
const FORBIDDEN_RANGES: { label: string; v4?: [string, number][]; v6?: [string, number][] }[] = [
  { label: 'a loopback address', v4: [['127.0.0.0', 8]], v6: [['::1', 128]] },
  {
    label: 'a private address',
    v4: [
      ['10.0.0.0', 8],
      ['172.16.0.0', 12],
      ['192.168.0.0', 16],
    ],
  },
  { label: 'a carrier-grade NAT address', v4: [['100.64.0.0', 10]] },
  { label: 'a link-local address', v4: [['169.254.0.0', 16]], v6: [['fe80::', 10]] },
  { label: 'a unique-local address', v6: [['fc00::', 7]] },
  // 0.0.0.0 and :: reach the local host on Linux; the rest of 0/8 is "this network".
  { label: 'an unspecified address', v4: [['0.0.0.0', 8]], v6: [['::', 128]] },
  // Never a single web server: multicast, reserved and broadcast, IPv4-compatible IPv6 (deprecated).
  {
    label: 'a reserved or multicast address',
    v4: [
      ['224.0.0.0', 4],
      ['240.0.0.0', 4],
    ],
    v6: [
      ['ff00::', 8],
      ['::', 96],
    ],
  },
];

/**
 * One BlockList per label. Node's BlockList also matches IPv4-mapped IPv6 addresses
 * (`::ffff:10.0.0.1`) against the IPv4 rules, which the tests pin down.
 */
const BLOCK_LISTS = FORBIDDEN_RANGES.map(({ label, v4 = [], v6 = [] }) => {
  const list = new BlockList();
  for (const [network, prefix] of v4) list.addSubnet(network, prefix, 'ipv4');
  for (const [network, prefix] of v6) list.addSubnet(network, prefix, 'ipv6');
  return { label, list };
});

/**
 * Why `address` (an IP literal) may not be a webhook target, or null when it may. Exported for the
 * sender and for tests.
 */
export function forbiddenAddressReason(address: string): string | null {
  const family = isIP(address);
  if (family === 0) return 'not an IP address';
  const type = family === 4 ? 'ipv4' : 'ipv6';
  for (const { label, list } of BLOCK_LISTS) {
    if (list.check(address, type)) return label;
  }
  return null;
}

/**
 * Whether Redress may deliver notifications to `url`.
 *
 * Refuses: what does not parse as an absolute http(s) URL; plain http unless `allowPrivate`; and,
 * unless `allowPrivate`, a host that is `localhost` (or `*.localhost`), or that is or resolves to a
 * loopback, private, carrier-grade NAT, link-local, unspecified, unique-local, multicast or reserved
 * address (IPv4-mapped IPv6 forms included). A host name with one forbidden address among several
 * is refused: the sender could connect to any of them. A host that does not resolve is refused in
 * both modes: a typo should show at registration, not as a day of failed deliveries.
 *
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
  const allowedProtocols = opts.allowPrivate ? ['https:', 'http:'] : ['https:'];
  if (!allowedProtocols.includes(parsed.protocol)) {
    return refuse(opts.allowPrivate ? 'must use https or http' : 'must use https');
  }

  // WHATWG URL has already turned "0x7f.1" or "2130706433" into "127.0.0.1"; IPv6 keeps brackets.
  const host = parsed.hostname.replace(/^\[(.*)\]$/, '$1');
  if (host === '') return refuse('has no host');

  if (isIP(host) !== 0) {
    const reason = opts.allowPrivate ? null : forbiddenAddressReason(host);
    return reason ? refuse(`points to ${host}, ${reason}`) : { ok: true };
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
  if (opts.allowPrivate) return { ok: true };
  for (const address of addresses) {
    const reason = forbiddenAddressReason(address);
    if (reason) return refuse(`has a host ${host} that resolves to ${address}, ${reason}`);
  }
  return { ok: true };
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
