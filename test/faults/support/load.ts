/**
 * Load for the fault tests: a few clients, each a merchant with its own key, sending events to
 * cases at a steady total rate whatever happens to the server (a refused connection is an answer
 * like any other). Every request carries a unique `ref` (as the text of the event's payload,
 * `text` or `reason`, or as the order ref of a case it opens), so that the timeline can later be
 * searched for exactly what was acknowledged.
 */
import { order } from '../../support/fixtures';

/** One merchant driving the load: its key and the cases it sends events to. */
export interface LoadClient {
  merchantId: string;
  key: string;
  cases: LoadCase[];
}

export interface LoadCase {
  id: string;
  /** Only NOTEs: the case is kept for something else (a webhook) that a transition would spoil. */
  notesOnly?: boolean;
}

/** One request and what came back: `status` null when no HTTP answer came (refused, reset). */
export interface Sent {
  ref: string;
  kind: 'event' | 'open';
  /** The event type, or the case type opened. */
  type: string;
  caseId: string | null;
  target: string;
  status: number | null;
  body: unknown;
  error: string | null;
  startedAt: number;
  endedAt: number;
}

export interface LoadOptions {
  /** Base URLs; each client sends its requests to them in turn. */
  targets: string[];
  clients: LoadClient[];
  supplierId: string;
  opsKey: string;
  /** Requests per second, all clients together. */
  ratePerSecond: number;
  random: () => number;
  /** Prefix of every ref, so that two loads on one database never mix. */
  label: string;
  /** Requests one client keeps in flight at most (a slow server lowers the rate). */
  maxInFlightPerClient?: number;
  /** Shares of the request mix (the rest are NOTEs). */
  mix?: { open?: number; requestRefund?: number; escalate?: number };
}

const isAck = (status: number | null): boolean => status !== null && status >= 200 && status < 300;

/** A POST with a JSON body; network failures are reported, not thrown. */
export async function postJson(
  url: string,
  body: unknown,
  headers: Record<string, string>,
  timeoutMs = 20_000,
): Promise<{ status: number | null; body: unknown; error: string | null }> {
  try {
    const res = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...headers },
      body: typeof body === 'string' ? body : JSON.stringify(body),
      signal: AbortSignal.timeout(timeoutMs),
    });
    const text = await res.text();
    let parsed: unknown = text;
    try {
      parsed = JSON.parse(text);
    } catch {
      // not JSON: kept as text
    }
    return { status: res.status, body: parsed, error: null };
  } catch (error) {
    const cause = (error as { cause?: { code?: string; message?: string } }).cause;
    return { status: null, body: null, error: cause?.code ?? cause?.message ?? String(error) };
  }
}

export class LoadGenerator {
  readonly sent: Sent[] = [];
  private running = false;
  private loops: Promise<void>[] = [];
  private readonly inFlight = new Set<Promise<void>>();
  private counter = 0;

  constructor(private readonly options: LoadOptions) {}

  start(): void {
    if (this.running) throw new Error('load already running');
    this.running = true;
    this.loops = this.options.clients.map((client, index) => this.loop(client, index));
  }

  /** Stops sending and waits for every request in flight to be answered or to fail. */
  async stop(): Promise<void> {
    this.running = false;
    await Promise.all(this.loops);
    await Promise.all([...this.inFlight]);
  }

  acked(): Sent[] {
    return this.sent.filter((s) => isAck(s.status));
  }

  /** Resolves once `count` more requests were acknowledged (2xx) from now on. */
  async waitForAcks(count: number, timeoutMs: number): Promise<void> {
    const target = this.acked().length + count;
    const until = Date.now() + timeoutMs;
    while (this.acked().length < target) {
      if (Date.now() > until) {
        throw new Error(`fewer than ${count} requests acknowledged within ${timeoutMs} ms`);
      }
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
  }

  private async loop(client: LoadClient, index: number): Promise<void> {
    const { clients, ratePerSecond, maxInFlightPerClient = 16 } = this.options;
    const intervalMs = (1000 * clients.length) / ratePerSecond;
    const mine = new Set<Promise<void>>();
    let next = Date.now() + (intervalMs * index) / clients.length;
    let turn = index;
    while (this.running) {
      const wait = next - Date.now();
      if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
      next = Math.max(next + intervalMs, Date.now() - intervalMs);
      if (!this.running) break;
      if (mine.size >= maxInFlightPerClient) {
        await Promise.race(mine);
        continue;
      }
      const target = this.options.targets[turn++ % this.options.targets.length];
      const request = this.one(client, target).finally(() => {
        mine.delete(request);
        this.inFlight.delete(request);
      });
      mine.add(request);
      this.inFlight.add(request);
    }
  }

  private async one(client: LoadClient, target: string): Promise<void> {
    const { random, mix = {}, opsKey, supplierId, label } = this.options;
    const ref = `${label}-${(this.counter++).toString(36)}-${random().toString(36).slice(2, 8)}`;
    const roll = random();
    const openShare = mix.open ?? 0.03;
    const refundShare = mix.requestRefund ?? 0.07;
    const escalateShare = mix.escalate ?? 0.03;
    const startedAt = Date.now();
    if (roll < openShare || client.cases.length === 0) {
      const result = await postJson(
        `${target}/v1/cases`,
        { type: 'out_of_stock', supplierId, order: { ...order(), ref } },
        { authorization: `Bearer ${client.key}` },
      );
      const body = result.body as { id?: string } | null;
      const caseId = isAck(result.status) && body?.id ? body.id : null;
      if (caseId) client.cases.push({ id: caseId });
      this.sent.push({
        ref,
        kind: 'open',
        type: 'out_of_stock',
        caseId,
        target,
        ...result,
        startedAt,
        endedAt: Date.now(),
      });
      return;
    }
    const onCase = client.cases[Math.floor(random() * client.cases.length)];
    let type = 'NOTE';
    let key = client.key;
    let payload: Record<string, unknown> = { text: ref };
    if (!onCase.notesOnly && roll < openShare + refundShare) {
      type = 'REQUEST_REFUND';
      payload = { reason: ref };
    } else if (!onCase.notesOnly && roll < openShare + refundShare + escalateShare) {
      type = 'ESCALATE';
      key = opsKey;
      payload = { reason: ref };
    }
    const result = await postJson(
      `${target}/v1/cases/${onCase.id}/events`,
      { type, payload },
      { authorization: `Bearer ${key}` },
    );
    this.sent.push({
      ref,
      kind: 'event',
      type,
      caseId: onCase.id,
      target,
      ...result,
      startedAt,
      endedAt: Date.now(),
    });
  }
}

/** A compact count of answers by status (`null`: no HTTP answer), for logs and assertions. */
export function statusCounts(sent: Sent[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const s of sent) {
    const key = s.status === null ? `net:${s.error}` : String(s.status);
    counts[key] = (counts[key] ?? 0) + 1;
  }
  return counts;
}
