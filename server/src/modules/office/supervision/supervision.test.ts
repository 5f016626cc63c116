import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildDepartment, buildUser, type TestDepartment, type TestUser } from "../../../../test/factories";
import { eventually, json, ManualClock, startTestApp, type TestApp } from "../../../../test/harness";
import { rawQuery } from "../../../kernel/db/db";

let t: TestApp;
let clock: ManualClock;
let lead: TestDepartment;
let co: TestDepartment;
let leader: TestUser;
let leadOfficer: TestUser;
let coOfficer: TestUser;
let outsider: TestUser;
const tokens = new Map<TestUser, string>();
const as = (u: TestUser) => ({ authorization: `Bearer ${tokens.get(u)}` });
const HOUR = 3_600_000;

type Item = {
  id: string;
  light: string;
  status: string;
  escalationLevel: number;
  progress: number;
  reports: unknown[];
};

async function drain(): Promise<void> {
  for (let i = 0; i < 5; i++) {
    const jobs = await t.platform.jobs.runDue();
    const events = await t.platform.events.relayPending();
    if (jobs === 0 && events === 0) return;
  }
}

const get = async (u: TestUser, id: string) =>
  json<Item>(await t.app.inject({ method: "GET", url: `/api/office/supervision/${id}`, headers: as(u) }));

/** Waits for a notice (deadline events reach the office asynchronously through NATS in CI). */
async function noticeArrives(u: TestUser, match: (n: { kind: string; title: string }) => boolean) {
  await drain();
  return eventually(async () => (await notices(u)).some(match));
}

async function notices(u: TestUser): Promise<{ kind: string; title: string }[]> {
  const res = await t.app.inject({ method: "GET", url: "/api/office/notices?pageSize=100", headers: as(u) });
  expect(res.statusCode, res.body).toBe(200);
  return json<{ items: { kind: string; title: string }[] }>(res).items;
}

beforeAll(async () => {
  clock = new ManualClock(new Date("2026-12-01T02:00:00.000Z")); // Tuesday 10:00 in Guangzhou
  t = await startTestApp({ clock, env: { TOKEN_TTL_SECONDS: String(30 * 86_400) } });
  const government = await buildDepartment(t.platform, "government");
  lead = await buildDepartment(t.platform, "bureau", government);
  co = await buildDepartment(t.platform, "bureau", government);
  leader = await buildUser(t.platform, { roles: ["leader"], department: government });
  leadOfficer = await buildUser(t.platform, { roles: ["officer"], department: lead });
  coOfficer = await buildUser(t.platform, { roles: ["officer"], department: co });
  outsider = await buildUser(t.platform, {
    roles: ["officer"],
    department: await buildDepartment(t.platform, "bureau"),
  });
  for (const u of [leader, leadOfficer, coOfficer, outsider]) tokens.set(u, await u.token(t.app));
  // With NATS_URL (CI's second pass) the office's deadline subscriptions consume from JetStream.
  await t.platform.events.start();
}, 60_000);
afterAll(async () => {
  if (process.env.SHOW_ERRORS)
    for (const l of t.logs) if (l.includes('"level":50')) console.log(l.slice(0, 2000));
  await t?.close();
});

describe("supervision (督办)", () => {
  it("reminds before the deadline, escalates after it, turns the board yellow then red, and closes on the lead's report", async () => {
    const created = await t.app.inject({
      method: "POST",
      url: "/api/office/supervision",
      headers: as(leader),
      payload: {
        title: "落实区长批示：整治老旧小区消防通道占用",
        description: "12月内完成辖区老旧小区消防通道排查整治，每日报送进展。",
        sourceType: "instruction",
        leadDepartmentId: lead.id,
        coDepartmentIds: [co.id],
        dueInWorkingDays: 3,
        reportEveryDays: 1,
        remindDays: 1,
      },
    });
    expect(created.statusCode, created.body).toBe(201);
    const item = json<Item & { dueAt: string }>(created);
    expect(item.light).toBe("green");
    // Tuesday + 3 working days = Friday 23:59:59 China time.
    expect(item.dueAt).toBe("2026-12-04T15:59:59.000Z");
    await drain();
    expect(await noticeArrives(leadOfficer, (n) => n.kind === "supervision.assigned")).toBe(true);
    // A section of the lead bureau lists its bureau's items too.
    const sectionOfficer = await buildUser(t.platform, {
      roles: ["officer"],
      department: await buildDepartment(t.platform, "office", lead),
    });
    tokens.set(sectionOfficer, await sectionOfficer.token(t.app));
    const listed = json<{ id: string }[]>(
      await t.app.inject({ method: "GET", url: "/api/office/supervision", headers: as(sectionOfficer) }),
    );
    expect(listed.map((i) => i.id)).toContain(item.id);
    const outsiders = json<{ id: string }[]>(
      await t.app.inject({ method: "GET", url: "/api/office/supervision", headers: as(outsider) }),
    );
    expect(outsiders.map((i) => i.id)).not.toContain(item.id);
    expect(await noticeArrives(coOfficer, (n) => n.kind === "supervision.assigned")).toBe(true);
    expect(
      (
        await t.app.inject({
          method: "GET",
          url: `/api/office/supervision/${item.id}`,
          headers: as(outsider),
        })
      ).statusCode,
    ).toBe(404);

    // A day on without a report: the daily report is late (yellow) and the lead is asked for it.
    clock.advance(38 * HOUR); // Thursday 00:00
    await drain();
    expect((await get(leadOfficer, item.id)).light).toBe("yellow");
    expect(await noticeArrives(leadOfficer, (n) => n.kind === "supervision.report-due")).toBe(true);
    const reported = await t.app.inject({
      method: "POST",
      url: `/api/office/supervision/${item.id}/reports`,
      headers: as(coOfficer),
      payload: { progress: 40, text: "已排查12个小区" },
    });
    expect(reported.statusCode, reported.body).toBe(201);
    expect(json<Item>(reported).progress).toBe(40);
    const coCloses = await t.app.inject({
      method: "POST",
      url: `/api/office/supervision/${item.id}/reports`,
      headers: as(coOfficer),
      payload: { progress: 100, text: "完成", completes: true },
    });
    expect(coCloses.statusCode).toBe(403);

    // Friday: the reminder a working day before the deadline.
    clock.advance(24 * HOUR);
    await drain();
    expect(await noticeArrives(leadOfficer, (n) => n.kind === "supervision.due-soon")).toBe(true);
    // Past the deadline: red, escalated once; a working day later (Monday night), escalated again.
    clock.advance(24 * HOUR);
    await drain();
    expect((await get(leader, item.id)).light).toBe("red");
    await eventually(async () => (await get(leader, item.id)).escalationLevel === 1);
    clock.advance(3 * 24 * HOUR);
    await drain();
    await eventually(async () => (await get(leader, item.id)).escalationLevel === 2);
    expect(
      await noticeArrives(leader, (n) => n.kind === "supervision.overdue" && n.title.includes("第2次")),
    ).toBe(true);

    const board = json<{
      totals: Record<string, number>;
      departments: { departmentId: string; red: number }[];
    }>(await t.app.inject({ method: "GET", url: "/api/office/supervision/board", headers: as(leader) }));
    expect(board.totals.red).toBeGreaterThanOrEqual(1);
    expect(board.departments.find((d) => d.departmentId === lead.id)?.red).toBe(1);

    const done = await t.app.inject({
      method: "POST",
      url: `/api/office/supervision/${item.id}/reports`,
      headers: as(leadOfficer),
      payload: { progress: 100, text: "已全部整治完毕", completes: true },
    });
    expect(done.statusCode, done.body).toBe(201);
    expect(json<Item>(done)).toMatchObject({ status: "completed", light: "done", progress: 100 });
    const [pending] = await rawQuery<{ n: number }>(
      t.platform.db,
      "select count(*)::int as n from platform.jobs where status = 'pending' and dedupe_key like $1",
      [`deadline:%:${item.id}:%`],
    );
    expect(pending!.n).toBe(0);
    const again = await t.app.inject({
      method: "POST",
      url: `/api/office/supervision/${item.id}/reports`,
      headers: as(leadOfficer),
      payload: { progress: 100, text: "再报" },
    });
    expect(again.statusCode).toBe(409);
  }, 60_000);

  it("refuses a deadline in the past, both or neither deadline forms, and unknown departments", async () => {
    const base = { title: "t", description: "d", sourceType: "meeting", leadDepartmentId: lead.id };
    const cases: [Record<string, unknown>, string][] = [
      [{ ...base }, "/body/dueAt"],
      [{ ...base, dueAt: "2020-01-01T00:00:00Z" }, "/body/dueAt"],
      [
        { ...base, dueInWorkingDays: 2, leadDepartmentId: "0190a000-0000-7000-8000-000000000000" },
        "/body/leadDepartmentId",
      ],
    ];
    for (const [payload, field] of cases) {
      const res = await t.app.inject({
        method: "POST",
        url: "/api/office/supervision",
        headers: as(leader),
        payload,
      });
      expect(res.statusCode, JSON.stringify(payload)).toBe(400);
      expect(JSON.stringify(json(res).errors)).toContain(field);
    }
    const forbidden = await t.app.inject({
      method: "POST",
      url: "/api/office/supervision",
      headers: { authorization: `Bearer ${tokens.get(coOfficer)}` },
      payload: { ...base, dueInWorkingDays: 2, sourceType: "nonsense" },
    });
    expect(forbidden.statusCode).toBe(400);
  });
});
