import { ServiceName, ServiceNames } from '@valley/contracts';
import { serviceDbPassword, serviceRole } from '@valley/platform';
import { Client } from 'pg';

/** The local server this project's machines have; any other comes from DATABASE_URL. */
export const DEFAULT_DATABASE_URL = 'postgres://postgres@127.0.0.1:5432/valley';

function databaseName(url: string): string {
  const name = decodeURIComponent(new URL(url).pathname.replace(/^\//, ''));
  if (!/^[a-z_][a-z0-9_]*$/.test(name)) throw new Error(`database name "${name}" must match [a-z_][a-z0-9_]*`);
  return name;
}

const ident = (name: string) => `"${name.replace(/"/g, '""')}"`;
const literal = (value: string) => `'${value.replace(/'/g, "''")}'`;

/**
 * Creates the database if it is missing, and gives each service its own login role that
 * owns its own schema and can reach nothing else. Safe to run any number of times.
 * `adminUrl` needs a role that may create databases and roles (locally: postgres, trust auth).
 */
export async function provisionDatabase(
  adminUrl: string,
  services: readonly ServiceName[] = ServiceNames,
): Promise<void> {
  const database = databaseName(adminUrl);
  const serverUrl = new URL(adminUrl);
  serverUrl.pathname = '/postgres';
  const server = new Client({ connectionString: serverUrl.toString() });
  await server.connect();
  try {
    const { rowCount } = await server.query('SELECT 1 FROM pg_database WHERE datname = $1', [database]);
    if (!rowCount) await server.query(`CREATE DATABASE ${ident(database)}`);
    for (const service of services) {
      const role = serviceRole(service);
      const exists = await server.query('SELECT 1 FROM pg_roles WHERE rolname = $1', [role]);
      const verb = exists.rowCount ? 'ALTER' : 'CREATE';
      await server.query(
        `${verb} ROLE ${ident(role)} LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOINHERIT PASSWORD ${literal(serviceDbPassword())}`,
      );
    }
  } finally {
    await server.end();
  }

  const db = new Client({ connectionString: adminUrl });
  await db.connect();
  try {
    // Nobody but the roles granted below may connect, and nobody may create in public.
    await db.query(`REVOKE ALL ON DATABASE ${ident(database)} FROM PUBLIC`);
    await db.query('REVOKE ALL ON SCHEMA public FROM PUBLIC');
    for (const service of services) {
      const role = serviceRole(service);
      await db.query(`GRANT CONNECT, TEMPORARY ON DATABASE ${ident(database)} TO ${ident(role)}`);
      await db.query(`CREATE SCHEMA IF NOT EXISTS ${ident(service)} AUTHORIZATION ${ident(role)}`);
      await db.query(`ALTER SCHEMA ${ident(service)} OWNER TO ${ident(role)}`);
      await db.query(`REVOKE ALL ON SCHEMA ${ident(service)} FROM PUBLIC`);
      await db.query(`ALTER ROLE ${ident(role)} IN DATABASE ${ident(database)} SET search_path = ${ident(service)}`);
    }
    // The directory's search uses trigram matching (prefixes, typos). Creating an extension needs
    // the admin role; installed into the directory's own schema, it goes when that schema is dropped.
    if (services.includes('directory')) {
      await db.query('CREATE EXTENSION IF NOT EXISTS pg_trgm WITH SCHEMA directory');
    }
  } finally {
    await db.end();
  }
}

/** Drops and recreates each service schema: for tests only (the caller checks the database is a test one). */
export async function resetSchemas(adminUrl: string, services: readonly ServiceName[] = ServiceNames): Promise<void> {
  await provisionDatabase(adminUrl, services);
  const db = new Client({ connectionString: adminUrl });
  await db.connect();
  try {
    for (const service of services) {
      await db.query(`DROP SCHEMA IF EXISTS ${ident(service)} CASCADE`);
    }
  } finally {
    await db.end();
  }
  await provisionDatabase(adminUrl, services);
}

export async function postgresAnswers(adminUrl: string): Promise<boolean> {
  const serverUrl = new URL(adminUrl);
  serverUrl.pathname = '/postgres';
  const client = new Client({ connectionString: serverUrl.toString(), connectionTimeoutMillis: 3_000 });
  try {
    await client.connect();
    await client.query('SELECT 1');
    return true;
  } catch {
    return false;
  } finally {
    await client.end().catch(() => undefined);
  }
}
