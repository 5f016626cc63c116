import { mkdirSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { PGlite, types } from "@electric-sql/pglite";
import { pg_trgm } from "@electric-sql/pglite/contrib/pg_trgm";
import { sql } from "drizzle-orm";
import { drizzle as drizzlePg } from "drizzle-orm/node-postgres";
import { migrate as migratePg } from "drizzle-orm/node-postgres/migrator";
import type { PgDatabase, PgQueryResultHKT } from "drizzle-orm/pg-core";
import { drizzle as drizzlePglite } from "drizzle-orm/pglite";
import { migrate as migratePglite } from "drizzle-orm/pglite/migrator";
import pg from "pg";
import { embeddedOf, PLAN_CHANGED, registerEmbedded, runEmbedded, statementName } from "./prepared";

/** A drizzle handle; a transaction is one too, so services take `Db` for either. */
export type Db = PgDatabase<PgQueryResultHKT, Record<string, never>>;

export interface Database {
  db: Db;
  kind: "pglite" | "postgres";
  close(): Promise<void>;
  /** The embedded engine, when kind is pglite (tests dump it to clone databases). */
  pglite: PGlite | null;
  pool: pg.Pool | null;
}

export const MIGRATIONS_FOLDER = path.resolve(
  path.dirname(fileURLToPath(import.meta.url)),
  "../../../migrations",
);

export interface OpenOptions {
  databaseUrl: string | null;
  /** Folder of the embedded database; null keeps it in memory (tests). */
  pgliteDir: string | null;
  /** A dump made by `pglite.dumpDataDir()` to start from (tests clone a migrated template this way). */
  loadDataDir?: Blob | File;
  poolSize?: number;
}

export async function openDatabase(options: OpenOptions): Promise<Database> {
  if (options.databaseUrl) {
    const pool = new pg.Pool({
      connectionString: options.databaseUrl,
      max: options.poolSize ?? 20,
      // Prepared statements are planned on every run (see PGlite below).
      options: "-c plan_cache_mode=force_custom_plan",
    });
    // Fail fast with a clear message rather than on the first request.
    const client = await pool.connect();
    client.release();
    pool.on("error", () => {
      // Idle clients that die are replaced by the pool; the next query reports the real error.
    });
    return {
      db: drizzlePg({ client: pool }) as unknown as Db,
      kind: "postgres",
      pglite: null,
      pool,
      close: () => pool.end(),
    };
  }
  if (options.pgliteDir) mkdirSync(options.pgliteDir, { recursive: true });
  const pglite = await PGlite.create({
    ...(options.pgliteDir ? { dataDir: options.pgliteDir } : {}),
    ...(options.loadDataDir ? { loadDataDir: options.loadDataDir } : {}),
    relaxedDurability: false,
    // Trigram indexes for fuzzy catalog search; PostgreSQL ships pg_trgm in contrib.
    extensions: { pg_trgm },
  });
  // Prepared statements (prepared.ts) are planned on every run, as unnamed ones are: a plan kept
  // from when a table was small outlives its growth (PGlite runs no autovacuum to re-analyse).
  await pglite.exec("set plan_cache_mode = force_custom_plan");
  const db = drizzlePglite({ client: pglite });
  registerEmbedded((db as unknown as { session: { options: object } }).session.options, pglite);
  return {
    db: db as unknown as Db,
    kind: "pglite",
    pglite,
    pool: null,
    close: () => pglite.close(),
  };
}

/**
 * Applies the committed SQL migrations. On PostgreSQL several processes may start at once, so the
 * migration runs under a session advisory lock; PGlite is single-process (guarded by the folder lock).
 */
export async function migrateDatabase(database: Database): Promise<void> {
  if (database.kind === "pglite") {
    await migratePglite(database.db as never, { migrationsFolder: MIGRATIONS_FOLDER });
    return;
  }
  const client = await database.pool!.connect();
  try {
    await client.query("select pg_advisory_lock(hashtext('fourfold.migrate'))");
    try {
      await migratePg(drizzlePg({ client }), { migrationsFolder: MIGRATIONS_FOLDER });
    } finally {
      await client.query("select pg_advisory_unlock(hashtext('fourfold.migrate'))");
    }
  } finally {
    client.release();
  }
}

/** SQL for a timestamptz column as an ISO 8601 UTC string with milliseconds, as the API answers it. */
export function isoTimestampSql(column: string): string {
  return `to_char(${column} at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`;
}

/** Rows of a raw query, whichever driver ran it. */
export async function queryRows<T>(db: Db, query: ReturnType<typeof sql>): Promise<T[]> {
  const result = (await db.execute(query)) as unknown as { rows: T[] };
  return result.rows;
}

/**
 * A query as text with positional parameters ($1, $2, …): for large generated statements
 * (multi-row batches), where building a drizzle SQL object per cell costs more than the database
 * does. On the root handle it goes straight to the driver; in a transaction, to the session's
 * prepared query (drizzle's own path without building the text). With `prepare`, on PGlite the text
 * runs as a named prepared statement (prepared.ts): for hot statements whose text does not change
 * between calls (parameters carry the data), never for text built per call.
 */
export async function rawQuery<T>(
  db: Db,
  text: string,
  params: unknown[],
  options: { prepare?: boolean } = {},
): Promise<T[]> {
  const handle = db as unknown as {
    $client?: {
      query(
        text: string | { name: string; text: string; values: unknown[] },
        params?: unknown[],
      ): Promise<{ rows: T[] }>;
    };
    session?: {
      options?: object;
      prepareQuery?(
        query: { sql: string; params: unknown[] },
        fields: undefined,
        name: string | undefined,
        arrayMode: false,
      ): {
        execute(): Promise<{ rows: T[] }>;
      };
    };
  };
  if (options.prepare) {
    const embedded = embeddedOf(handle.session?.options);
    // Rows parsed as on the unprepared path: the driver's parsers on the root handle, drizzle's
    // (dates and times as text) in a transaction.
    if (embedded)
      return runEmbedded<T>(embedded, !handle.$client, text, params, handle.$client ? {} : DRIZZLE_PGLITE);
    const name = statementName(text);
    if (handle.$client) {
      try {
        return (await handle.$client.query({ name, text, values: params })).rows;
      } catch (e) {
        // The tables changed under a statement this connection keeps: run the text unprepared.
        if ((e as { code?: string }).code !== PLAN_CHANGED) throw e;
        return (await handle.$client.query(text, params)).rows;
      }
    }
    if (typeof handle.session?.prepareQuery === "function")
      return (await handle.session.prepareQuery({ sql: text, params }, undefined, name, false).execute())
        .rows;
  }
  if (handle.$client) return (await handle.$client.query(text, params)).rows;
  // In a transaction: the session's prepared query, as drizzle's own execute makes it (same
  // driver client, same type parsers), minus building the text from SQL chunks.
  if (typeof handle.session?.prepareQuery === "function")
    return (await handle.session.prepareQuery({ sql: text, params }, undefined, undefined, false).execute())
      .rows;
  const parts = text.split(/\$(\d+)/);
  // sql.param keeps an array one parameter (a plain interpolation would expand it into a list).
  const chunks = parts.map((part, i) =>
    i % 2 === 0 ? sql.raw(part) : sql`${sql.param(params[Number(part) - 1])}`,
  );
  return queryRows<T>(db, sql.join(chunks));
}

/** The row parsers drizzle's PGlite session uses: date and time types stay text. */
const DRIZZLE_PGLITE = {
  parsers: Object.fromEntries(
    [types.TIMESTAMP, types.TIMESTAMPTZ, types.INTERVAL, types.DATE, 1231, 1115, 1185, 1187, 1182].map(
      (oid) => [oid, (value: string) => value],
    ),
  ),
};

/** Whether a handle is the embedded database, which runs on this thread one statement at a time. */
export function isEmbedded(db: Db): boolean {
  const client = (db as unknown as { $client?: { dumpDataDir?: unknown } }).$client;
  return typeof client?.dumpDataDir === "function";
}
