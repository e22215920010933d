import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { TimelineEntry, verifyChain } from './hash-chain';
import { prepared } from '../database/prepared';

interface EntryRow {
  case_id: string;
  seq: number;
  at: Date;
  type: string;
  actor: TimelineEntry['actor'];
  from_state: string | null;
  to_state: string | null;
  payload: Record<string, unknown>;
  prev_hash: string;
  hash: string;
}

export function toEntry(row: EntryRow): TimelineEntry {
  return {
    caseId: row.case_id,
    seq: row.seq,
    at: new Date(row.at).toISOString(),
    type: row.type,
    actor: row.actor,
    fromState: row.from_state,
    toState: row.to_state,
    payload: row.payload,
    prevHash: row.prev_hash,
    hash: row.hash,
  };
}

/** Reads a case's timeline and checks its whole hash chain on every read. */
@Injectable()
export class TimelineService {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  async read(caseId: string) {
    const rows = await this.dataSource.query<EntryRow[]>(
      prepared(`SELECT case_id, seq, at, type, actor, from_state, to_state, payload, prev_hash, hash
       FROM timeline_entries WHERE case_id = $1 ORDER BY seq`),
      [caseId],
    );
    const events = rows.map(toEntry);
    const check = verifyChain(events);
    return {
      caseId,
      events,
      integrity: {
        valid: check.valid,
        head: check.head,
        ...(check.valid ? {} : { brokenAt: check.brokenAt, problem: check.problem }),
      },
    };
  }
}
