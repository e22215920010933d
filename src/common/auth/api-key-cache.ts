import {
  Inject,
  Injectable,
  Logger,
  OnApplicationBootstrap,
  OnModuleDestroy,
} from '@nestjs/common';
import { performance } from 'node:perf_hooks';
import { Client } from 'pg';
import { APP_CONFIG, AppConfig } from '../../config/app-config';
import { Principal } from './principal';

/** The PostgreSQL channel a revocation is announced on; the payload is the key's id. */
export const API_KEY_REVOKED_CHANNEL = 'redress_api_key_revoked';
/** How long a known key is trusted while revocations are heard (a backstop, not the mechanism). */
const TTL_LISTENING_MS = 60_000;
/** ...and while they are not (listener down or not yet connected): under the 1 s promise. */
const TTL_DEAF_MS = 500;
const RECONNECT_DELAY_MS = 1000;
/** The listening connection is checked this often: a silently dead one must not hide revocations. */
const HEARTBEAT_EVERY_MS = 5000;
const HEARTBEAT_TIMEOUT_MS = 2000;
const MAX_ENTRIES = 10_000;

/**
 * Known API keys, per instance, so that the hot path costs no query per request. A revoked key is
 * refused by every instance within a second (hardening.md): the revoking statement sends
 * `NOTIFY redress_api_key_revoked, '<id>'` and every instance LISTENs on a connection of its own
 * and forgets that key at once. That connection is checked every 5 s; while it is down, entries
 * live at most 500 ms, and everything cached is dropped when it goes and when it comes back (a
 * revocation may have been missed meanwhile).
 *
 * A lookup that started before a revocation may answer after it: {@link generation} moves on
 * every revocation heard, and a lookup's answer is only cached if none came in between.
 */
@Injectable()
export class ApiKeyCache implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger(ApiKeyCache.name);
  /** Keyed by the hex SHA-256 of the key, never the key itself. Expiry on the monotonic clock. */
  private readonly entries = new Map<string, { principal: Principal; until: number }>();
  private generationCount = 0;
  private listener: Client | null = null;
  private reconnect: NodeJS.Timeout | null = null;
  private heartbeat: NodeJS.Timeout | null = null;
  private stopping = false;
  private warned = false;

  constructor(@Inject(APP_CONFIG) private readonly config: AppConfig) {}

  async onApplicationBootstrap(): Promise<void> {
    await this.listen();
  }

  async onModuleDestroy(): Promise<void> {
    this.stopping = true;
    if (this.reconnect) clearTimeout(this.reconnect);
    if (this.heartbeat) clearInterval(this.heartbeat);
    const listener = this.listener;
    this.listener = null;
    await listener?.end().catch(() => undefined);
  }

  /** Whether revocations from other instances are being heard right now. */
  get listening(): boolean {
    return this.listener !== null;
  }

  /** Taken before a lookup, handed back to {@link set}. */
  get generation(): number {
    return this.generationCount;
  }

  get(hashHex: string): Principal | null {
    const entry = this.entries.get(hashHex);
    if (!entry) return null;
    if (entry.until > performance.now()) return entry.principal;
    this.entries.delete(hashHex);
    return null;
  }

  set(hashHex: string, principal: Principal, generation: number): void {
    if (generation !== this.generationCount) return;
    if (this.entries.size >= MAX_ENTRIES) this.entries.clear();
    const ttl = this.listening ? TTL_LISTENING_MS : TTL_DEAF_MS;
    this.entries.set(hashHex, { principal, until: performance.now() + ttl });
  }

  /** Forgets a revoked key (by id: the key itself is not known here). */
  forget(apiKeyId: string): void {
    this.generationCount += 1;
    for (const [hash, entry] of this.entries) {
      if (entry.principal.apiKeyId === apiKeyId) this.entries.delete(hash);
    }
  }

  private forgetAll(): void {
    this.generationCount += 1;
    this.entries.clear();
  }

  private async listen(): Promise<void> {
    this.reconnect = null;
    if (this.stopping) return;
    const client = new Client({
      connectionString: this.config.databaseUrl ?? undefined,
      keepAlive: true,
      application_name: 'redress-key-revocations',
      connectionTimeoutMillis: 3000,
    });
    client.on('notification', (message) => {
      if (message.channel === API_KEY_REVOKED_CHANNEL && message.payload) {
        this.forget(message.payload);
      }
    });
    client.on('error', (error) => this.lost(client, error));
    client.on('end', () => this.lost(client, null));
    try {
      await client.connect();
      await client.query(`LISTEN ${API_KEY_REVOKED_CHANNEL}`);
    } catch (error) {
      this.lost(client, error);
      await client.end().catch(() => undefined);
      return;
    }
    if (this.stopping) return void client.end().catch(() => undefined);
    this.listener = client;
    this.forgetAll();
    this.heartbeat ??= setInterval(() => void this.checkListener(), HEARTBEAT_EVERY_MS);
    this.heartbeat.unref();
    if (this.warned) this.logger.log('Listening for API key revocations again');
    this.warned = false;
  }

  /** A round trip on the listening connection; no answer in 2 s counts as a lost connection. */
  private async checkListener(): Promise<void> {
    const client = this.listener;
    if (!client) return;
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error('no answer in 2 s')), HEARTBEAT_TIMEOUT_MS);
    });
    try {
      await Promise.race([client.query('SELECT 1'), timeout]);
    } catch (error) {
      this.lost(client, error);
      client.end().catch(() => undefined);
    } finally {
      clearTimeout(timer);
    }
  }

  private lost(client: Client, error: unknown): void {
    if (this.listener === client) this.listener = null;
    this.forgetAll();
    if (this.stopping || this.reconnect) return;
    if (!this.warned) {
      this.logger.warn(
        `Not listening for API key revocations (${error instanceof Error ? error.message : 'connection ended'}); known keys are rechecked every 500 ms until it reconnects`,
      );
      this.warned = true;
    }
    this.reconnect = setTimeout(() => void this.listen(), RECONNECT_DELAY_MS);
    this.reconnect.unref();
  }
}
