/**
 * What the HTTP server accepts from the network (hardening.md "Network edges"): whose
 * `X-Forwarded-For` is believed, how long a slow client may take, how many sockets may be open.
 * app.factory.ts spreads {@link serverLimitOptions} into the Fastify options and calls
 * {@link capConnections} on the server it made.
 */
import type { Server } from 'node:http';
import type { AppConfig } from '../../config/app-config';

type LimitsConfig = Pick<
  AppConfig,
  'trustProxy' | 'headersTimeoutMs' | 'requestTimeoutMs' | 'keepAliveTimeoutMs'
>;

/**
 * Node (20 to 24) keeps an idle keep-alive socket this much longer than `keepAliveTimeout`, so
 * that a client reusing it at the advertised limit does not race the close.
 */
const NODE_KEEP_ALIVE_BUFFER_MS = 1000;

/**
 * Fastify options. Without `REDRESS_TRUST_PROXY`, `request.ip` is the socket's address, so a client
 * cannot escape a per-address limit by sending a new `X-Forwarded-For` each time.
 *
 * Node checks the headers and request timeouts on a timer (`connectionsCheckingInterval`, 30 s by
 * default): at that pace a 10 s headers timeout could let a slow client hold its socket 40 s, so the
 * check runs every second (or more often when the timeouts are shorter, in tests). An idle
 * keep-alive socket is closed at `keepAliveTimeoutMs`: Node's buffer is taken off what it is told
 * (clients see `Keep-Alive: timeout=4` for 5 s).
 */
export function serverLimitOptions(config: LimitsConfig) {
  return {
    trustProxy: config.trustProxy,
    requestTimeout: config.requestTimeoutMs,
    keepAliveTimeout:
      config.keepAliveTimeoutMs > NODE_KEEP_ALIVE_BUFFER_MS
        ? config.keepAliveTimeoutMs - NODE_KEEP_ALIVE_BUFFER_MS
        : config.keepAliveTimeoutMs,
    http: {
      headersTimeout: config.headersTimeoutMs,
      connectionsCheckingInterval: Math.min(
        1000,
        Math.max(25, Math.floor(config.headersTimeoutMs / 4)),
      ),
    },
  };
}

/** At most `max` open sockets: Node closes the ones past it as soon as they connect. */
export function capConnections(server: Server, max: number): void {
  server.maxConnections = max;
}
