import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestApp, type TestApp } from "../../test/harness";
import { queryRows } from "./db/db";
import { pruneExpired } from "./maintenance";

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
});
