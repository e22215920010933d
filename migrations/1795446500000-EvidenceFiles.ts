import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Evidence that holds (evidence.md): an uploaded file is kept by the app (named by the SHA-256 of
 * its stored bytes), so an evidence row has either a `url` (the older JSON form) or the stored
 * file's `content_type` and `size`, never both. `sha256` is then required: it names the file.
 */
export class EvidenceFiles1795446500000 implements MigrationInterface {
  name = 'EvidenceFiles1795446500000';

  public async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE case_evidence ALTER COLUMN url DROP NOT NULL`);
    await q.query(`ALTER TABLE case_evidence ADD COLUMN content_type text`);
    await q.query(`ALTER TABLE case_evidence ADD COLUMN size bigint`);
    await q.query(`
      ALTER TABLE case_evidence ADD CONSTRAINT case_evidence_url_or_file CHECK (
        (url IS NOT NULL AND content_type IS NULL AND size IS NULL)
        OR (url IS NULL AND content_type IS NOT NULL AND size >= 0 AND sha256 ~ '^[0-9a-f]{64}$'))`);
  }

  public async down(q: QueryRunner): Promise<void> {
    // Uploaded files have no URL to fall back to: down refuses while any exists.
    await q.query(`ALTER TABLE case_evidence DROP CONSTRAINT case_evidence_url_or_file`);
    await q.query(`ALTER TABLE case_evidence DROP COLUMN size`);
    await q.query(`ALTER TABLE case_evidence DROP COLUMN content_type`);
    await q.query(`ALTER TABLE case_evidence ALTER COLUMN url SET NOT NULL`);
  }
}
