import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildUser, type TestUser } from "../../../../test/factories";
import { json, startTestApp, type TestApp } from "../../../../test/harness";
import { createCalendar } from "../../../kernel/calendar/calendar";
import { rawQuery } from "../../../kernel/db/db";
import { scheduleJob } from "../../../kernel/jobs/jobs";
import { crowdShare, dayKind, noise } from "../telemetry/simulator";
import { storeReadings } from "../telemetry/store";
import { CORE_CONTEXT, expandTerm } from "../twin/context";
import { seedDemoTwin, ZONES, zoneId } from "../twin/demo-twin";
import { FORECAST_JOB } from ".";
import { fitProfile, forecast, type HourPoint, mape } from "./model";

const HOUR = 3_600_000;
const calendar = createCalendar([
  { date: "2026-10-01", kind: "holiday", name: "国庆节" },
  { date: "2026-10-02", kind: "holiday", name: "国庆节" },
  { date: "2026-10-03", kind: "holiday", name: "国庆节" },
  { date: "2026-10-10", kind: "workday", name: "国庆节调休" },
]);
const kindOf = (at: Date) => dayKind(at, calendar);

/** The demo's crowd model for a zone of 12,000, hour by hour, with the simulator's noise. */
function demoSeries(from: number, hours: number): HourPoint[] {
  return Array.from({ length: hours }, (_, i) => {
    const at = new Date(from + i * HOUR);
    const share = crowdShare(new Date(at.getTime() + HOUR / 2), kindOf(at));
    return { at, value: 12_000 * share * (1 + 0.16 * (noise(`zone:${at.getTime()}`) - 0.5)) };
  });
}

describe("crowd forecasts on held-out demo data", () => {
  it("forecasts the next three hours with a MAPE under 15 %, better than yesterday's same hour", () => {
    // Four weeks to learn from (with the National Day holidays), the fifth held out.
    const start = Date.parse("2026-09-14T00:00:00+08:00");
    const all = demoSeries(start, 35 * 24);
    const train = all.slice(0, 28 * 24);
    const test = all.slice(28 * 24);
    const profile = fitProfile(train, kindOf);
    const pairs: { actual: number; predicted: number }[] = [];
    const naive: { actual: number; predicted: number }[] = [];
    for (let i = 3; i + 3 <= test.length; i++) {
      const points = forecast(profile, test.slice(i - 3, i), test[i - 1]!.at, 3, kindOf);
      expect(points).not.toBeNull();
      for (let h = 0; h < 3; h++) {
        const actual = test[i - 1 + h + 1]?.value;
        // Busy hours only: near-empty night hours make percentage errors meaningless.
        if (actual === undefined || actual < 1200) continue;
        pairs.push({ actual, predicted: points![h]!.value });
        const yesterday = all[28 * 24 + i + h - 24]!.value;
        naive.push({ actual, predicted: yesterday });
      }
    }
    const error = mape(pairs);
    const naiveError = mape(naive);
    console.info(
      `crowd forecast MAPE ${(error * 100).toFixed(1)} % (same hour yesterday: ${(naiveError * 100).toFixed(1)} %) over ${pairs.length} forecasts`,
    );
    expect(pairs.length).toBeGreaterThan(200);
    expect(error).toBeLessThan(0.15);
    expect(error).toBeLessThan(naiveError);
  });

  it("gives intervals that hold most actual values and widen nothing to negative", () => {
    const start = Date.parse("2026-11-02T00:00:00+08:00");
    const all = demoSeries(start, 21 * 24);
    const profile = fitProfile(all.slice(0, 14 * 24), kindOf);
    let inside = 0;
    let total = 0;
    for (let i = 14 * 24 + 3; i < all.length - 1; i++) {
      const [next] = forecast(profile, all.slice(i - 3, i), all[i - 1]!.at, 1, kindOf)!;
      expect(next!.low).toBeGreaterThanOrEqual(0);
      if (all[i]!.value >= next!.low && all[i]!.value <= next!.high) inside++;
      total++;
    }
    // The 80 % interval is calibrated in-sample and runs narrow out of sample (about 63 % here).
    expect(inside / total).toBeGreaterThan(0.6);
  });
});

describe("forecast warnings and CAP weather warnings", () => {
  let t: TestApp;
  let dispatcher: TestUser;
  let token: string;
  const zone = ZONES.find((z) => z.key === "light-show")!;
  const get = (url: string) =>
    t.app.inject({ method: "GET", url, headers: { authorization: `Bearer ${token}` } });
  const postCap = (xml: string, user?: string) =>
    t.app.inject({
      method: "POST",
      url: "/api/operations/cap-alerts",
      headers: { authorization: `Bearer ${user ?? token}`, "content-type": "application/cap+xml" },
      payload: xml,
    });
  const runJob = async () => {
    await t.platform.db.transaction((tx) =>
      scheduleJob(tx, t.platform.clock, { kind: FORECAST_JOB, dedupeKey: FORECAST_JOB }),
    );
    await t.platform.jobs.runDue();
  };
  /** Ten days of hourly counts for the zone's two counters at `share` of its capacity. */
  async function history(share: (at: Date) => number) {
    const now = Date.now();
    const from = Math.floor(now / HOUR) * HOUR - 10 * 24 * HOUR;
    const readings = [];
    for (let t0 = from; t0 <= now; t0 += HOUR) {
      for (const n of [1, 2]) {
        readings.push({
          entityId: `urn:ngsi-ld:CrowdCounter:yunxi-${zone.key}-${n}`,
          attr: expandTerm(CORE_CONTEXT, "peopleCount"),
          observedAt: new Date(Math.min(now, t0 + 60_000)).toISOString(),
          value: Math.round((zone.capacity / 2) * share(new Date(t0))),
        });
      }
    }
    await storeReadings(t.platform.db, readings);
  }

  beforeAll(async () => {
    t = await startTestApp();
    await seedDemoTwin(t.platform);
    dispatcher = await buildUser(t.platform, { roles: ["dispatcher"] });
    token = await dispatcher.token(t.app);
  });
  afterAll(() => t.close());

  it("raises a crowd warning when the forecast crosses 80 % of capacity, and ends it when it no longer does", async () => {
    await history(() => 0.95);
    const forecasts = json<
      { areaId: string; kind: string; crossesAt: string | null; points: { value: number }[] }[]
    >(await get("/api/operations/forecasts"));
    const crowd = forecasts.find((f) => f.areaId === zoneId(zone) && f.kind === "crowd");
    expect(crowd?.points).toHaveLength(3);
    expect(crowd?.crossesAt).not.toBeNull();
    await runJob();
    const active = json<{ id: string; areaId: string; kind: string; level: string; title: string }[]>(
      await get(`/api/operations/warnings?areaId=${encodeURIComponent(zoneId(zone))}`),
    );
    expect(active).toHaveLength(1);
    expect(active[0]).toMatchObject({ kind: "crowd", level: "orange" });
    expect(active[0]!.title).toContain("灯光秀观景区人流承载橙色预警");
    // Running again changes nothing: one warning per area and kind.
    await runJob();
    expect(
      json<unknown[]>(await get(`/api/operations/warnings?areaId=${encodeURIComponent(zoneId(zone))}`)),
    ).toHaveLength(1);

    await rawQuery(t.platform.db, "delete from operations.readings", []);
    await rawQuery(t.platform.db, "delete from operations.readings_1h", []);
    await history(() => 0.3);
    await runJob();
    expect(
      json<unknown[]>(await get(`/api/operations/warnings?areaId=${encodeURIComponent(zoneId(zone))}`)),
    ).toHaveLength(0);
    const events = await rawQuery<{ topic: string }>(
      t.platform.db,
      "select topic from platform.outbox where topic like 'operations.warning.%' and payload->>'id' = $1 order by id",
      [active[0]!.id],
    );
    expect(events.map((e) => e.topic)).toEqual(["operations.warning.raised", "operations.warning.ended"]);
  });

  const cap = (
    msgType: string,
    identifier: string,
    body: string,
    references = "",
  ) => `<?xml version="1.0" encoding="UTF-8"?>
<alert xmlns="urn:oasis:names:tc:emergency:cap:1.2">
  <identifier>${identifier}</identifier>
  <sender>gz-meteo@weather.gov.cn</sender>
  <sent>2026-11-29T14:00:00+08:00</sent>
  <status>Actual</status>
  <msgType>${msgType}</msgType>
  <scope>Public</scope>
  ${references ? `<references>${references}</references>` : ""}
  ${body}
</alert>`;
  const typhoon = (polygon: string) => `<info>
    <language>zh-CN</language>
    <category>Met</category>
    <event>台风</event>
    <urgency>Expected</urgency>
    <severity>Severe</severity>
    <certainty>Likely</certainty>
    <expires>2099-12-31T00:00:00+08:00</expires>
    <headline>广州市气象台发布台风橙色预警信号</headline>
    <description>受台风影响，预计未来12小时内风力可达10级以上。</description>
    <area><areaDesc>海珠区</areaDesc><polygon>${polygon}</polygon></area>
  </info>`;
  const overArea = "23.09,113.30 23.09,113.34 23.12,113.34 23.12,113.30 23.09,113.30";

  it("turns a CAP 1.2 typhoon warning into orange weather warnings on the areas it covers, and a Cancel withdraws them", async () => {
    const res = await postCap(cap("Alert", "GZ-TY-2026-0001", typhoon(overArea)));
    expect(res.statusCode, res.body).toBe(201);
    const body = json<{ warnings: { areaId: string; level: string; kind: string; title: string }[] }>(res);
    expect(body.warnings.length).toBe(7); // the scenic area and its six zones
    expect(body.warnings.every((w) => w.level === "orange" && w.kind === "weather")).toBe(true);
    expect(body.warnings[0]!.title).toBe("广州市气象台发布台风橙色预警信号");
    const far = await postCap(
      cap("Alert", "GZ-TY-2026-0002", typhoon("22.0,112.0 22.0,112.1 22.1,112.1 22.0,112.0")),
    );
    expect(json<{ warnings: unknown[] }>(far).warnings).toHaveLength(0);

    const cancel = await postCap(
      cap(
        "Cancel",
        "GZ-TY-2026-0003",
        "",
        "gz-meteo@weather.gov.cn,GZ-TY-2026-0001,2026-11-29T14:00:00+08:00",
      ),
    );
    expect(cancel.statusCode).toBe(201);
    const weather = json<{ kind: string }[]>(await get("/api/operations/warnings")).filter(
      (w) => w.kind === "weather",
    );
    expect(weather).toHaveLength(0);
  });

  it("refuses what is not a valid CAP message, and callers who may not post one", async () => {
    for (const [xml, says] of [
      ["<alert><identifier>x</alert>", "XML"],
      ["<notcap/>", "<alert>"],
      [cap("Alert", "B1", typhoon("23.09,113.30 23.09,113.34 23.12,113.34")), "polygon"],
      [cap("Shout", "B2", typhoon(overArea)), "msgType"],
      [cap("Alert", "B3", typhoon(overArea).replace("Severe", "Dire")), "severity"],
    ] as const) {
      const res = await postCap(xml);
      expect(res.statusCode, xml.slice(0, 60)).toBe(400);
      expect(json<{ detail: string }>(res).detail).toContain(says);
    }
    const gridworker = await buildUser(t.platform, { roles: ["gridworker"] });
    expect(
      (await postCap(cap("Alert", "B4", typhoon(overArea)), await gridworker.token(t.app))).statusCode,
    ).toBe(403);
  });
});
