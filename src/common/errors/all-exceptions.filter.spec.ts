import { Client, DatabaseError } from 'pg';
import { QueryFailedError } from 'typeorm';
import { Writable } from 'node:stream';
import { createLogger } from '../logging/logger';
import { toApiError } from './all-exceptions.filter';
import { isDatabaseUnavailable } from './database-unavailable';

/** A server error as node-postgres raises it (what `pg_ctl stop` sends to open sessions, say). */
function serverError(code: string, message: string): DatabaseError {
  const error = new DatabaseError(message, message.length, 'error');
  error.code = code;
  error.severity = 'FATAL';
  return error;
}

const wrapped = (driverError: Error) => new QueryFailedError('SELECT 1', [], driverError);

describe('toApiError: a database that cannot be reached is 503, never 500', () => {
  it('a refused connection, as pg raises it, is 503 service_unavailable with Retry-After', async () => {
    // Port 1 on loopback: nothing listens, the kernel refuses at once.
    const client = new Client({ host: '127.0.0.1', port: 1, connectionTimeoutMillis: 2000 });
    const refused = await client.connect().then(
      () => null,
      (error: unknown) => error,
    );
    // (jest runs the spec in another realm: compare the shape, not the Error class.)
    expect(refused).toMatchObject({ code: 'ECONNREFUSED' });
    const error = toApiError(refused);
    expect(error.toBody()).toEqual({
      statusCode: 503,
      error: 'service_unavailable',
      message: 'The database is unavailable; retry shortly',
    });
    expect(error.headers).toEqual({ 'retry-after': '1' });
  });

  it.each([
    [
      'admin_shutdown (pg_ctl stop) in a query',
      wrapped(serverError('57P01', 'terminating connection due to administrator command')),
    ],
    [
      'crash_shutdown',
      wrapped(
        serverError('57P02', 'terminating connection because of crash of another server process'),
      ),
    ],
    [
      'cannot_connect_now while starting',
      serverError('57P03', 'the database system is starting up'),
    ],
    ['too_many_connections', serverError('53300', 'sorry, too many clients already')],
    ['a connection exception (class 08)', wrapped(serverError('08006', 'connection failure'))],
    ['a lost connection', wrapped(new Error('Connection terminated unexpectedly'))],
    ['a connect timeout (pg)', new Error('Connection terminated due to connection timeout')],
    ['a connect timeout (pg-pool)', new Error('timeout exceeded when trying to connect')],
    [
      'a client broken by an earlier error',
      new Error('Client has encountered a connection error and is not queryable'),
    ],
    ['a reset socket', Object.assign(new Error('read ECONNRESET'), { code: 'ECONNRESET' })],
    [
      'several refused addresses',
      new AggregateError([Object.assign(new Error('x'), { code: 'ECONNREFUSED' })]),
    ],
    [
      'a cause chain',
      new Error('transaction failed', { cause: new Error('Connection terminated') }),
    ],
  ])('%s', (_name, exception) => {
    expect(isDatabaseUnavailable(exception)).toBe(true);
    expect(toApiError(exception).toBody()).toMatchObject({
      statusCode: 503,
      error: 'service_unavailable',
    });
  });

  it.each([
    [
      'a unique violation',
      wrapped(serverError('23505', 'duplicate key value violates unique constraint')),
    ],
    ['a syntax error (our bug)', wrapped(serverError('42601', 'syntax error at or near "SELEC"'))],
    ['a plain bug', new TypeError("Cannot read properties of undefined (reading 'id')")],
  ])('%s stays a 500 that leaks nothing, and is logged with its stack', (_name, exception) => {
    expect(isDatabaseUnavailable(exception)).toBe(false);
    let logged = '';
    const logger = createLogger(
      'info',
      new Writable({
        write(chunk: Buffer, _encoding, done) {
          logged += chunk.toString();
          done();
        },
      }),
    );
    expect(toApiError(exception, logger).toBody()).toEqual({
      statusCode: 500,
      error: 'internal_error',
      message: 'Internal error; it has been logged',
    });
    const line = JSON.parse(logged) as { level: number; msg: string; err: { stack: string } };
    expect(line).toMatchObject({ level: 50, msg: 'unhandled error' });
    expect(line.err.stack).toContain((exception as Error).message);
  });

  it('a cycle of causes does not loop', () => {
    const a: { cause?: unknown; message: string } = { message: 'a' };
    a.cause = { message: 'b', cause: a };
    expect(isDatabaseUnavailable(a)).toBe(false);
  });
});
