import { randomBytes } from "node:crypto";
import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { eventually, startTestApp, type TestApp } from "../../../test/harness";
import { type DomainEvent, publishEvent, topicMatches } from "./events";

/** Runs in-process by default and through NATS JetStream when NATS_URL is set (CI's second pass). */
describe(`domain events through the outbox (${process.env.NATS_URL ? "NATS JetStream" : "in-process"})`, () => {
  let t: TestApp;
  let other: TestApp;
  const received: DomainEvent[] = [];
  const flakyCalls: string[] = [];
  const shared: { by: string; id: string }[] = [];
  const stream = `TEST_${randomBytes(6).toString("hex")}`;

  beforeAll(async () => {
    const env = { MASTER_KEY: randomBytes(16).toString("hex") };
    t = await startTestApp({ natsStream: stream, env });
    // A second server process on the same database (and stream) competing for the same work.
    other = await startTestApp({ natsStream: stream, env, database: t.platform.database });
    t.platform.events.subscribe("test.collector", "test.thing.*", async (event) => {
      received.push(event);
    });
    t.platform.events.subscribe("test.flaky", "test.flaky", async (event) => {
      flakyCalls.push(event.id);
      if (flakyCalls.length === 1) throw new Error("first delivery fails");
    });
    for (const [name, app] of [
      ["a", t],
      ["b", other],
    ] as const) {
      app.platform.events.subscribe("test.shared", "test.shared", async (event) => {
        shared.push({ by: name, id: event.id });
      });
    }
    await t.platform.events.start();
    await other.platform.events.start();
  });
  afterAll(async () => {
    if (!other) return t?.close();
    await other.app.close();
    await other.platform.events.stop();
    await t.close();
  });

  const relay = async () => {
    await t.platform.db.execute(
      sql`update platform.outbox set next_attempt_at = now() where published_at is null`,
    );
    await t.platform.events.relayPending();
  };

  it("matches topics like NATS subjects", () => {
    expect(topicMatches("a.*", "a.b")).toBe(true);
    expect(topicMatches("a.*", "a.b.c")).toBe(false);
    expect(topicMatches("a.>", "a.b.c")).toBe(true);
    expect(topicMatches("a.>", "a")).toBe(false);
    expect(topicMatches("a.b", "a.b")).toBe(true);
  });

  it("delivers an event only when its transaction commits", async () => {
    const marker = randomBytes(4).toString("hex");
    await t.platform.db
      .transaction(async (tx) => {
        await publishEvent(tx, "test.thing.rolledback", { marker });
        throw new Error("rollback");
      })
      .catch(() => undefined);
    await t.platform.db.transaction((tx) => publishEvent(tx, "test.thing.happened", { marker }));
    const mine = await eventually(async () => {
      await relay();
      const found = received.filter((e) => (e.payload as { marker: string }).marker === marker);
      return found.length > 0 && found;
    });
    expect(mine.map((e) => e.topic)).toEqual(["test.thing.happened"]);
    expect(mine[0]!.version).toBe(1);
  });

  it("retries a failed delivery instead of losing it", async () => {
    await t.platform.db.transaction((tx) => publishEvent(tx, "test.flaky", {}));
    await eventually(async () => {
      await relay();
      return flakyCalls.length >= 2;
    }, 30_000);
    expect(new Set(flakyCalls).size).toBe(1);
  });

  it("shares work between two server processes: each event is handled once", async () => {
    await t.platform.db.transaction(async (tx) => {
      for (let i = 0; i < 60; i++) await publishEvent(tx, "test.shared", { i });
    });
    await eventually(async () => {
      await Promise.all([t.platform.events.relayPending(), other.platform.events.relayPending()]);
      return shared.length >= 60;
    });
    await new Promise((r) => setTimeout(r, 300));
    expect(shared.length).toBe(60);
    expect(new Set(shared.map((s) => s.id)).size).toBe(60);
  });
});
