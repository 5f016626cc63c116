import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestApp, type TestApp } from "../../../../test/harness";
import { createCalendar } from "../../../kernel/calendar/calendar";
import { rawQuery } from "../../../kernel/db/db";
import { seedDemoTwin, ZONES } from "../twin/demo-twin";
import { TwinFeed } from "../twin/feed";
import { TelemetryIngest } from "./ingest";
import { aqiOfPm25, crowdShare, dayKind, TelemetrySimulator, trafficIntensity } from "./simulator";

// 2026-10-01 is National Day (a holiday), 2026-10-10 a Saturday make-up working day in this data.
const calendar = createCalendar([
  { date: "2026-10-01", kind: "holiday", name: "国庆节" },
  { date: "2026-10-10", kind: "workday", name: "国庆节调休" },
]);
const at = (iso: string) => new Date(iso);

describe("the simulated day", () => {
  it("peaks at the evening light show, is quiet before dawn, and is busiest on holidays", () => {
    const show = at("2026-11-26T12:30:00Z"); // 20:30 in Guangzhou, a Thursday
    const dawn = at("2026-11-26T20:00:00Z"); // 04:00
    expect(crowdShare(show, "working")).toBeGreaterThan(5 * crowdShare(dawn, "working"));
    expect(crowdShare(show, "holiday")).toBeGreaterThan(crowdShare(show, "rest"));
    expect(crowdShare(show, "rest")).toBeGreaterThan(crowdShare(show, "working"));
    expect(crowdShare(show, "holiday")).toBeGreaterThan(0.8);
  });

  it("reads the day's kind from the working-day calendar, make-up days included", () => {
    expect(dayKind(at("2026-10-01T04:00:00Z"), calendar)).toBe("holiday");
    expect(dayKind(at("2026-10-10T04:00:00Z"), calendar)).toBe("working");
    expect(dayKind(at("2026-10-11T04:00:00Z"), calendar)).toBe("rest");
  });

  it("has rush hours on working days and maps PM2.5 to the AQI breakpoints", () => {
    const rush = trafficIntensity(at("2026-11-26T10:00:00Z"), "working"); // 18:00
    const night = trafficIntensity(at("2026-11-26T19:00:00Z"), "working"); // 03:00
    expect(rush).toBeGreaterThan(3 * night);
    expect(aqiOfPm25(35)).toBe(50);
    expect(aqiOfPm25(55)).toBe(75);
    expect(aqiOfPm25(115)).toBe(150);
  });
});

describe("the simulator on the demo twin", () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
    await seedDemoTwin(t.platform);
  });
  afterAll(() => t.close());

  it("fills history through the ingestion and keeps the sensors' current values moving", async () => {
    const ingest = new TelemetryIngest(
      t.platform.db,
      new TwinFeed(() => undefined),
      t.platform.log,
      t.platform.clock,
    );
    const sim = new TelemetrySimulator(
      t.platform.db,
      ingest,
      () => t.platform.calendar.current,
      t.platform.clock,
      t.platform.log,
    );
    expect(await sim.load()).toBeGreaterThan(500);
    const sent = await sim.backfill(2);
    expect(sent).toBeGreaterThan(1000);
    // A second start fills only the gap: nearly nothing is sent again.
    expect(await sim.backfill(2)).toBeLessThan(sent / 10);
    await sim.tick();
    const [zone] = ZONES;
    const rows = await rawQuery<{ n: number; latest: number }>(
      t.platform.db,
      `select count(*)::int as n, max(value) as latest from operations.readings
       where entity_id like $1`,
      [`urn:ngsi-ld:CrowdCounter:yunxi-${zone!.key}-%`],
    );
    expect(rows[0]!.n).toBeGreaterThan(40);
    const counter = await rawQuery<{ observed: string }>(
      t.platform.db,
      `select attrs -> 'https://uri.etsi.org/ngsi-ld/default-context/peopleCount' ->> 'observedAt' as observed
       from operations.entities where id = $1`,
      [`urn:ngsi-ld:CrowdCounter:yunxi-${zone!.key}-1`],
    );
    expect(Date.parse(counter[0]!.observed)).toBeGreaterThan(Date.now() - 60_000);
    expect(ingest.stats.unknownEntity).toBe(0);
    expect(ingest.stats.malformed).toBe(0);
  });
});
