import { randomBytes } from 'node:crypto';
import { Client } from 'pg';

/**
 * A throwaway PostgreSQL database for one test file. CI runs PostgreSQL on 127.0.0.1:5432 with
 * trust auth; the admin role is `postgres` or `root` depending on the image, so both are tried
 * (TEST_POSTGRES_ADMIN_URL overrides). No mocks: an unreachable server is a test failure unless
 * SKIP_POSTGRES_TESTS=1 says otherwise explicitly.
 */
export const skipPostgres = process.env.SKIP_POSTGRES_TESTS === '1';

const ADMIN_URLS = process.env.TEST_POSTGRES_ADMIN_URL
  ? [process.env.TEST_POSTGRES_ADMIN_URL]
  : [
      'postgres://postgres@127.0.0.1:5432/postgres',
      'postgres://root@127.0.0.1:5432/postgres',
      'postgres://postgres@127.0.0.1:5432/test',
      'postgres://root@127.0.0.1:5432/test',
    ];

export interface ThrowawayDatabase {
  url: string;
  drop(): Promise<void>;
}

async function connectAdmin(): Promise<{ client: Client; adminUrl: string }> {
  const failures: string[] = [];
  for (const adminUrl of ADMIN_URLS) {
    const client = new Client({ connectionString: adminUrl, connectionTimeoutMillis: 3000 });
    try {
      await client.connect();
      return { client, adminUrl };
    } catch (err) {
      failures.push(`${adminUrl}: ${(err as Error).message}`);
      await client.end().catch(() => undefined);
    }
  }
  throw new Error(
    `PostgreSQL contract tests need a server on 127.0.0.1:5432 (set SKIP_POSTGRES_TESTS=1 to skip them explicitly).\n${failures.join('\n')}`,
  );
}

export async function createThrowawayDatabase(): Promise<ThrowawayDatabase> {
  const { client, adminUrl } = await connectAdmin();
  const name = `imaging_cds_test_${randomBytes(6).toString('hex')}`;
  try {
    await client.query(`CREATE DATABASE ${name}`);
  } finally {
    await client.end();
  }
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    drop: async () => {
      const { client: admin } = await connectAdmin();
      try {
        // FORCE (PostgreSQL 13+) so a leaked connection cannot leave the database behind.
        await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      } finally {
        await admin.end();
      }
    },
  };
}
