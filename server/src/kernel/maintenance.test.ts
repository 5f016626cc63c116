import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { eventually, startTestApp, type TestApp } from "../../test/harness";
import { queryRows } from "./db/db";
import { pruneExpired, vacuumEmbedded } from "./maintenance";

describe("retention of transport tables", () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(() => t.close());

  it("removes expired idempotency keys, delivered events and finished jobs, and nothing else", async () => {
    const db = t.platform.db;
    await db.execute(sql`insert into platform.idempotency_keys (scope, key, request_hash, created_at) values
      ('u', 'old', 'h', now() - interval '2 days'), ('u', 'new', 'h', now())`);
    await db.execute(sql`insert into platform.outbox (event_id, topic, payload, published_at) values
      (gen_random_uuid(), 't', '{}', now() - interval '8 days'), (gen_random_uuid(), 't', '{}', now() - interval '1 day'),
      (gen_random_uuid(), 't', '{}', null)`);
    await db.execute(sql`insert into platform.jobs (id, kind, payload, run_at, status, finished_at) values
      (gen_random_uuid(), 'k', '{}', now(), 'done', now() - interval '8 days'),
      (gen_random_uuid(), 'k', '{}', now() - interval '30 days', 'pending', null)`);
    expect(await pruneExpired(db, new Date())).toEqual({ keys: 1, events: 1, jobs: 1 });
    const [left] = await queryRows<{ keys: number; events: number; jobs: number }>(
      db,
      sql`select (select count(*)::int from platform.idempotency_keys) as keys,
                 (select count(*)::int from platform.outbox) as events,
                 (select count(*)::int from platform.jobs) as jobs`,
    );
    expect(left).toEqual({ keys: 1, events: 2, jobs: 1 });
  });

  it("analyzes a table that grew and vacuums one with many dead rows, as autovacuum would", async () => {
    const db = t.platform.db;
    // Autovacuum (on PostgreSQL) must not get there first.
    await db.execute(sql`create table public.vacuum_probe (n int) with (autovacuum_enabled = false)`);
    await db.execute(sql`insert into public.vacuum_probe select generate_series(1, 5000)`);
    const stats = async () =>
      (
        await queryRows<{ analyzed: boolean; reltuples: number }>(
          db,
          sql`select s.last_analyze is not null as analyzed, c.reltuples::int as reltuples
              from pg_stat_user_tables s join pg_class c on c.oid = s.relid where s.relname = 'vacuum_probe'`,
        )
      )[0];
    expect((await stats())?.analyzed).toBe(false);
    // Under load only the tables that outgrew their statistics are analyzed, and nothing vacuumed.
    await eventually(async () =>
      (await vacuumEmbedded(db, { busy: true })).analyzed.includes("public.vacuum_probe"),
    );
    expect(await stats()).toEqual({ analyzed: true, reltuples: 5000 });
    await db.execute(sql`delete from public.vacuum_probe where n > 1000`);
    const vacuumed = await eventually(async () => {
      const done = await vacuumEmbedded(db);
      return done.vacuumed.includes("public.vacuum_probe") && done;
    });
    expect(vacuumed.analyzed).not.toContain("public.vacuum_probe");
    expect((await stats())?.reltuples).toBe(1000);
    await db.execute(sql`drop table public.vacuum_probe`);
  });
});
