/**
 * Telemetry end to end: devices publish over MQTT (TCP and WebSocket) to the embedded broker, or the
 * platform subscribes to an external broker (the machine's Mosquitto when MQTT_URL is set, else a
 * broker of its own); readings are stored before they are acknowledged, update the entity, and come
 * back through the NGSI-LD temporal API.
 */
import { createServer, type Server } from "node:net";
import { Aedes } from "aedes";
import mqtt, { type MqttClient } from "mqtt";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildUser, type TestUser } from "../../../../test/factories";
import { eventually, json, startTestApp, type TestApp } from "../../../../test/harness";
import { freePort } from "../../../../test/process";
import { rawQuery } from "../../../kernel/db/db";
import { maintainTelemetry } from "./maintenance";

const SECRET = "gw-secret-0123456789";
const COUNTER = "urn:ngsi-ld:CrowdCounter:t1";
const topic = (id: string) => `fourfold/twin/${id}/attrs`;

let t: TestApp;
let dispatcher: TestUser;
let gridworker: TestUser;
let token: string;
let mqttPort: number;
let httpPort: number;
const clients: MqttClient[] = [];

async function connect(url: string, username: string, password: string): Promise<MqttClient> {
  const client = await mqtt.connectAsync(url, {
    username,
    password,
    reconnectPeriod: 0,
    connectTimeout: 5000,
  });
  clients.push(client);
  return client;
}
const device = () => connect(`mqtt://127.0.0.1:${mqttPort}`, "gw1", SECRET);
const api = (method: "GET" | "POST" | "PATCH", url: string, body?: unknown) =>
  t.app.inject({
    method,
    url,
    headers: { authorization: `Bearer ${token}`, ...(body ? { "content-type": "application/json" } : {}) },
    ...(body ? { payload: JSON.stringify(body) } : {}),
  });
const current = async (id: string) =>
  json<Record<string, unknown>>(await api("GET", `/ngsi-ld/v1/entities/${id}?options=keyValues`));
const stats = async () =>
  json<{ malformed: number; unknownEntity: number; clockSkew: number; duplicates: number }>(
    await api("GET", "/api/operations/telemetry"),
  );

beforeAll(async () => {
  mqttPort = await freePort();
  t = await startTestApp({
    env: { MQTT_PORT: String(mqttPort), TELEMETRY_DEVICES: `gw1:${SECRET}`, TELEMETRY_SIMULATOR: "false" },
  });
  await t.app.listen({ port: 0, host: "127.0.0.1" });
  httpPort = (t.app.server.address() as { port: number }).port;
  dispatcher = await buildUser(t.platform, { roles: ["dispatcher"] });
  gridworker = await buildUser(t.platform, { roles: ["gridworker"] });
  token = await dispatcher.token(t.app);
  for (const id of [COUNTER, "urn:ngsi-ld:CrowdCounter:t2", "urn:ngsi-ld:WeatherObserved:t1"]) {
    const res = await api("POST", "/ngsi-ld/v1/entities", {
      id,
      type: id.split(":")[2],
      peopleCount: { type: "Property", value: 0, unitCode: "IE" },
    });
    expect(res.statusCode, res.body).toBe(201);
  }
});
afterAll(async () => {
  for (const c of clients) await c.endAsync(true).catch(() => undefined);
  await t.close();
});

describe("MQTT ingestion (embedded broker)", () => {
  it("stores a QoS 1 reading before acknowledging it and updates the entity", async () => {
    const client = await device();
    await client.publishAsync(topic(COUNTER), JSON.stringify({ peopleCount: 120 }), { qos: 1 });
    // Acknowledged means committed: no waiting needed.
    expect((await current(COUNTER)).peopleCount).toBe(120);
    const normalized = json<{ peopleCount: { unitCode: string; observedAt: string } }>(
      await api("GET", `/ngsi-ld/v1/entities/${COUNTER}?attrs=peopleCount`),
    );
    expect(normalized.peopleCount.unitCode).toBe("IE");
    expect(normalized.peopleCount.observedAt).toMatch(/^\d{4}-\d{2}-\d{2}T/);
  });

  it("keeps duplicates once and a late reading out of the current value", async () => {
    const client = await device();
    const twoMinutesAgo = new Date(Date.now() - 120_000).toISOString();
    const fiveMinutesAgo = new Date(Date.now() - 300_000).toISOString();
    const send = (peopleCount: number, observedAt: string) =>
      client.publishAsync(topic("urn:ngsi-ld:CrowdCounter:t2"), JSON.stringify({ peopleCount, observedAt }), {
        qos: 1,
      });
    await send(50, twoMinutesAgo);
    await send(50, twoMinutesAgo);
    await send(40, fiveMinutesAgo);
    expect((await current("urn:ngsi-ld:CrowdCounter:t2")).peopleCount).toBe(50);
    const history = json<{ peopleCount: { values: [number, string][] } }>(
      await api(
        "GET",
        "/ngsi-ld/v1/temporal/entities/urn:ngsi-ld:CrowdCounter:t2?attrs=peopleCount&options=temporalValues",
      ),
    );
    expect(history.peopleCount.values.map((v) => v[0])).toEqual([40, 50]);
    expect((await stats()).duplicates).toBeGreaterThanOrEqual(1);
  });

  it("counts malformed messages, unknown entities and clock skew without cutting the device off", async () => {
    const client = await device();
    const before = await stats();
    await client.publishAsync(topic(COUNTER), "not json", { qos: 1 });
    await client.publishAsync(topic(COUNTER), JSON.stringify({ peopleCount: { value: [1, 2] } }), { qos: 1 });
    await client.publishAsync(topic("urn:ngsi-ld:CrowdCounter:nobody"), JSON.stringify({ peopleCount: 3 }), {
      qos: 1,
    });
    await client.publishAsync(
      topic(COUNTER),
      JSON.stringify({ peopleCount: 9, observedAt: new Date(Date.now() + 3_600_000).toISOString() }),
      { qos: 1 },
    );
    await client.publishAsync("elsewhere/topic", "x", { qos: 1 });
    const after = await stats();
    expect(after.malformed - before.malformed).toBe(3);
    expect(after.unknownEntity - before.unknownEntity).toBe(1);
    expect(after.clockSkew - before.clockSkew).toBe(1);
    expect(client.connected).toBe(true);
    await client.publishAsync(topic(COUNTER), JSON.stringify({ peopleCount: 121 }), { qos: 1 });
    expect((await current(COUNTER)).peopleCount).toBe(121);
    const stored = await rawQuery<{ n: number }>(
      t.platform.db,
      "select count(*)::int as n from operations.readings where entity_id = 'urn:ngsi-ld:CrowdCounter:nobody'",
      [],
    );
    expect(stored[0]?.n).toBe(0);
  });

  it("refuses unknown devices and staff who may not change the twin; admits a dispatcher's token", async () => {
    await expect(connect(`mqtt://127.0.0.1:${mqttPort}`, "gw1", "wrong-secret-000000")).rejects.toThrow();
    await expect(
      connect(`mqtt://127.0.0.1:${mqttPort}`, "bearer", await gridworker.token(t.app)),
    ).rejects.toThrow();
    const staff = await connect(`mqtt://127.0.0.1:${mqttPort}`, "bearer", token);
    await staff.publishAsync(topic(COUNTER), JSON.stringify({ peopleCount: 130 }), { qos: 1 });
    expect((await current(COUNTER)).peopleCount).toBe(130);
  });

  it("takes MQTT over WebSocket at /mqtt on the HTTP port", async () => {
    const ws = await connect(`ws://127.0.0.1:${httpPort}/mqtt`, "gw1", SECRET);
    await ws.publishAsync(topic(COUNTER), JSON.stringify({ peopleCount: 140 }), { qos: 1 });
    expect((await current(COUNTER)).peopleCount).toBe(140);
  });

  it("also takes readings through the NGSI-LD API's partial attribute update", async () => {
    const res = await api("PATCH", `/ngsi-ld/v1/entities/${COUNTER}/attrs/peopleCount`, {
      value: 150,
      observedAt: new Date().toISOString(),
    });
    expect(res.statusCode, res.body).toBe(204);
    const history = json<{ peopleCount: { values: [number, string][] } }>(
      await api(
        "GET",
        `/ngsi-ld/v1/temporal/entities/${COUNTER}?attrs=peopleCount&options=temporalValues&lastN=1`,
      ),
    );
    expect(history.peopleCount.values.map((v) => v[0])).toEqual([150]);
  });
});

describe("temporal API", () => {
  const W = "urn:ngsi-ld:WeatherObserved:t1";
  const base = Date.parse("2026-11-29T08:00:00Z");
  beforeAll(async () => {
    const client = await device();
    // Twelve readings five minutes apart: 08:00 … 08:55, temperatures 10 … 21.
    for (let i = 0; i < 12; i++) {
      await client.publishAsync(
        topic(W),
        JSON.stringify({
          temperature: {
            value: 10 + i,
            observedAt: new Date(base + i * 300_000).toISOString(),
            unitCode: "CEL",
          },
        }),
        { qos: 1 },
      );
    }
  });
  const get = (query: string) => api("GET", `/ngsi-ld/v1/temporal/entities/${W}?attrs=temperature&${query}`);

  it("answers instances, temporalValues and lastN within a time range", async () => {
    const between = json<{ temperature: { value: number; observedAt: string; unitCode: string }[] }>(
      await get("timerel=between&timeAt=2026-11-29T08:10:00Z&endTimeAt=2026-11-29T08:25:00Z"),
    );
    expect(between.temperature.map((i) => i.value)).toEqual([12, 13, 14]);
    expect(between.temperature[0]).toMatchObject({
      type: "Property",
      observedAt: "2026-11-29T08:10:00.000Z",
      unitCode: "CEL",
    });
    const last = json<{ temperature: { values: [number, string][] } }>(
      await get("timerel=before&timeAt=2026-11-29T09:00:00Z&lastN=2&options=temporalValues"),
    );
    expect(last.temperature.values).toEqual([
      [20, "2026-11-29T08:50:00.000Z"],
      [21, "2026-11-29T08:55:00.000Z"],
    ]);
  });

  it("aggregates per period from the roll-ups and from the readings", async () => {
    const hourly = json<{ temperature: Record<string, [number, string, string][]> }>(
      await get(
        "timerel=after&timeAt=2026-11-29T08:00:00Z&options=aggregatedValues&aggrMethods=avg,min,max,totalCount&aggrPeriodDuration=PT30M",
      ),
    );
    expect(hourly.temperature.avg).toEqual([
      [12.5, "2026-11-29T08:00:00.000Z", "2026-11-29T08:30:00.000Z"],
      [18.5, "2026-11-29T08:30:00.000Z", "2026-11-29T09:00:00.000Z"],
    ]);
    expect(hourly.temperature.min?.map((p) => p[0])).toEqual([10, 16]);
    expect(hourly.temperature.max?.map((p) => p[0])).toEqual([15, 21]);
    expect(hourly.temperature.totalCount?.map((p) => p[0])).toEqual([6, 6]);
    const byHour = json<{ temperature: Record<string, [number, string, string][]> }>(
      await get(
        "timerel=after&timeAt=2026-11-29T08:00:00Z&options=aggregatedValues&aggrMethods=sum&aggrPeriodDuration=PT1H",
      ),
    );
    expect(byHour.temperature.sum).toEqual([[186, "2026-11-29T08:00:00.000Z", "2026-11-29T09:00:00.000Z"]]);
    const seconds = json<{ temperature: Record<string, [number, string, string][]> }>(
      await get(
        "timerel=between&timeAt=2026-11-29T08:00:00Z&endTimeAt=2026-11-29T08:10:00Z&options=aggregatedValues&aggrMethods=max&aggrPeriodDuration=PT450S",
      ),
    );
    expect(seconds.temperature.max?.map((p) => p[0])).toEqual([11]);
  });

  it("queries the histories of a type and refuses bad ranges", async () => {
    const res = await api(
      "GET",
      "/ngsi-ld/v1/temporal/entities?type=WeatherObserved&attrs=temperature&timerel=after&timeAt=2026-11-29T08:50:00Z&options=temporalValues",
    );
    expect(res.statusCode, res.body).toBe(200);
    expect(
      json<{ id: string; temperature: { values: unknown[] } }[]>(res).map((e) => [
        e.id,
        e.temperature.values.length,
      ]),
    ).toEqual([[W, 2]]);
    for (const query of [
      "timerel=during&timeAt=2026-11-29T08:00:00Z",
      "timerel=after",
      "timerel=between&timeAt=2026-11-29T09:00:00Z&endTimeAt=2026-11-29T08:00:00Z",
      "options=aggregatedValues&aggrPeriodDuration=PT1H",
      "options=aggregatedValues&aggrMethods=median",
      "options=aggregatedValues&aggrMethods=avg&aggrPeriodDuration=1h",
    ]) {
      const bad = await get(query);
      expect(bad.statusCode, query).toBe(400);
      expect(json(bad).type).toBe("https://uri.etsi.org/ngsi-ld/errors/BadRequestData");
    }
    expect((await api("GET", "/ngsi-ld/v1/temporal/entities/urn:ngsi-ld:X:none")).statusCode).toBe(404);
  });
});

describe("time-series upkeep", () => {
  it("makes day partitions ahead and drops those past retention", async () => {
    const now = new Date("2030-01-10T12:00:00Z");
    const first = await maintainTelemetry(t.platform.db, now, 7);
    expect(first.created).toEqual(["readings_20300110", "readings_20300111", "readings_20300112"]);
    const later = await maintainTelemetry(t.platform.db, new Date("2030-01-25T00:00:00Z"), 7);
    expect(later.dropped).toEqual(
      expect.arrayContaining(["readings_20300110", "readings_20300111", "readings_20300112"]),
    );
  });
});

describe("external broker (MQTT_URL)", () => {
  let standalone: { broker: Aedes; server: Server } | null = null;
  let external: TestApp;
  let url: string;
  beforeAll(async () => {
    // The machine's Mosquitto in CI; otherwise a broker of the test's own.
    if (process.env.MQTT_URL) url = process.env.MQTT_URL;
    else {
      const broker = await Aedes.createBroker();
      const server = createServer(broker.handle);
      const port = await freePort();
      await new Promise<void>((resolve) => server.listen(port, "127.0.0.1", () => resolve()));
      standalone = { broker, server };
      url = `mqtt://127.0.0.1:${port}`;
    }
    external = await startTestApp({ env: { MQTT_URL: url, MQTT_CLIENT_ID: `fourfold-test-${process.pid}` } });
    const admin = await buildUser(external.platform, { roles: ["admin"] });
    const adminToken = await admin.token(external.app);
    const res = await external.app.inject({
      method: "POST",
      url: "/ngsi-ld/v1/entities",
      headers: { authorization: `Bearer ${adminToken}`, "content-type": "application/json" },
      payload: JSON.stringify({
        id: "urn:ngsi-ld:WaterLevelObserved:ext1",
        type: "WaterLevelObserved",
        waterLevel: 5,
      }),
    });
    expect(res.statusCode).toBe(201);
  });
  afterAll(async () => {
    await external.close();
    if (standalone) {
      standalone.server.close();
      await new Promise<void>((resolve) => standalone!.broker.close(() => resolve()));
    }
  });

  it("stores what devices publish to the external broker", async () => {
    const status = await eventually(async () => {
      const s = json<{ broker: string }>(
        await external.app.inject({
          method: "GET",
          url: "/api/operations/telemetry",
          headers: {
            authorization: `Bearer ${await (await buildUser(external.platform, { roles: ["dispatcher"] })).token(external.app)}`,
          },
        }),
      );
      return s.broker === "external" ? s : undefined;
    });
    expect(status.broker).toBe("external");
    const publisher = await mqtt.connectAsync(url, { reconnectPeriod: 0 });
    clients.push(publisher);
    const readingAt = new Date().toISOString();
    // The platform subscribes asynchronously after connecting: publish until the reading is stored.
    await eventually(async () => {
      await publisher.publishAsync(
        topic("urn:ngsi-ld:WaterLevelObserved:ext1"),
        JSON.stringify({ waterLevel: 5.7, observedAt: readingAt }),
        { qos: 1 },
      );
      const rows = await rawQuery<{ value: number }>(
        external.platform.db,
        "select value from operations.readings where entity_id = 'urn:ngsi-ld:WaterLevelObserved:ext1'",
        [],
      );
      return rows.length === 1 ? rows : undefined;
    });
  });
});
