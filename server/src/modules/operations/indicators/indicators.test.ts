/**
 * City-sign indicators over real twin entities (created through the NGSI-LD API), real telemetry
 * roll-ups (stored by the telemetry store) and the real HTTP API; the engine is driven by the twin
 * feed after the outbox relay, and by its timer step, with a clock the test moves by hand.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildUser, type TestUser } from "../../../../test/factories";
import { eventually, json, ManualClock, startTestApp, type TestApp } from "../../../../test/harness";
import { rawQuery } from "../../../kernel/db/db";
import { storeReadings } from "../telemetry/store";
import { CORE_CONTEXT } from "../twin/context";
import { demoTwinEntities, SCENIC_AREA_ID, seedDemoTwin } from "../twin/demo-twin";
import { expandAttrName, expandType } from "../twin/entity";
import { DEMO_INDICATOR_COUNT, demoIndicators } from "./demo-indicators";
import { IndicatorEngine } from "./engine";
import { checkFormula } from "./formula";
import { indicatorEngineOf, LEVEL_CHANGED, seedDemoIndicators } from "./index";
import { checkThresholds } from "./levels";

let t: TestApp;
let clock: ManualClock;
let engine: IndicatorEngine;
let admin: TestUser;
let dispatcher: TestUser;
let gridworker: TestUser;
let leader: TestUser;
let citizen: TestUser;
const tokens = new Map<TestUser, string>();

const PARK = "urn:ngsi-ld:Area:t-park";
const ZONE_A = "urn:ngsi-ld:Area:t-zone-a";
const ZONE_B = "urn:ngsi-ld:Area:t-zone-b";
const iri = (term: string) => expandAttrName(CORE_CONTEXT, term);

type Indicator = {
  code: string;
  value: number | null;
  level: string | null;
  direction: string;
  thresholds: Record<string, number | null>;
  history: { at: string; value: number | null; level: string | null }[];
};
type Problem = { status: number; errors?: { field: string; message: string }[] };

async function api(
  method: "GET" | "POST" | "PATCH",
  url: string,
  options: { user?: TestUser | null; body?: unknown } = {},
) {
  const user = options.user === undefined ? admin : options.user;
  return t.app.inject({
    method,
    url,
    headers: user ? { authorization: `Bearer ${tokens.get(user)}` } : {},
    ...(options.body !== undefined ? { payload: options.body as Record<string, unknown> } : {}),
  });
}

async function ngsi(method: "POST" | "PATCH", url: string, body: unknown) {
  const res = await api(method, `/ngsi-ld/v1${url}`, { user: dispatcher, body });
  expect(res.statusCode, res.body).toBeLessThan(300);
}

const point = (lon: number, lat: number) => ({
  type: "GeoProperty",
  value: { type: "Point", coordinates: [lon, lat] },
});
const prop = (value: unknown) => ({ type: "Property", value });
const rel = (object: string) => ({ type: "Relationship", object });

let seq = 0;
/** Creates an indicator as the administrator; returns its first evaluation. */
async function define(
  formula: unknown,
  options: { refreshSeconds?: number; direction?: string; thresholds?: Record<string, number | null> } = {},
): Promise<Indicator> {
  const code = `T-${++seq}`;
  const res = await api("POST", "/api/operations/indicators", {
    body: {
      code,
      name: `测试指标${seq}`,
      unit: "个",
      category: "人流",
      areaId: PARK,
      formula,
      refreshSeconds: options.refreshSeconds ?? 60,
      direction: options.direction ?? "above",
      thresholds: options.thresholds ?? { alarm: 1_000_000 },
    },
  });
  expect(res.statusCode, res.body).toBe(201);
  return json<Indicator>(res);
}

const get = async (code: string) =>
  json<Indicator>(await api("GET", `/api/operations/indicators/${code}`, { user: gridworker }));

/** Delivers pending outbox events (to the twin feed, in process) and waits for the evaluations they cause. */
async function relay(): Promise<void> {
  while ((await t.platform.events.relayPending()) > 0) {}
  await engine.idle();
}

async function levelEvents(code: string) {
  const rows = await rawQuery<{ payload: { code: string; from: string | null; to: string; value: number } }>(
    t.platform.db,
    "select payload from platform.outbox where topic = $1 order by id",
    [LEVEL_CHANGED],
  );
  return rows
    .map((r) => (typeof r.payload === "string" ? JSON.parse(r.payload) : r.payload))
    .filter((p) => p.code === code);
}

beforeAll(async () => {
  clock = new ManualClock(new Date("2026-11-30T01:00:00.000Z"));
  t = await startTestApp({ clock, env: { TOKEN_TTL_SECONDS: String(30 * 86_400) } });
  engine = indicatorEngineOf(t.platform)!;
  admin = await buildUser(t.platform, { roles: ["admin"] });
  dispatcher = await buildUser(t.platform, { roles: ["dispatcher"] });
  gridworker = await buildUser(t.platform, { roles: ["gridworker"] });
  leader = await buildUser(t.platform, { roles: ["leader"] });
  citizen = await buildUser(t.platform, { roles: ["citizen"] });
  for (const u of [admin, dispatcher, gridworker, leader, citizen]) tokens.set(u, await u.token(t.app));
  // With NATS_URL the twin feed's subscription consumes from JetStream.
  await t.platform.events.start();

  await ngsi("POST", "/entities", { id: PARK, type: "Area", name: prop("测试公园"), capacity: prop(1500) });
  for (const [id, capacity] of [
    [ZONE_A, 1000],
    [ZONE_B, 500],
  ] as const)
    await ngsi("POST", "/entities", { id, type: "Area", capacity: prop(capacity), partOf: rel(PARK) });
  for (const [n, count, zone] of [
    ["a1", 300, ZONE_A],
    ["a2", 200, ZONE_A],
    ["b1", 100, ZONE_B],
  ] as const)
    await ngsi("POST", "/entities", {
      id: `urn:ngsi-ld:CrowdCounter:t-${n}`,
      type: "CrowdCounter",
      peopleCount: prop(count),
      refArea: rel(zone),
    });
  for (const [n, status, lon, zone] of [
    [1, "normal", 113.3, ZONE_A],
    [2, "fault", 113.3005, ZONE_A],
    [3, "normal", 113.31, ZONE_B],
  ] as const)
    await ngsi("POST", "/entities", {
      id: `urn:ngsi-ld:Component:t-${n}`,
      type: "Component",
      componentType: prop("manhole"),
      status: prop(status),
      location: point(lon, 23.1),
      refArea: rel(zone),
    });
  // 33 m north of component 1, 61 m from component 2.
  await ngsi("POST", "/entities", {
    id: "urn:ngsi-ld:Camera:t-1",
    type: "Camera",
    status: prop("online"),
    location: point(113.3, 23.1003),
    refArea: rel(ZONE_A),
  });
  await relay();
}, 60_000);

afterAll(async () => {
  if (process.env.SHOW_ERRORS)
    for (const l of t.logs)
      if (l.includes('"level":50') || l.includes('"level":40')) console.log(l.slice(0, 2000));
  await t?.close();
});

describe("formulas over real entities", () => {
  const counters = (select: Record<string, unknown>) => ({ type: "CrowdCounter", ...select });

  it("aggregates current values: sum over an area with its sub-areas, avg, max, min, count, latest", async () => {
    expect((await define({ op: "sum", select: counters({ area: PARK }), attr: "peopleCount" })).value).toBe(
      600,
    );
    expect((await define({ op: "sum", select: counters({ area: ZONE_B }), attr: "peopleCount" })).value).toBe(
      100,
    );
    expect((await define({ op: "avg", select: counters({ area: ZONE_A }), attr: "peopleCount" })).value).toBe(
      250,
    );
    expect((await define({ op: "max", select: counters({ area: PARK }), attr: "peopleCount" })).value).toBe(
      300,
    );
    expect((await define({ op: "min", select: counters({ area: PARK }), attr: "peopleCount" })).value).toBe(
      100,
    );
    expect((await define({ op: "count", select: { type: "Component" } })).value).toBe(3);
    expect((await define({ op: "count", select: { type: "Component", q: 'status=="fault"' } })).value).toBe(
      1,
    );
    expect(
      (await define({ op: "latest", select: { id: "urn:ngsi-ld:CrowdCounter:t-b1" }, attr: "peopleCount" }))
        .value,
    ).toBe(100);
  });

  it("computes ratios of formulas with a scale, and has no value when the denominator is zero", async () => {
    const load = await define({
      op: "ratio",
      num: { op: "sum", select: counters({ area: ZONE_A }), attr: "peopleCount" },
      den: { op: "latest", select: { id: ZONE_A }, attr: "capacity" },
      scale: 100,
    });
    expect(load.value).toBe(50);
    const none = await define({ op: "ratio", num: 5, den: { op: "count", select: { type: "NoSuchType" } } });
    expect(none.value).toBeNull();
    expect(none.level).toBeNull();
  });

  it("selects entities near another one by distance", async () => {
    const near = (distance: number) => ({
      op: "count",
      select: { type: "Component", near: { entity: "urn:ngsi-ld:Camera:t-1", distance } },
    });
    expect((await define(near(40))).value).toBe(1);
    expect((await define(near(100))).value).toBe(2);
    expect((await define(near(5000))).value).toBe(3);
  });

  it("aggregates telemetry windows from the minute and hour roll-ups, and rates per minute", async () => {
    const id = "urn:ngsi-ld:CrowdCounter:t-window";
    // No current value and no area: the readings below are all it has, and no other test counts it.
    await ngsi("POST", "/entities", { id, type: "CrowdCounter", name: prop("窗口测试") });
    const at = (minutesAgo: number) => new Date(clock.now().getTime() - minutesAgo * 60_000).toISOString();
    await storeReadings(
      t.platform.db,
      [
        { entityId: id, attr: iri("peopleCount"), observedAt: at(4), value: 100 },
        { entityId: id, attr: iri("peopleCount"), observedAt: at(2), value: 130 },
        { entityId: id, attr: iri("peopleCount"), observedAt: at(0), value: 160 },
        // Outside a 10-minute window, inside the day.
        { entityId: id, attr: iri("peopleCount"), observedAt: at(90), value: 1000 },
      ],
      clock.now(),
    );
    const one = { id };
    const win = async (op: string, window: number, extra: Record<string, unknown> = {}) =>
      (await define({ op, select: one, attr: "peopleCount", window, ...extra })).value;
    expect(await win("sum", 600)).toBe(390);
    expect(await win("avg", 600)).toBe(130);
    expect(await win("max", 600)).toBe(160);
    expect(await win("min", 600)).toBe(100);
    expect(await win("count", 600)).toBe(3);
    expect(await win("latest", 600)).toBe(160);
    expect(await win("rate", 600)).toBe(15); // (160 − 100) / 4 minutes
    expect(await win("rate", 600, { basis: "count" })).toBe(0.3); // 3 readings / 10 minutes
    expect(await win("rate", 600, { basis: "sum" })).toBe(39);
    // A day's window reads the hour roll-up and includes the reading 90 minutes ago.
    expect(await win("max", 86_400)).toBe(1000);
    expect(await win("count", 86_400)).toBe(4);
    // The window slides: an hour later, the last 10 minutes hold nothing.
    const sliding = await define(
      { op: "count", select: one, attr: "peopleCount", window: 600 },
      { refreshSeconds: 30 },
    );
    expect(sliding.value).toBe(3);
    clock.advance(3_600_000);
    await engine.runDue();
    expect((await get(sliding.code)).value).toBe(0);
  });
});

describe("incremental evaluation", () => {
  it("re-evaluates on a change through the NGSI-LD API, at most once per refresh interval", async () => {
    const counter = "urn:ngsi-ld:CrowdCounter:t-a1";
    const people = await define(
      { op: "sum", select: { type: "CrowdCounter", area: ZONE_A }, attr: "peopleCount" },
      { refreshSeconds: 60 },
    );
    expect(people.value).toBe(500);
    const other = await define({ op: "count", select: { type: "Camera", q: 'status=="online"' } });

    // Two changes inside the interval: the indicator waits, then takes the latest data once.
    const received = engine.received;
    await ngsi("PATCH", `/entities/${counter}/attrs/peopleCount`, { value: 350 });
    await relay();
    await eventually(async () => engine.received >= received + 1);
    expect(engine.isDirty(people.code)).toBe(true);
    await ngsi("PATCH", `/entities/${counter}/attrs/peopleCount`, { value: 400 });
    await relay();
    await eventually(async () => engine.received >= received + 2);
    expect((await get(people.code)).value).toBe(500);

    clock.advance(60_000);
    await engine.runDue();
    const after = await get(people.code);
    expect(after.value).toBe(600);
    expect(after.history.map((h) => h.value)).toEqual([500, 600]); // 550 was never evaluated
    expect((await get(other.code)).history).toHaveLength(1);

    // After the interval a change is evaluated as it arrives.
    clock.advance(60_000);
    await ngsi("PATCH", `/entities/${counter}/attrs/peopleCount`, { value: 300 });
    await relay();
    await eventually(async () => (await get(people.code)).value === 500);
  });

  it("re-evaluates an indicator with refreshSeconds 0 after every change, without waiting for the clock", async () => {
    const counter = "urn:ngsi-ld:CrowdCounter:t-a1";
    const live = await define(
      { op: "latest", select: { id: counter }, attr: "peopleCount" },
      { refreshSeconds: 0 },
    );
    for (const value of [111, 222, 333]) {
      await ngsi("PATCH", `/entities/${counter}/attrs/peopleCount`, { value });
      await relay();
      expect((await get(live.code)).value).toBe(value);
    }
    expect((await get(live.code)).history.map((h) => h.value).slice(-3)).toEqual([111, 222, 333]);
  });
  it("indexes indicators by the entity type (or id) and attribute they read", async () => {
    const byType = await define({ op: "max", select: { type: "CrowdCounter" }, attr: "peopleCount" });
    const byId = await define({
      op: "count",
      select: { id: "urn:ngsi-ld:Component:t-3", q: 'status=="fault"' },
    });
    const change = (id: string, type: string, attributes: string[]) => ({
      kind: "updated" as const,
      id,
      types: [expandType(CORE_CONTEXT, type)],
      attributes: attributes.map(iri),
      at: clock.now().toISOString(),
    });
    const hit = engine.affectedBy([change("urn:ngsi-ld:CrowdCounter:x", "CrowdCounter", ["peopleCount"])]);
    expect(hit.has(byType.code)).toBe(true);
    expect(hit.has(byId.code)).toBe(false);
    expect(
      engine.affectedBy([change("urn:ngsi-ld:CrowdCounter:x", "CrowdCounter", ["name"])]).has(byType.code),
    ).toBe(false);
    expect(
      engine.affectedBy([change("urn:ngsi-ld:Component:t-3", "Component", ["status"])]).has(byId.code),
    ).toBe(true);
    expect(
      engine.affectedBy([change("urn:ngsi-ld:Component:t-1", "Component", ["status"])]).has(byId.code),
    ).toBe(false);
    // Deleting an entity of the type affects the indicator whatever its attributes.
    expect(
      engine
        .affectedBy([{ ...change("urn:ngsi-ld:CrowdCounter:y", "CrowdCounter", []), kind: "deleted" }])
        .has(byType.code),
    ).toBe(true);
  });
});

describe("levels", () => {
  it("publishes exactly one event per level change, audited as the system's", async () => {
    const component = "urn:ngsi-ld:Component:t-1";
    const state = await define(
      { op: "count", select: { id: component, q: 'status=="fault"' } },
      { refreshSeconds: 1, thresholds: { alarm: 1 } },
    );
    expect(state.value).toBe(0);
    expect(state.level).toBe("normal");
    const changeStatus = async (status: string) => {
      clock.advance(1_000);
      const received = engine.received;
      await ngsi("PATCH", `/entities/${component}/attrs/status`, { value: status });
      await relay();
      await eventually(async () => engine.received > received);
      await engine.idle();
    };

    await changeStatus("fault");
    await eventually(async () => (await get(state.code)).level === "alarm");
    // Evaluating again, by a second engine too (another server process), changes nothing.
    const second = new IndicatorEngine({ db: t.platform.db, clock, log: t.platform.log });
    await second.load();
    clock.advance(1_000);
    await Promise.all([engine.evaluate([state.code]), second.evaluate([state.code]), engine.runDue()]);
    await changeStatus("fault");
    await changeStatus("normal");
    await eventually(async () => (await get(state.code)).level === "normal");

    const events = await levelEvents(state.code);
    expect(events.map((e) => [e.from, e.to, e.value])).toEqual([
      ["normal", "alarm", 1],
      ["alarm", "normal", 0],
    ]);
    const audit = await rawQuery<{ actor_id: string | null; details: { from: string; to: string } }>(
      t.platform.db,
      "select actor_id, details from audit.records where action = $1 and resource_id = $2 order by id",
      [LEVEL_CHANGED, state.code],
    );
    expect(audit.map((a) => [a.actor_id, a.details.from, a.details.to])).toEqual([
      [null, "normal", "alarm"],
      [null, "alarm", "normal"],
    ]);
  });

  it("applies thresholds above and below, inclusively, and moves the level at once when they change", async () => {
    const people = await define(
      { op: "sum", select: { type: "CrowdCounter", area: ZONE_B }, attr: "peopleCount" },
      { thresholds: { attention: 50, warning: 100, alarm: 150 } },
    );
    expect(people.value).toBe(100);
    expect(people.level).toBe("warning"); // 100 reaches the warning threshold of 100

    const patch = (body: Record<string, unknown>, user: TestUser = dispatcher) =>
      api("PATCH", `/api/operations/indicators/${people.code}/thresholds`, { user, body });
    let res = await patch({ direction: "below", attention: 100, warning: 80, alarm: 50 });
    expect(res.statusCode, res.body).toBe(200);
    expect(json<Indicator>(res).level).toBe("attention");
    res = await patch({ attention: 150, warning: 120 });
    expect(json<Indicator>(res).level).toBe("warning");
    res = await patch({ direction: "above", attention: 10, warning: 20, alarm: 100 });
    expect(json<Indicator>(res).level).toBe("alarm");
    expect(json<Indicator>(res).thresholds).toEqual({ attention: 10, warning: 20, alarm: 100 });

    const refused = json<Problem>(await patch({ warning: 5 }));
    expect(refused.status).toBe(400);
    expect(refused.errors?.map((e) => e.field)).toEqual(["/body/warning"]);
    expect((await patch({ attention: 1 }, gridworker)).statusCode).toBe(403);

    expect((await levelEvents(people.code)).map((e) => [e.from, e.to])).toEqual([
      [null, "warning"],
      ["warning", "attention"],
      ["attention", "warning"],
      ["warning", "alarm"],
    ]);
    const audit = await rawQuery<{ actor_id: string | null }>(
      t.platform.db,
      "select actor_id from audit.records where action = 'operations.indicator.thresholds-updated' and resource_id = $1",
      [people.code],
    );
    expect(audit.map((a) => a.actor_id)).toEqual([dispatcher.id, dispatcher.id, dispatcher.id]);
  });
});

describe("validation and access", () => {
  const attempt = async (body: Record<string, unknown>) => {
    const res = await api("POST", "/api/operations/indicators", {
      body: {
        code: "T-BAD",
        name: "无效指标",
        unit: "个",
        category: "设施",
        areaId: PARK,
        formula: { op: "count", select: { type: "Component" } },
        refreshSeconds: 60,
        direction: "above",
        thresholds: { alarm: 1 },
        ...body,
      },
    });
    expect(res.statusCode, res.body).toBe(400);
    return json<Problem>(res).errors?.map((e) => e.field);
  };

  it("rejects invalid formulas, thresholds and areas, naming the field", async () => {
    expect(await attempt({ formula: { op: "median", select: { type: "X" } } })).toEqual(["/body/formula/op"]);
    expect(await attempt({ formula: { op: "sum", select: { type: "Component" } } })).toEqual([
      "/body/formula/attr",
    ]);
    expect(await attempt({ formula: { op: "ratio", num: { op: "count", select: {} }, den: 1 } })).toEqual([
      "/body/formula/num/select",
    ]);
    expect(await attempt({ formula: { op: "count", select: { type: "Component", q: "status==" } } })).toEqual(
      ["/body/formula/select/q"],
    );
    expect(await attempt({ formula: { op: "avg", select: { type: "X" }, attr: "a", window: 5 } })).toEqual([
      "/body/formula/window",
    ]);
    expect(await attempt({ formula: { op: "rate", select: { type: "X" }, attr: "a" } })).toEqual([
      "/body/formula/window",
    ]);
    expect(
      await attempt({
        formula: { op: "count", select: { type: "X", near: { entity: PARK, distance: -1 } } },
      }),
    ).toEqual(["/body/formula/select/near/distance"]);
    expect(await attempt({ formula: { op: "count", select: { type: "X", typo: 1 } } })).toEqual([
      "/body/formula/select/typo",
    ]);
    expect(await attempt({ formula: { op: "count", select: { type: "bad name" } } })).toEqual([
      "/body/formula/select/type",
    ]);
    expect(
      await attempt({
        formula: { op: "ratio", num: 1, den: { op: "count", select: { id: ["not a uri"] } } },
      }),
    ).toEqual(["/body/formula/den/select/id/0"]);
    expect(await attempt({ thresholds: {} })).toEqual(["/body/thresholds"]);
    expect(await attempt({ direction: "below", thresholds: { attention: 1, alarm: 5 } })).toEqual([
      "/body/thresholds/alarm",
    ]);
    expect(await attempt({ areaId: "urn:ngsi-ld:Component:t-1" })).toEqual(["/body/areaId"]);
    // A regular expression the database refuses is found by the first evaluation.
    expect(
      await attempt({ formula: { op: "count", select: { type: "Component", q: 'status~="(unclosed"' } } }),
    ).toEqual(["/body/formula"]);
    const count = await rawQuery<{ n: number }>(
      t.platform.db,
      "select count(*)::int as n from operations.indicators where code = 'T-BAD'",
      [],
    );
    expect(count[0]!.n).toBe(0);
  });

  it("refuses a second indicator with the same code", async () => {
    const first = await define({ op: "count", select: { type: "Component" } });
    const res = await api("POST", "/api/operations/indicators", {
      body: {
        code: first.code,
        name: "重复",
        unit: "个",
        category: "设施",
        areaId: PARK,
        formula: 1,
        refreshSeconds: 60,
        direction: "above",
        thresholds: { alarm: 1 },
      },
    });
    expect(res.statusCode).toBe(409);
  });

  it("lets operations staff read, dispatchers change thresholds and only administrators define indicators", async () => {
    const one = await define({ op: "count", select: { type: "Camera" } });
    for (const user of [gridworker, leader, dispatcher, admin]) {
      expect((await api("GET", "/api/operations/indicators", { user })).statusCode).toBe(200);
      expect((await api("GET", `/api/operations/indicators/${one.code}`, { user })).statusCode).toBe(200);
      expect((await api("GET", "/api/operations/indicators/summary", { user })).statusCode).toBe(200);
    }
    expect((await api("GET", "/api/operations/indicators", { user: citizen })).statusCode).toBe(403);
    expect((await api("GET", "/api/operations/indicators", { user: null })).statusCode).toBe(401);
    const body = {
      code: "T-DENIED",
      name: "x",
      unit: "",
      category: "设施",
      areaId: PARK,
      formula: 1,
      refreshSeconds: 60,
      direction: "above",
      thresholds: { alarm: 1 },
    };
    expect((await api("POST", "/api/operations/indicators", { user: dispatcher, body })).statusCode).toBe(
      403,
    );
    expect((await api("POST", "/api/operations/indicators", { user: leader, body })).statusCode).toBe(403);
    expect(
      (
        await api("PATCH", `/api/operations/indicators/${one.code}/thresholds`, {
          user: leader,
          body: { alarm: 2 },
        })
      ).statusCode,
    ).toBe(403);
    expect((await api("GET", "/api/operations/indicators/T-NONE", { user: gridworker })).statusCode).toBe(
      404,
    );
  });
});

describe("the demo scenic area", () => {
  let demo: TestApp;
  afterAll(async () => demo?.close());

  it("has exactly 1,972 indicators, evaluated from the demo twin, listed, filtered and summed up", async () => {
    const templates = demoIndicators();
    expect(templates).toHaveLength(DEMO_INDICATOR_COUNT);
    expect(new Set(templates.map((i) => i.code)).size).toBe(DEMO_INDICATOR_COUNT);
    for (const i of templates) {
      expect(checkFormula(i.formula, i.code)).toEqual([]);
      expect(checkThresholds(i.direction, i, i.code)).toEqual([]);
    }
    demo = await startTestApp();
    await seedDemoTwin(demo.platform);
    expect(await seedDemoIndicators(demo.platform)).toBe(1972);
    const reader = await buildUser(demo.platform, { roles: ["dispatcher"] });
    const headers = { authorization: `Bearer ${await reader.token(demo.app)}` };
    const list = async (query: string) =>
      json<{ items: Indicator[]; total: number }>(
        await demo.app.inject({ method: "GET", url: `/api/operations/indicators?${query}`, headers }),
      );

    expect((await list(`areaId=${encodeURIComponent(SCENIC_AREA_ID)}&pageSize=1`)).total).toBe(1972);
    const summary = json<{
      totals: Record<string, number>;
      categories: { category: string; total: number }[];
    }>(
      await demo.app.inject({
        method: "GET",
        url: `/api/operations/indicators/summary?areaId=${encodeURIComponent(SCENIC_AREA_ID)}`,
        headers,
      }),
    );
    expect(summary.totals.total).toBe(1972);
    expect(summary.categories.map((c) => c.category)).toEqual([
      "人流",
      "交通",
      "环境",
      "设施",
      "安全",
      "服务",
    ]);
    for (const c of summary.categories) expect(c.total).toBeGreaterThan(0);
    expect(summary.categories.reduce((n, c) => n + c.total, 0)).toBe(1972);

    // Every faulty component and the offline camera is an alarm; the crowd is within capacity.
    const faulty = demoTwinEntities().filter(
      (e) => e.type === "Component" && (e.status as { value: string }).value === "fault",
    );
    expect(faulty.length).toBeGreaterThan(0);
    const alarms = await list("level=alarm&text=-STATE&pageSize=200");
    expect(alarms.total).toBe(faulty.length);
    expect((await list("text=YXT-CAM-17-OFFLINE")).items[0]!.level).toBe("alarm");
    const load = (await list("text=YXT-AREA-LOAD")).items[0]!;
    expect(load.value).toBeGreaterThan(10);
    expect(load.level).toBe("normal");
    // Telemetry windows have no readings yet: no value, no level.
    expect((await list("text=YXT-AQ-1-PM25-24H")).items[0]!.value).toBeNull();
    const page2 = await list(`category=${encodeURIComponent("交通")}&pageSize=10&page=2`);
    expect(page2.items).toHaveLength(10);
    expect(page2.total).toBe(8 * 5 + 10);
    const zoneA = await list(`areaId=${encodeURIComponent("urn:ngsi-ld:Area:yunxi-riverside")}&pageSize=1`);
    expect(zoneA.total).toBeGreaterThan(100);
    expect(zoneA.total).toBeLessThan(1972);
  }, 120_000);
});
