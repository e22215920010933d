import type { Pool } from 'pg';
import { entryHash, TimelineEntry } from '../../src/timeline/hash-chain';
import { toEntry } from '../../src/timeline/timeline.service';

/**
 * What someone with database access could do (issue 16): disable the triggers, edit one entry of a
 * case and recompute every hash after it, and the case's head, so that the chain verifies again.
 */
export async function rewriteChain(pool: Pool, caseId: string, seq: number, payload: object) {
  const client = await pool.connect();
  try {
    await client.query('BEGIN');
    await client.query('ALTER TABLE timeline_entries DISABLE TRIGGER USER');
    const { rows } = await client.query<Parameters<typeof toEntry>[0]>(
      `SELECT case_id, seq, at, type, actor, from_state, to_state, payload, prev_hash, hash
       FROM timeline_entries WHERE case_id = $1 ORDER BY seq`,
      [caseId],
    );
    let prev: TimelineEntry | null = null;
    for (const entry of rows.map(toEntry)) {
      if (entry.seq === seq) entry.payload = payload as Record<string, unknown>;
      if (prev) entry.prevHash = prev.hash;
      entry.hash = entryHash(entry);
      await client.query(
        `UPDATE timeline_entries SET payload = $3, prev_hash = $4, hash = $5 WHERE case_id = $1 AND seq = $2`,
        [caseId, entry.seq, entry.payload, entry.prevHash, entry.hash],
      );
      prev = entry;
    }
    await client.query(`UPDATE cases SET last_hash = $2 WHERE id = $1`, [caseId, prev!.hash]);
    await client.query('ALTER TABLE timeline_entries ENABLE TRIGGER USER');
    await client.query('COMMIT');
  } catch (error) {
    await client.query('ROLLBACK');
    throw error;
  } finally {
    client.release();
  }
}
