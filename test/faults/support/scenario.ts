/**
 * The common start of every fault test: the app's environment, parties and cases through the
 * API, a reproducible random source, and a way to say what was measured.
 */
import { seededRandom } from '../../e2e/webhook-helpers';
import { Api, OPS_KEY, order } from '../../support/fixtures';
import type { LoadClient } from './load';

export { OPS_KEY };

/** The app process's environment: quiet logs, no rate limit in the way, a brisk scheduler. */
export function appEnv(databaseUrl: string, extra: Record<string, string> = {}) {
  return {
    DATABASE_URL: databaseUrl,
    REDRESS_BOOTSTRAP_OPS_KEY: OPS_KEY,
    LOG_LEVEL: 'warn',
    REDRESS_RATE_LIMIT_PER_SECOND: '100000',
    REDRESS_SCHEDULER_INTERVAL_MS: '200',
    ...extra,
  };
}

/**
 * Case types whose timers make a varied load when they come due: a breach without a change of
 * state (out_of_stock), a breach that moves on to a refund (unresponsive_supplier), a nudge then a
 * decision (late_shipment), reminders that repeat (customs_delay).
 */
export const CASE_MIX = [
  'out_of_stock',
  'unresponsive_supplier',
  'late_shipment',
  'customs_delay',
  'out_of_stock',
];

/** One supplier and `clients` merchants (a key each), each with one case of every type given. */
export async function seedClients(
  api: Api,
  clients: number,
  types: string[] = CASE_MIX,
): Promise<{ supplier: { id: string; secret: string }; clients: LoadClient[] }> {
  const supplier = await api.supplier('Fault supplier');
  const result: LoadClient[] = [];
  for (let i = 0; i < clients; i++) {
    const merchant = await api.merchant(`Fault shop ${i + 1}`);
    const cases = [];
    for (const type of types) {
      const snapshot = order({ shipped: type === 'customs_delay' });
      const opened = (await api.open(merchant.key, supplier.id, type, snapshot)) as { id: string };
      cases.push({ id: opened.id });
    }
    result.push({ merchantId: merchant.id, key: merchant.key, cases });
  }
  return { supplier, clients: result };
}

/** A seeded random source; FAULTS_SEED replays a run (the seed is printed). */
export function faultRandom(name: string): () => number {
  const seed = Number(process.env.FAULTS_SEED) || Math.floor(Math.random() * 2 ** 31);
  report(name, `seed ${seed} (FAULTS_SEED=${seed} replays the same choices)`);
  return seededRandom(seed);
}

export function report(name: string, message: string): void {
  process.stdout.write(`[faults] ${name}: ${message}\n`);
}

/** Resolves once `check` holds; polls every `everyMs`. */
export async function until(
  what: string,
  check: () => Promise<boolean> | boolean,
  timeoutMs: number,
  everyMs = 50,
): Promise<number> {
  const start = Date.now();
  while (!(await check())) {
    if (Date.now() - start > timeoutMs) throw new Error(`${what}: not within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, everyMs));
  }
  return Date.now() - start;
}

/** A pause of a random length in [min, max): the moment a fault strikes, not a wait for a state. */
export function randomMoment(random: () => number, minMs: number, maxMs: number): Promise<void> {
  const ms = minMs + Math.floor(random() * (maxMs - minMs));
  return new Promise((resolve) => setTimeout(resolve, ms));
}
