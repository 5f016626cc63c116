import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { eventually, ManualClock, startTestApp, type TestApp } from "../../../test/harness";
import type { DomainEvent } from "../events/events";
import { clearDeadline, endOfWorkingDays, scheduleDeadline, workingDaysBefore } from "./deadlines";

describe("deadlines (reminders before, escalation after, in working days)", () => {
  let t: TestApp;
  const clock = new ManualClock(new Date("2026-12-01T02:00:00.000Z")); // Tuesday 10:00 in Guangzhou
  const seen: DomainEvent[] = [];
  const HOUR = 3_600_000;

  beforeAll(async () => {
    t = await startTestApp({ clock });
    t.platform.events.subscribe("test.deadlines", "test.thing.*", async (e) => void seen.push(e));
    // With NATS_URL (CI's second pass) events reach the subscription through JetStream consumers.
    await t.platform.events.start();
  });
  afterAll(() => t.close());

  /**
   * Runs what is due and returns the events it caused: waits for as many as expected (delivery
   * through NATS is asynchronous), then a moment more so an unexpected extra one would show.
   */
  const tick = async (expected: number) => {
    await t.platform.jobs.runDue();
    await t.platform.events.relayPending();
    if (expected > 0) await eventually(async () => seen.length >= expected);
    await new Promise((r) => setTimeout(r, process.env.NATS_URL ? 300 : 20));
    await t.platform.events.relayPending();
    return seen.splice(0).map((e) => `${e.topic}:${(e.payload as { level?: number }).level ?? ""}`);
  };

  it("counts working days over weekends and puts the deadline at the day's end, China time", () => {
    const calendar = t.platform.calendar.current;
    // Friday 2026-12-04 + 1 working day = Monday 2026-12-07, 23:59:59 +08:00.
    expect(endOfWorkingDays(calendar, new Date("2026-12-04T03:00:00Z"), 1).toISOString()).toBe(
      "2026-12-07T15:59:59.000Z",
    );
    expect(workingDaysBefore(calendar, new Date("2026-12-07T15:59:59Z"), 1).toISOString()).toBe(
      "2026-12-04T15:59:59.000Z",
    );
  });

  it("reminds once, then escalates at the deadline and again each working day until cleared", async () => {
    const dueAt = endOfWorkingDays(t.platform.calendar.current, clock.now(), 2); // Thursday night
    await t.platform.db.transaction((tx) =>
      scheduleDeadline(tx, clock, {
        kind: "test.thing",
        subjectId: "a",
        dueAt,
        remindAt: new Date(dueAt.getTime() - 24 * HOUR),
        escalateEveryWorkingDays: 1,
      }),
    );
    expect(await tick(0)).toEqual([]);
    clock.advance(38 * HOUR); // Thursday 00:00
    expect(await tick(1)).toEqual(["test.thing.due-soon:"]);
    clock.advance(24 * HOUR); // Friday 00:00: past Thursday's end
    expect(await tick(1)).toEqual(["test.thing.overdue:1"]);
    clock.advance(72 * HOUR); // Monday 00:00: the weekend is no working day, nothing new yet
    expect(await tick(0)).toEqual([]);
    clock.advance(24 * HOUR); // Tuesday 00:00: past the end of the next working day
    expect(await tick(1)).toEqual(["test.thing.overdue:2"]);
    await t.platform.db.transaction((tx) => clearDeadline(tx, "test.thing", "a"));
    clock.advance(72 * HOUR);
    expect(await tick(0)).toEqual([]);
  });

  it("moves a deadline when scheduled again, keeping one pending timer", async () => {
    const first = new Date(clock.now().getTime() + 10 * HOUR);
    const later = new Date(clock.now().getTime() + 50 * HOUR);
    await t.platform.db.transaction((tx) =>
      scheduleDeadline(tx, clock, { kind: "test.thing", subjectId: "b", dueAt: first }),
    );
    await t.platform.db.transaction((tx) =>
      scheduleDeadline(tx, clock, { kind: "test.thing", subjectId: "b", dueAt: later }),
    );
    clock.advance(11 * HOUR);
    expect(await tick(0)).toEqual([]);
    clock.advance(40 * HOUR);
    expect(await tick(1)).toEqual(["test.thing.overdue:1"]);
    clock.advance(240 * HOUR);
    expect(await tick(0)).toEqual([]);
  });
});
