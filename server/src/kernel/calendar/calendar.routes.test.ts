import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { bearer, buildAdmin } from "../../../test/factories";
import { json, startTestApp, type TestApp } from "../../../test/harness";

describe("working-day calendar over HTTP", () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(() => t.close());

  it("serves the official 2026 schedule with its make-up working days", async () => {
    const res = await t.app.inject({ url: "/api/calendar/holidays?year=2026" });
    const schedule = json<{ status: string; items: { date: string; kind: string }[] }>(res);
    expect(schedule.status).toBe("official");
    expect(schedule.items).toContainEqual(expect.objectContaining({ date: "2026-02-14", kind: "workday" }));
    expect(schedule.items).toContainEqual(expect.objectContaining({ date: "2026-10-01", kind: "holiday" }));
    expect(json((await t.app.inject({ url: "/api/calendar/holidays?year=2031" })) as never)).toMatchObject({
      status: 404,
    });
  });

  it("counts working days across the National Day holiday", async () => {
    const counted = json(
      await t.app.inject({ url: "/api/calendar/working-days?from=2026-09-30&to=2026-10-09" }),
    );
    // Oct 1–7 are holidays, Oct 8 (Thu) and Oct 9 (Fri) are working days.
    expect(counted).toMatchObject({ workingDays: 2 });
    const added = json(await t.app.inject({ url: "/api/calendar/working-days?from=2026-09-30&days=1" }));
    expect(added).toMatchObject({ to: "2026-10-08" });
    const both = await t.app.inject({
      url: "/api/calendar/working-days?from=2026-09-30&days=1&to=2026-10-09",
    });
    expect(both.statusCode).toBe(400);
  });

  it("lets an administrator publish next year's official schedule, used at once", async () => {
    const { token: admin } = await buildAdmin(t.platform, t.app);
    const wrongYear = await t.app.inject({
      method: "PUT",
      url: "/api/admin/calendar/2027",
      headers: bearer(admin),
      payload: { status: "official", items: [{ date: "2026-05-01", kind: "holiday", name: "劳动节" }] },
    });
    expect(json(wrongYear)).toMatchObject({ status: 422, errors: [{ field: "/body/items/0/date" }] });
    const put = await t.app.inject({
      method: "PUT",
      url: "/api/admin/calendar/2027",
      headers: bearer(admin),
      payload: {
        status: "official",
        source: "国务院办公厅通知（测试）",
        items: [
          { date: "2027-05-06", kind: "holiday", name: "劳动节" },
          { date: "2027-05-08", kind: "workday", name: "劳动节调休上班" },
        ],
      },
    });
    expect(put.statusCode).toBe(200);
    const after = json(await t.app.inject({ url: "/api/calendar/working-days?from=2027-05-05&days=1" }));
    expect(after).toMatchObject({ to: "2027-05-07" });
    const saturday = json(await t.app.inject({ url: "/api/calendar/working-days?from=2027-05-07&days=1" }));
    expect(saturday).toMatchObject({ to: "2027-05-08" });
  });
});
