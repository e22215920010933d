import { createHash } from 'node:crypto';

const names = new Map<string, string>();

/**
 * A hot statement as node-postgres's named query config, for `EntityManager.query`: node-postgres
 * prepares it once per connection under a name derived from its text and then only binds and
 * executes it, so PostgreSQL skips parsing and, once it settles on a generic plan, planning too.
 * For the case read (three JSON sub-selects) planning cost more than the execution; how much
 * preparing gains is measured in BENCHMARKS.md ("Analysis").
 *
 * TypeORM hands its query argument to node-postgres's `client.query` untouched, which takes such a
 * config object in place of the text; TypeORM's own signature only names strings, hence the cast
 * in this one place. The texts must be a small, fixed set (each name is prepared on every pooled
 * connection); a statement built per request from its values must not come through here.
 * Named statements need session-level connections: behind PgBouncer, use its session mode (or
 * its prepared-statement support, 1.21+).
 */
export function prepared(text: string): string {
  let name = names.get(text);
  if (!name) {
    name = `redress_${createHash('sha1').update(text).digest('hex').slice(0, 16)}`;
    names.set(text, name);
  }
  return { name, text } as unknown as string;
}
