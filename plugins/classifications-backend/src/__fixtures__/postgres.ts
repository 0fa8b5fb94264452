import crypto from 'node:crypto';
import pg from 'pg';

/**
 * A real PostgreSQL database (the development machine's and CI's server) with a `staff`
 * table to sample in rule tests. Creates its own uniquely named database and drops only that.
 */
const PG = {
  host: process.env.RACINE_TEST_PG_HOST ?? '127.0.0.1',
  port: Number(process.env.RACINE_TEST_PG_PORT ?? 5432),
  user: process.env.RACINE_TEST_PG_USER ?? 'postgres',
  password: process.env.RACINE_TEST_PG_PASSWORD,
};

export interface StaffDatabase {
  config: {
    host: string;
    port: number;
    database: string;
    user: string;
    password?: string;
    ssl: 'disable';
  };
  drop(): Promise<void>;
}

export const STAFF_BADGES = [
  'ACME-120001',
  'ACME-120002',
  'ACME-120003',
  'ACME-120004',
  'ACME-120005',
  'ACME-120006',
  'visitor',
];

export async function createStaffDatabase(): Promise<StaffDatabase> {
  const database = `racine_cls_${process.pid}_${crypto.randomBytes(3).toString('hex')}`;
  const admin = new pg.Client({ ...PG, database: 'postgres' });
  await admin.connect();
  await admin.query(`CREATE DATABASE "${database}"`);
  await admin.end();
  const client = new pg.Client({ ...PG, database });
  await client.connect();
  try {
    await client.query('CREATE TABLE public.staff (id serial PRIMARY KEY, badge text, email text)');
    for (const [i, badge] of STAFF_BADGES.entries()) {
      await client.query('INSERT INTO public.staff (badge, email) VALUES ($1, $2)', [
        badge,
        `person${i}@example.com`,
      ]);
    }
  } finally {
    await client.end();
  }
  return {
    config: {
      host: PG.host,
      port: PG.port,
      database,
      user: PG.user,
      ...(PG.password ? { password: PG.password } : {}),
      ssl: 'disable',
    },
    async drop() {
      const c = new pg.Client({ ...PG, database: 'postgres' });
      await c.connect();
      try {
        await c.query(`DROP DATABASE IF EXISTS "${database}" WITH (FORCE)`);
      } finally {
        await c.end();
      }
    },
  };
}
