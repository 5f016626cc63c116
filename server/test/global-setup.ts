import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import pg from "pg";
import type { TestProject } from "vitest/node";
import { migrateDatabase, openDatabase } from "../src/kernel/db/db";

declare module "vitest" {
  export interface ProvidedContext {
    /** PGlite: a dump of the migrated database; PostgreSQL: the name of the migrated template database. */
    template: { kind: "pglite"; dumpFile: string } | { kind: "postgres"; database: string };
  }
}

/** Migrates once; every test file then starts from its own copy of the migrated database. */
export default async function setup(project: TestProject) {
  const url = process.env.DATABASE_URL;
  if (url) {
    const database = `fourfold_template_${process.pid}`;
    const admin = new pg.Client({ connectionString: url });
    await admin.connect();
    await admin.query(`drop database if exists ${database}`);
    await admin.query(`create database ${database}`);
    const target = new URL(url);
    target.pathname = `/${database}`;
    const db = await openDatabase({ databaseUrl: target.href, pgliteDir: null, poolSize: 1 });
    await migrateDatabase(db);
    await db.close();
    project.provide("template", { kind: "postgres", database });
    return async () => {
      await admin.query(`drop database if exists ${database} with (force)`);
      const leftovers = await admin.query<{ datname: string }>(
        `select datname from pg_database where datname like 'fourfold_test_${process.pid}_%'`,
      );
      for (const row of leftovers.rows)
        await admin.query(`drop database if exists ${row.datname} with (force)`);
      await admin.end();
    };
  }
  const db = await openDatabase({ databaseUrl: null, pgliteDir: null });
  await migrateDatabase(db);
  const dump = await db.pglite!.dumpDataDir("none");
  await db.close();
  const dir = mkdtempSync(path.join(tmpdir(), "fourfold-template-"));
  const dumpFile = path.join(dir, "template.tar");
  writeFileSync(dumpFile, Buffer.from(await dump.arrayBuffer()));
  project.provide("template", { kind: "pglite", dumpFile });
}
