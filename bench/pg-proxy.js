// @ts-check
/**
 * A counting TCP proxy in front of PostgreSQL, for measuring round trips per HTTP request
 * (scripts/bench.js runs a second app instance behind it; never in the timed runs).
 *
 * It reads the frontend protocol from the app (startup, then typed messages) and forwards every
 * byte unchanged. A round trip is a simple Query ('Q') or an extended-protocol Sync ('S'):
 * node-postgres sends [Parse]/Bind/Describe/Execute/Sync per parameterised query (Parse only the
 * first time for a named, prepared statement) and a Query for BEGIN/COMMIT. A statement is counted
 * at its Query or Bind, by its first words.
 */
'use strict';
const net = require('node:net');

/**
 * @typedef {{ roundTrips: number, statements: number, byStatement: Map<string, number> }} Counts
 * @typedef {object} PgProxy
 * @property {number} port where the app connects (127.0.0.1)
 * @property {Counts} counts live
 * @property {() => Counts} snapshot a copy of the counts now
 * @property {() => Promise<void>} close
 */

/**
 * @param {{ path: string } | { host: string, port: number }} target PostgreSQL's socket or address
 * @returns {Promise<PgProxy>}
 */
function startPgProxy(target) {
  /** @type {Counts} */
  const counts = { roundTrips: 0, statements: 0, byStatement: new Map() };
  /** @param {string} sql */
  const note = (sql) => {
    counts.statements += 1;
    const key = sql.replace(/\s+/g, ' ').trim().slice(0, 70);
    counts.byStatement.set(key, (counts.byStatement.get(key) || 0) + 1);
  };

  const server = net.createServer((client) => {
    const upstream =
      'path' in target ? net.connect(target.path) : net.connect(target.port, target.host);
    let buffer = Buffer.alloc(0);
    let started = false;
    /** @type {Map<string, string>} named prepared statements: name -> text (from their Parse) */
    const named = new Map();
    /** The text of the last unnamed Parse, executed by the next unnamed Bind. */
    let unnamed = '';
    client.on('data', (/** @type {Buffer} */ chunk) => {
      upstream.write(chunk);
      buffer = Buffer.concat([buffer, chunk]);
      for (;;) {
        if (!started) {
          if (buffer.length < 8) return;
          const len = buffer.readInt32BE(0);
          if (buffer.length < len) return;
          const code = buffer.readInt32BE(4);
          if (code === 196608) started = true; // protocol 3.0 startup; SSL/GSS requests are not
          buffer = buffer.subarray(len);
          continue;
        }
        if (buffer.length < 5) return;
        const type = String.fromCharCode(buffer[0]);
        const len = buffer.readInt32BE(1);
        if (buffer.length < 1 + len) return;
        const body = buffer.subarray(5, 1 + len);
        if (type === 'Q') {
          counts.roundTrips += 1;
          note(body.toString('utf8', 0, body.length - 1));
        } else if (type === 'S') {
          counts.roundTrips += 1;
        } else if (type === 'P') {
          const nameEnd = body.indexOf(0);
          const sqlEnd = body.indexOf(0, nameEnd + 1);
          const name = body.toString('utf8', 0, nameEnd);
          const sql = body.toString('utf8', nameEnd + 1, sqlEnd);
          if (name) named.set(name, sql);
          else unnamed = sql;
        } else if (type === 'B') {
          // A statement executed: counted at its Bind, whether it was parsed now or prepared
          // earlier on this connection (a named statement is parsed once per connection).
          const portalEnd = body.indexOf(0);
          const name = body.toString('utf8', portalEnd + 1, body.indexOf(0, portalEnd + 1));
          note(name ? (named.get(name) ?? name) : unnamed);
        }
        buffer = buffer.subarray(1 + len);
      }
    });
    upstream.on('data', (chunk) => client.write(chunk));
    const close = () => {
      client.destroy();
      upstream.destroy();
    };
    client.on('error', close);
    upstream.on('error', close);
    client.on('close', close);
    upstream.on('close', close);
  });

  return new Promise((resolve) => {
    server.listen(0, '127.0.0.1', () => {
      resolve({
        port: /** @type {net.AddressInfo} */ (server.address()).port,
        counts,
        snapshot() {
          return {
            roundTrips: counts.roundTrips,
            statements: counts.statements,
            byStatement: new Map(counts.byStatement),
          };
        },
        close: () => new Promise((r) => server.close(() => r(undefined))),
      });
    });
  });
}

module.exports = { startPgProxy };
