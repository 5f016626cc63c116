import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ManualClock, startTestApp, type TestApp } from "../../../test/harness";
import { queryRows } from "../db/db";
import { settings } from "../db/schema";
import { cancelJob, type JobHandler, JobRunner, scheduleJob } from "./jobs";

describe("durable jobs and timers", () => {
  let t: TestApp;
  const clock = new ManualClock();

  // The handler's write commits with the job: a second run of one job would hit the primary key.
  const record: JobHandler = async (ctx, payload) => {
    await ctx.tx
      .insert(settings)
      .values({ key: `job-ran:${(payload as { n: string }).n}`, value: { at: ctx.clock.now() } });
  };

  beforeAll(async () => {
    t = await startTestApp({ clock });
    t.platform.jobs.register("test.record", record);
    t.platform.jobs.register("test.fail", async () => {
      throw new Error("always fails");
    });
  });
  afterAll(() => t.close());

  const ran = async (prefix: string) =>
    (
      await queryRows<{ n: number }>(
        t.platform.db,
        sql`select count(*)::int as n from platform.settings where key like ${`job-ran:${prefix}%`}`,
      )
    )[0]!.n;

  it("runs a delayed job only when it is due", async () => {
    await t.platform.db.transaction((tx) =>
      scheduleJob(tx, clock, {
        kind: "test.record",
        payload: { n: "delay" },
        runAt: new Date(clock.now().getTime() + 60_000),
      }),
    );
    expect(await t.platform.jobs.runDue()).toBe(0);
    clock.advance(61_000);
    expect(await t.platform.jobs.runDue()).toBe(1);
    expect(await ran("delay")).toBe(1);
  });

  it("survives a restart: a new runner on the same database picks up pending work", async () => {
    await t.platform.db.transaction((tx) =>
      scheduleJob(tx, clock, { kind: "test.record", payload: { n: "restart" } }),
    );
    const fresh = new JobRunner(t.platform.db, clock, t.platform.log, 50);
    fresh.register("test.record", record);
    expect(await fresh.runDue()).toBe(1);
    expect(await ran("restart")).toBe(1);
  });

  it("keeps one pending timer per dedupe key and can cancel it", async () => {
    await t.platform.db.transaction(async (tx) => {
      await scheduleJob(tx, clock, {
        kind: "test.record",
        payload: { n: "dedupe-1" },
        dedupeKey: "deadline:x",
      });
      await scheduleJob(tx, clock, {
        kind: "test.record",
        payload: { n: "dedupe-2" },
        dedupeKey: "deadline:x",
      });
    });
    await t.platform.db.transaction((tx) =>
      scheduleJob(tx, clock, { kind: "test.record", payload: { n: "dedupe-3" }, dedupeKey: "deadline:y" }),
    );
    expect(await t.platform.db.transaction((tx) => cancelJob(tx, "deadline:y"))).toBe(true);
    await t.platform.jobs.runDue();
    expect(await ran("dedupe-1")).toBe(0);
    expect(await ran("dedupe-2")).toBe(1);
    expect(await ran("dedupe-3")).toBe(0);
  });

  it("retries a failing job with back-off and gives up after maxAttempts", async () => {
    const id = await t.platform.db.transaction((tx) =>
      scheduleJob(tx, clock, { kind: "test.fail", maxAttempts: 2 }),
    );
    await t.platform.jobs.runDue();
    clock.advance(10_000);
    await t.platform.jobs.runDue();
    const [job] = await queryRows<{ status: string; attempts: number; last_error: string }>(
      t.platform.db,
      sql`select status, attempts, last_error from platform.jobs where id = ${id}`,
    );
    expect(job).toMatchObject({ status: "failed", attempts: 2, last_error: "always fails" });
  });

  it("never runs one job twice when several runners compete", async () => {
    await t.platform.db.transaction(async (tx) => {
      for (let i = 0; i < 120; i++)
        await scheduleJob(tx, clock, { kind: "test.record", payload: { n: `race-${i}` } });
    });
    const runners = Array.from({ length: 4 }, () => {
      const r = new JobRunner(t.platform.db, clock, t.platform.log, 10);
      r.register("test.record", record);
      return r;
    });
    const counts = await Promise.all(runners.map((r) => r.runDue(1000)));
    expect(counts.reduce((a, b) => a + b, 0)).toBe(120);
    expect(await ran("race-")).toBe(120);
    const [failed] = await queryRows<{ n: number }>(
      t.platform.db,
      sql`select count(*)::int as n from platform.jobs where payload->>'n' like 'race-%' and status <> 'done'`,
    );
    expect(failed!.n).toBe(0);
  });

  it("runs a job that calls outside without holding the database, and retries it when it fails", async () => {
    let release: () => void = () => {};
    const waiting = new Promise<void>((r) => {
      release = r;
    });
    let calls = 0;
    t.platform.jobs.register(
      "test.outside",
      async (ctx, payload) => {
        calls++;
        if ((payload as { fail?: boolean }).fail) throw new Error("the app is down");
        await waiting; // a slow webhook
        await record(ctx, payload, { id: "", attempts: 0 });
      },
      { outside: true },
    );
    await t.platform.db.transaction((tx) =>
      scheduleJob(tx, clock, { kind: "test.outside", payload: { n: "outside" } }),
    );
    const running = t.platform.jobs.runDue();
    await new Promise((r) => setTimeout(r, 50));
    // While the call waits, the (single-connection) database still answers: no transaction is open.
    const answered = await Promise.race([
      t.platform.db
        .insert(settings)
        .values({ key: "job-ran:meanwhile", value: {} })
        .then(() => true),
      new Promise((r) => setTimeout(() => r(false), 2000)),
    ]);
    expect(answered).toBe(true);
    release();
    await running;
    expect(await ran("outside")).toBe(1);

    await t.platform.db.transaction((tx) =>
      scheduleJob(tx, clock, { kind: "test.outside", payload: { n: "down", fail: true }, maxAttempts: 2 }),
    );
    await t.platform.jobs.runDue();
    const [pending] = await queryRows<{ status: string; attempts: number }>(
      t.platform.db,
      sql`select status, attempts from platform.jobs where payload->>'n' = 'down'`,
    );
    expect(pending).toEqual({ status: "pending", attempts: 1 });
    clock.advance(10_000);
    await t.platform.jobs.runDue();
    const [failed] = await queryRows<{ status: string }>(
      t.platform.db,
      sql`select status from platform.jobs where payload->>'n' = 'down'`,
    );
    expect(failed!.status).toBe("failed");
    expect(calls).toBe(3);
  });
});
