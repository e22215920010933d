// @ts-check
// Values whose shape only the caller knows: JSON another process printed, rows PostgreSQL
// returned. They come back as `unknown` (not `any`), so that each caller states the shape it
// expects with a JSDoc cast, `/** @type {T} */ (value)`, and tsc checks every use against it.
'use strict';

/**
 * @param {string} text
 * @returns {unknown}
 */
function parseJson(text) {
  return JSON.parse(text);
}

/**
 * The rows of a query.
 * @param {import('pg').Client} db
 * @param {string} text
 * @param {unknown[]} [values]
 * @returns {Promise<unknown[]>}
 */
async function queryRows(db, text, values) {
  /** @type {{ rows: unknown[] }} */
  const result = await db.query(text, values);
  return result.rows;
}

/**
 * A module of the built app (dist/), required at run time; typed by the caller from its source.
 * @param {string} file an absolute path
 * @returns {unknown}
 */
function requireBuilt(file) {
  return require(file);
}

/**
 * The first row of a query (undefined if none).
 * @param {import('pg').Client} db
 * @param {string} text
 * @param {unknown[]} [values]
 */
async function queryOne(db, text, values) {
  return (await queryRows(db, text, values))[0];
}

module.exports = { parseJson, queryOne, queryRows, requireBuilt };
