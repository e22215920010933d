import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import type { Actor } from '../cases/case.types';

/** A new evidence row: a link (`url`), or a stored file (`file`). */
export interface NewEvidenceRow {
  caseId: string;
  kind: string;
  description: string | null;
  sha256: string | null;
  url: string | null;
  file: { contentType: string; size: number } | null;
  addedBy: Actor;
  at: Date;
}

/** A stored file as the content route and the packet read it. */
export interface EvidenceFileRow {
  id: string;
  case_id: string;
  kind: string;
  description: string | null;
  url: string | null;
  content_type: string | null;
  size: string | null;
  sha256: string | null;
  added_by: Actor;
  created_at: Date;
}

/** The SQL of `case_evidence` (the entry that goes with each row: CaseService.appendFact). */
@Injectable()
export class EvidenceRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  async insert(tx: EntityManager, row: NewEvidenceRow): Promise<string> {
    const rows = await tx.query<{ id: string }[]>(
      `INSERT INTO case_evidence (case_id, kind, url, sha256, description, content_type, size, added_by, created_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING id`,
      [
        row.caseId,
        row.kind,
        row.url,
        row.sha256,
        row.description,
        row.file?.contentType ?? null,
        row.file?.size ?? null,
        JSON.stringify(row.addedBy),
        row.at,
      ],
    );
    return rows[0].id;
  }

  /** One evidence row of a case (any form), or undefined. */
  async find(caseId: string, evidenceId: string): Promise<EvidenceFileRow | undefined> {
    const rows = await this.dataSource.query<EvidenceFileRow[]>(
      `SELECT * FROM case_evidence WHERE case_id = $1 AND id = $2`,
      [caseId, evidenceId],
    );
    return rows[0];
  }

  /** Every evidence row of a case, oldest first. */
  async listForCase(caseId: string): Promise<EvidenceFileRow[]> {
    return this.dataSource.query<EvidenceFileRow[]>(
      `SELECT * FROM case_evidence WHERE case_id = $1 ORDER BY created_at, id`,
      [caseId],
    );
  }
}
