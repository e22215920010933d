/**
 * Whether an error means "the database cannot be reached right now" (down, restarting, refusing
 * connections, connection lost mid-query) rather than a fault in our code or data. Those answer
 * 503 `service_unavailable`, so a client retries; anything else stays a logged 500.
 *
 * node-postgres reports a lost server as socket errors (`ECONNREFUSED`, `ECONNRESET`), as plain
 * messages without a code (`Connection terminated unexpectedly`, pg-pool's connect timeout) or as
 * the server's own SQLSTATE (`57P01` admin_shutdown on `pg_ctl stop`, `57P03` while it starts, class
 * `08` connection exceptions). TypeORM wraps query errors in `QueryFailedError` with `driverError`.
 */
const SOCKET_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ECONNABORTED',
  'EPIPE',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ENOTFOUND',
  'EAI_AGAIN',
]);

/** admin_shutdown, crash_shutdown, cannot_connect_now, too_many_connections. */
const SQLSTATES = new Set(['57P01', '57P02', '57P03', '53300']);

const MESSAGES = [
  /^Connection terminated/, // unexpectedly | due to connection timeout | (client ended mid-query)
  /^timeout exceeded when trying to connect$/, // pg-pool's connectionTimeoutMillis
  /^Client has encountered a connection error and is not queryable$/,
  /^Client was closed and is not queryable$/,
  /^terminating connection due to administrator command$/,
  /^the database system is (starting up|shutting down|in recovery mode)$/,
];

export function isDatabaseUnavailable(error: unknown): boolean {
  const seen = new Set<unknown>();
  for (let current = error; current && typeof current === 'object'; ) {
    if (seen.has(current)) return false;
    seen.add(current);
    const { code, message } = current as { code?: unknown; message?: unknown };
    if (typeof code === 'string') {
      if (SOCKET_CODES.has(code) || SQLSTATES.has(code) || /^08[0-9A-Z]{3}$/.test(code)) {
        return true;
      }
    }
    if (typeof message === 'string' && MESSAGES.some((pattern) => pattern.test(message))) {
      return true;
    }
    // Connecting to several addresses fails with an AggregateError of socket errors.
    if (current instanceof AggregateError && current.errors.some((e) => isDatabaseUnavailable(e))) {
      return true;
    }
    const wrapper = current as { driverError?: unknown; cause?: unknown };
    current = wrapper.driverError ?? wrapper.cause;
  }
  return false;
}
