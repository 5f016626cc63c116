import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  bearer,
  buildAdmin,
  buildDepartment,
  buildUser,
  type TestDepartment,
  type TestUser,
} from "../../../../test/factories";
import { json, startTestApp, type TestApp } from "../../../../test/harness";
import { rawQuery } from "../../../kernel/db/db";
import { systemCtx } from "../../../kernel/http/context";
import { createNotice } from "./notices.service";

let t: TestApp;
let admin: string;
let officer: TestUser; // bureau A
let colleague: TestUser; // bureau A
let inOffice: TestUser; // an office under bureau A
let outsider: TestUser; // bureau B
let bureauA: TestDepartment;
let bureauB: TestDepartment;
const tokens = new Map<string, string>();

const tokenOf = async (user: TestUser) => {
  if (!tokens.has(user.id)) tokens.set(user.id, await user.token(t.app));
  return tokens.get(user.id)!;
};
const call = async (who: TestUser | string, method: "GET" | "POST", url: string, payload?: object) =>
  t.app.inject({
    method,
    url,
    headers: bearer(typeof who === "string" ? who : await tokenOf(who)),
    ...(payload ? { payload } : {}),
  });
interface NoticeList {
  items: {
    id: string;
    title: string;
    readAt: string | null;
    audience: string;
    kind: string;
    link: string | null;
  }[];
  total: number;
  unread: number;
}
const mine = async (user: TestUser, query = "") =>
  json<NoticeList>(await call(user, "GET", `/api/office/notices${query}`));
const create = (input: Parameters<typeof createNotice>[1]) =>
  t.platform.db.transaction((tx) =>
    createNotice(systemCtx(tx, t.platform.clock, t.platform.log, "test:notice"), input),
  );

beforeAll(async () => {
  t = await startTestApp();
  admin = (await buildAdmin(t.platform, t.app)).token;
  const government = await buildDepartment(t.platform, "government");
  bureauA = await buildDepartment(t.platform, "bureau", government);
  bureauB = await buildDepartment(t.platform, "bureau", government);
  const office = await buildDepartment(t.platform, "office", bureauA);
  officer = await buildUser(t.platform, { roles: ["officer"], department: bureauA });
  colleague = await buildUser(t.platform, { roles: ["clerk"], department: bureauA });
  inOffice = await buildUser(t.platform, { roles: ["approver"], department: office });
  outsider = await buildUser(t.platform, { roles: ["officer"], department: bureauB });
}, 60_000);
afterAll(async () => {
  await t?.close();
});

describe("personal notices", () => {
  it("are created for their recipients only, listed unread first, with the event for the mobile app", async () => {
    const older = await create({
      recipientIds: [colleague.id],
      kind: "supervision_due",
      title: "督办事项即将到期",
      body: "请于明日前报送进展。",
      link: "/office/supervision/1",
      sourceType: "supervision",
      sourceId: "1",
    });
    const newer = await create({
      recipientIds: [colleague.id, inOffice.id],
      kind: "document_distributed",
      title: "来文：关于做好年末安全生产工作的通知",
      body: "请及时签收。",
    });
    expect(older.recipients).toBe(1);
    expect(newer.recipients).toBe(2);

    await call(colleague, "POST", `/api/office/notices/${older.id}/read`);
    const list = await mine(colleague);
    expect(list.items.map((n) => n.id)).toEqual([newer.id, older.id]);
    expect(list).toMatchObject({ total: 2, unread: 1 });
    expect(list.items[1]).toMatchObject({
      kind: "supervision_due",
      link: "/office/supervision/1",
      audience: "personal",
    });
    expect((await mine(colleague, "?unread=true")).items.map((n) => n.id)).toEqual([newer.id]);
    expect((await mine(outsider)).items.some((n) => n.id === newer.id || n.id === older.id)).toBe(false);

    const [event] = await rawQuery<{ payload: { noticeId: string; recipients: number; audience: string } }>(
      t.platform.db,
      "select payload from platform.outbox where topic = 'office.notice.created' and payload->>'noticeId' = $1",
      [newer.id],
    );
    expect(event?.payload).toMatchObject({ noticeId: newer.id, recipients: 2, audience: "personal" });
  });

  it("are marked read once: the first time stays, the change is audited once, another's notice is 404", async () => {
    const { id } = await create({
      recipientIds: [inOffice.id],
      kind: "reminder",
      title: "请假申请待审批",
      body: "—",
    });
    const first = await call(inOffice, "POST", `/api/office/notices/${id}/read`);
    expect(first.statusCode).toBe(200);
    const readAt = json<{ readAt: string }>(first).readAt;
    expect(Math.abs(new Date(readAt).getTime() - t.platform.clock.now().getTime())).toBeLessThan(60_000);
    const again = await call(inOffice, "POST", `/api/office/notices/${id}/read`);
    expect(json<{ readAt: string }>(again).readAt).toBe(readAt);
    const [audits] = await rawQuery<{ n: number }>(
      t.platform.db,
      "select count(*)::int as n from audit.records where action = 'office.notice.read' and resource_id = $1",
      [id],
    );
    expect(audits?.n).toBe(1);

    const theirs = await call(outsider, "POST", `/api/office/notices/${id}/read`);
    expect(theirs.statusCode).toBe(404);
    expect(theirs.headers["content-type"]).toContain("application/problem+json");
    const unknown = await call(inOffice, "POST", "/api/office/notices/not-a-uuid/read");
    expect(json<{ errors: { field: string }[] }>(unknown).errors[0]?.field).toBe("/params/id");
  });

  it("need a signed-in staff member", async () => {
    expect((await t.app.inject({ method: "GET", url: "/api/office/notices" })).statusCode).toBe(401);
  });
});

describe("publishing a 通知公告", () => {
  it("reaches the department's staff (its offices included) and nobody else", async () => {
    const res = await call(officer, "POST", "/api/office/notices", {
      audience: "department",
      title: "关于元旦放假安排的通知",
      body: "1月1日放假一天。",
    });
    expect(res.statusCode).toBe(201);
    const { id, recipients } = json<{ id: string; recipients: number }>(res);
    expect(recipients).toBe(3); // officer, colleague, inOffice
    for (const user of [officer, colleague, inOffice]) {
      const notice = (await mine(user)).items.find((n) => n.id === id);
      expect(notice).toMatchObject({ kind: "announcement", audience: "department", readAt: null });
    }
    expect((await mine(outsider)).items.some((n) => n.id === id)).toBe(false);
    const [audit] = await rawQuery<{ actor_id: string }>(
      t.platform.db,
      "select actor_id from audit.records where action = 'office.notice.created' and resource_id = $1",
      [id],
    );
    expect(audit?.actor_id).toBe(officer.id);
  });

  it("refuses an officer another department or the district; an administrator may publish district-wide", async () => {
    const other = await call(officer, "POST", "/api/office/notices", {
      audience: "department",
      departmentId: bureauB.id,
      title: "越权通知",
      body: "—",
    });
    expect(other.statusCode).toBe(403);
    expect(json(other).code).toBe("NOTICE_AUDIENCE_FORBIDDEN");
    const district = await call(officer, "POST", "/api/office/notices", {
      audience: "district",
      title: "全区通知",
      body: "—",
    });
    expect(district.statusCode).toBe(403);

    const byAdmin = await call(admin, "POST", "/api/office/notices", {
      audience: "district",
      title: "全区网络安全检查通知",
      body: "请各单位自查。",
    });
    expect(byAdmin.statusCode).toBe(201);
    const { id } = json<{ id: string }>(byAdmin);
    for (const user of [officer, colleague, inOffice, outsider])
      expect((await mine(user)).items.some((n) => n.id === id)).toBe(true);
  });

  it("refuses bad input naming each field, and roles that may not publish", async () => {
    const bad = await call(officer, "POST", "/api/office/notices", {
      audience: "everyone",
      title: " ",
      body: "x",
      link: "https://elsewhere.example/",
      extra: 1,
    });
    expect(bad.statusCode).toBe(400);
    const fields = json<{ errors: { field: string }[] }>(bad).errors.map((e) => e.field);
    expect(fields).toEqual(
      expect.arrayContaining(["/body/audience", "/body/title", "/body/link", "/body/extra"]),
    );
    const clerk = await call(colleague, "POST", "/api/office/notices", {
      audience: "department",
      title: "通知",
      body: "—",
    });
    expect(clerk.statusCode).toBe(403);
    const missing = await call(admin, "POST", "/api/office/notices", {
      audience: "department",
      departmentId: "01900000-0000-7000-8000-000000000000",
      title: "通知",
      body: "—",
    });
    expect(missing.statusCode).toBe(404);
  });
});
