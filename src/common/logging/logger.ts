import type { LoggerService } from '@nestjs/common';
import { LogController, type FastifyReply, type FastifyRequest } from 'fastify';
import pino, { DestinationStream, Logger as Pino, Level } from 'pino';

/**
 * A case link's token is its holder's only credential (collaboration.md, evidence.md): the path
 * segment that carries it is written as `…` (`/s/…`, `/v1/portal/…/events`, `/b/…`,
 * `/v1/buyer/…`), whatever follows it kept.
 */
const LINK_TOKEN_IN_PATH = /^(\/s\/|\/b\/|\/v1\/portal\/|\/v1\/buyer\/)[^/?#]*/;

export function redactLinkTokens(url: string): string {
  return url.replace(LINK_TOKEN_IN_PATH, '$1…');
}

/**
 * Logs are pino's JSON lines on stdout, through Fastify's own logger: every request gets a child
 * logger (`request.log`) bound to its id (`reqId`, the `x-request-id` the caller sent or the one
 * we gave it), and one line when it completes.
 *
 * Not nestjs-pino: it finds a request's logger through an AsyncLocalStorage, and on Node 20 that
 * turns on async_hooks for every promise the process makes, a share of the app's CPU per event
 * measured in BENCHMARKS.md ("Analysis"), to give a request id to the two log calls made inside a request,
 * which now get `request.log` directly (the errors filter, the idempotency hook).
 */
export function createLogger(level: string, destination?: DestinationStream): Pino {
  const options: pino.LoggerOptions = {
    level,
    // API keys and signatures never reach the logs, even if a headers object is logged.
    redact: {
      paths: [
        'req.headers.authorization',
        'req.headers["webhook-signature"]',
        'req.headers.cookie',
      ],
      censor: '[redacted]',
    },
    serializers: {
      req: (req: FastifyRequest) => ({ method: req.method, url: redactLinkTokens(req.url) }),
      res: (reply: FastifyReply) => ({ statusCode: reply.statusCode }),
      err: pino.stdSerializers.err,
    },
  };
  return destination ? pino(options, destination) : pino(options);
}

/** Routes Redress itself polls or scrapes: not logged per request. */
const QUIET = new Set(['/health', '/metrics']);

/**
 * Fastify's per-request log lines, as one `request completed` line per request (`reqId`, method,
 * url, status, ms taken) instead of Fastify's two; `/health` and `/metrics` are left out. Passed
 * to Fastify as its `logController`.
 */
export class RequestLog extends LogController {
  override isLogDisabled(request: FastifyRequest): boolean {
    return QUIET.has(request.url);
  }

  override incomingRequest(): void {
    // One line per request: the one written when it completes.
  }

  override requestCompleted(
    error: Error | null | undefined,
    request: FastifyRequest,
    reply: FastifyReply,
  ) {
    if (this.isLogDisabled(request)) return;
    const line = { req: request, res: reply, responseTime: reply.elapsedTime };
    if (error) reply.log.error({ ...line, err: error }, 'request errored');
    else reply.log.info(line, 'request completed');
  }
}

/** Nest's own messages (start-up, `new Logger(...)` in services) as pino lines with `context`. */
export class NestPinoLogger implements LoggerService {
  constructor(private readonly pino: Pino) {}

  log(message: unknown, ...rest: unknown[]): void {
    this.write('info', message, rest);
  }
  error(message: unknown, ...rest: unknown[]): void {
    this.write('error', message, rest);
  }
  warn(message: unknown, ...rest: unknown[]): void {
    this.write('warn', message, rest);
  }
  debug(message: unknown, ...rest: unknown[]): void {
    this.write('debug', message, rest);
  }
  verbose(message: unknown, ...rest: unknown[]): void {
    this.write('trace', message, rest);
  }
  fatal(message: unknown, ...rest: unknown[]): void {
    this.write('fatal', message, rest);
  }

  /**
   * Nest calls `(message, context)`, and for errors `(message, stack, context)`: the last string
   * is the context (the class that logged), a string before it the stack.
   */
  private write(level: Level, message: unknown, rest: unknown[]): void {
    if (!this.pino.isLevelEnabled(level)) return;
    const strings = rest.filter((r): r is string => typeof r === 'string');
    const context = strings.length ? strings[strings.length - 1] : undefined;
    const stack = strings.length > 1 ? strings[strings.length - 2] : undefined;
    if (message instanceof Error) {
      this.pino[level]({ context, err: message }, message.message);
    } else if (typeof message === 'object' && message !== null) {
      this.pino[level]({ context, ...message, ...(stack ? { stack } : {}) });
    } else {
      this.pino[level]({ context, ...(stack ? { stack } : {}) }, String(message));
    }
  }
}
