import { MigrationInterface, QueryRunner } from 'typeorm';

/** The ground: extensions every later migration may rely on. */
export class Foundation1795446000000 implements MigrationInterface {
  name = 'Foundation1795446000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`CREATE EXTENSION IF NOT EXISTS pgcrypto`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP EXTENSION IF EXISTS pgcrypto`);
  }
}
