import type { DataSourceOptions } from 'typeorm';
import { MIGRATIONS } from '../../migrations';

/** One definition of the connection for the app, the migrate CLI and the tests. */
export function dataSourceOptions(url: string, poolSize = 10): DataSourceOptions {
  return {
    type: 'postgres',
    url,
    synchronize: false,
    migrationsRun: false,
    migrations: MIGRATIONS,
    migrationsTableName: 'migrations',
    entities: [],
    poolSize,
    extra: {
      // Fail fast when the database is gone, so /health answers 503 instead of hanging.
      connectionTimeoutMillis: 3000,
      application_name: 'redress',
    },
  };
}
