/**
 * Prepared statements (rawQuery with `prepare`, named statements on PGlite; on PostgreSQL the option
 * leaves planning to each call) answer exactly as the unprepared path does, on the root handle and in
 * transactions: same rows and types, the same errors, rollbacks that undo them, and a statement
 * whose table changed is parsed again.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { cloneDatabase } from "../../../test/harness";
import { type Database, type Db, rawQuery } from "./db";

let database: Database;
let db: Db;
const table = `prepared_${process.pid}`;

beforeAll(async () => {
  database = await cloneDatabase();
  db = database.db;
  await rawQuery(
    db,
    `create table ${table} (id int primary key, name text, at timestamptz, tags text[], doc jsonb)`,
    [],
  );
});
afterAll(async () => {
  await database.close();
});

const insert = `insert into ${table} (id, name, at, tags, doc)
  select id, name, at, tags, doc from jsonb_to_recordset($1::jsonb) as r(id int, name text, at timestamptz, tags text[], doc jsonb)
  returning id, name, at, tags, doc`;
/** The SQLSTATE of a failure, also when drizzle wrapped the driver's error (in a transaction). */
const codeOf = (e: unknown) =>
  (e as { code?: string; cause?: { code?: string } }).code ??
  (e as { cause?: { code?: string } }).cause?.code;
const failure = (p: Promise<unknown>) => p.then(() => "no error", codeOf);
const row = (id: number) => ({
  id,
  name: `名${id}`,
  at: "2026-11-29T12:00:00.123Z",
  tags: ["a", "b"],
  doc: { n: id },
});

describe("prepared statements", () => {
  it("return what the unprepared path returns, on the root handle and in a transaction", async () => {
    const plain = await rawQuery<Record<string, unknown>>(db, insert, [JSON.stringify([row(1)])]);
    const prepared = await rawQuery<Record<string, unknown>>(db, insert, [JSON.stringify([row(2)])], {
      prepare: true,
    });
    expect(prepared).toEqual([{ ...plain[0], id: 2, name: "名2", doc: { n: 2 } }]);
    await db.transaction(async (tx) => {
      const inTx = tx as unknown as Db;
      const plainTx = await rawQuery<Record<string, unknown>>(inTx, insert, [JSON.stringify([row(3)])]);
      const preparedTx = await rawQuery<Record<string, unknown>>(
        inTx,
        insert,
        [JSON.stringify([row(4), row(5)])],
        { prepare: true },
      );
      expect(preparedTx).toEqual([
        { ...plainTx[0], id: 4, name: "名4", doc: { n: 4 } },
        { ...plainTx[0], id: 5, name: "名5", doc: { n: 5 } },
      ]);
    });
    const all = await rawQuery<{ id: number }>(db, `select id from ${table} order by id`, [], {
      prepare: true,
    });
    expect(all.map((r) => r.id)).toEqual([1, 2, 3, 4, 5]);
  });

  it("raise the database's errors and leave the connection usable", async () => {
    expect(await failure(rawQuery(db, insert, [JSON.stringify([row(1)])], { prepare: true }))).toBe("23505");
    const bad = rawQuery(db, `select id from ${table} where id = $1`, ["not a number"], { prepare: true });
    expect(await failure(bad)).toBe("22P02");
    const ok = await rawQuery<{ id: number }>(db, `select id from ${table} where id = $1`, [2], {
      prepare: true,
    });
    expect(ok).toEqual([{ id: 2 }]);
  });

  it("are undone with the transaction they ran in", async () => {
    const aborted = db.transaction(async (tx) => {
      await rawQuery(tx as unknown as Db, insert, [JSON.stringify([row(10)])], { prepare: true });
      await rawQuery(tx as unknown as Db, insert, [JSON.stringify([row(1)])], { prepare: true });
    });
    expect(await failure(aborted)).toBe("23505");
    const left = await rawQuery(db, `select id from ${table} where id = $1`, [10], { prepare: true });
    expect(left).toEqual([]);
  });

  it("run side by side with transactions without mixing them up", async () => {
    const writes = Array.from({ length: 40 }, (_, i) =>
      i % 4 === 0
        ? db.transaction(async (tx) => {
            await rawQuery(tx as unknown as Db, insert, [JSON.stringify([row(100 + i)])], { prepare: true });
          })
        : rawQuery(db, insert, [JSON.stringify([row(100 + i)])], { prepare: true }),
    );
    await Promise.all(writes);
    const counted = await rawQuery(db, `select count(*)::int as n from ${table} where id >= 100`, []);
    expect(counted).toEqual([{ n: 40 }]);
  });

  it("parse a statement again when its table changed", async () => {
    const star = `select * from ${table} where id = $1`;
    const before = await rawQuery<Record<string, unknown>>(db, star, [2], { prepare: true });
    expect(Object.keys(before[0]!)).not.toContain("extra");
    await rawQuery(db, `alter table ${table} add column extra text default 'x'`, []);
    const after = await rawQuery<Record<string, unknown>>(db, star, [2], { prepare: true });
    expect(after[0]).toMatchObject({ id: 2, extra: "x" });
  });
});
