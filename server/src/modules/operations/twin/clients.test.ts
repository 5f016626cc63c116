/**
 * Devices and systems calling the twin with their own credentials: an administrator registers them;
 * a device reads and updates only its entities (NGSI-LD over HTTP Basic, MQTT), a system reads the
 * twin and writes only when allowed; disabling or a new secret shuts the old credentials out; every
 * refusal and every change is in the audit trail under the client's name.
 */
import mqtt, { type MqttClient } from "mqtt";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildUser } from "../../../../test/factories";
import { eventually, json, startTestApp, type TestApp } from "../../../../test/harness";
import { freePort } from "../../../../test/process";
import { rawQuery } from "../../../kernel/db/db";

const MINE = "urn:ngsi-ld:CrowdCounter:c1";
const OTHER = "urn:ngsi-ld:CrowdCounter:c2";
const topic = (id: string) => `fourfold/twin/${id}/attrs`;

interface Registered {
  id: string;
  secret: string;
  kind: string;
  entityIds: string[];
  mayWrite: boolean;
}

let t: TestApp;
let admin: string;
let adminId: string;
let dispatcher: string;
let mqttPort: number;
const connections: MqttClient[] = [];

const call = (
  method: "GET" | "POST" | "PATCH" | "DELETE",
  url: string,
  authorization: string,
  body?: unknown,
) =>
  t.app.inject({
    method,
    url,
    headers: { authorization, ...(body ? { "content-type": "application/json" } : {}) },
    ...(body ? { payload: JSON.stringify(body) } : {}),
  });
const basic = (c: { id: string; secret: string }) =>
  `Basic ${Buffer.from(`${c.id}:${c.secret}`).toString("base64")}`;
const register = async (body: unknown) => {
  const res = await call("POST", "/api/operations/twin-clients", admin, body);
  expect(res.statusCode, res.body).toBe(201);
  return json<Registered>(res);
};
const count = async (id: string, who: string) =>
  json<{ peopleCount: number }>(await call("GET", `/ngsi-ld/v1/entities/${id}?options=keyValues`, who))
    .peopleCount;
const setCount = (id: string, who: string, value: number) =>
  call("PATCH", `/ngsi-ld/v1/entities/${id}/attrs/peopleCount`, who, { value });
const audit = (actorId: string, action: string) =>
  rawQuery<{ actor_name: string; outcome: string; details: Record<string, unknown> | null }>(
    t.platform.db,
    "select actor_name, outcome, details from audit.records where actor_id = $1 and action = $2 order by id",
    [actorId, action],
  );

beforeAll(async () => {
  mqttPort = await freePort();
  t = await startTestApp({ env: { MQTT_PORT: String(mqttPort), TELEMETRY_SIMULATOR: "false" } });
  await t.app.listen({ port: 0, host: "127.0.0.1" });
  const administrator = await buildUser(t.platform, { roles: ["admin"] });
  adminId = administrator.id;
  admin = `Bearer ${await administrator.token(t.app)}`;
  dispatcher = `Bearer ${await (await buildUser(t.platform, { roles: ["dispatcher"] })).token(t.app)}`;
  for (const id of [MINE, OTHER]) {
    const res = await call("POST", "/ngsi-ld/v1/entities", admin, {
      id,
      type: "CrowdCounter",
      peopleCount: { type: "Property", value: 0 },
    });
    expect(res.statusCode, res.body).toBe(201);
  }
});
afterAll(async () => {
  for (const c of connections) await c.endAsync(true).catch(() => undefined);
  await t.close();
});

describe("registering devices and systems", () => {
  it("lets administrators register, shows the secret once and checks what is bound", async () => {
    const device = await register({ name: "客流网关1", kind: "device", entityIds: [MINE] });
    expect(device).toMatchObject({ kind: "device", entityIds: [MINE], mayWrite: true });
    expect(device.secret).toMatch(/^fft_/);
    const listed = json<Record<string, unknown>[]>(
      await call("GET", "/api/operations/twin-clients", dispatcher),
    );
    const row = listed.find((c) => c.id === device.id);
    expect(row).toMatchObject({ name: "客流网关1", disabled: false });
    expect(row).not.toHaveProperty("secret");
    expect(JSON.stringify(listed)).not.toContain(device.secret);
    expect(await audit(adminId, "operations.twin-client.registered")).toContainEqual(
      expect.objectContaining({
        details: { name: "客流网关1", kind: "device", entities: 1, mayWrite: true },
      }),
    );

    const refusals: [unknown, string][] = [
      [{ name: "无实体", kind: "device", entityIds: [] }, "/body/entityIds"],
      [
        { name: "未知", kind: "device", entityIds: [MINE, "urn:ngsi-ld:CrowdCounter:none"] },
        "/body/entityIds/1",
      ],
      [{ name: "系统", kind: "system", entityIds: [MINE] }, "/body/entityIds"],
      [{ name: "只读设备", kind: "device", entityIds: [MINE], mayWrite: false }, "/body/mayWrite"],
      [{ name: "x", kind: "robot" }, "/body/kind"],
    ];
    for (const [body, field] of refusals) {
      const res = await call("POST", "/api/operations/twin-clients", admin, body);
      expect(res.statusCode, JSON.stringify(body)).toBe(400);
      expect(JSON.stringify(json(res))).toContain(field);
    }
    const byDispatcher = await call("POST", "/api/operations/twin-clients", dispatcher, {
      name: "调度员注册",
      kind: "system",
    });
    expect(byDispatcher.statusCode).toBe(403);
  });
});

describe("a device over NGSI-LD (HTTP Basic)", () => {
  it("reads and updates its own entities only, audited under its name", async () => {
    const device = await register({ name: "客流网关2", kind: "device", entityIds: [MINE] });
    const auth = basic(device);
    expect((await setCount(MINE, auth, 42)).statusCode).toBe(204);
    expect(await count(MINE, admin)).toBe(42);
    const appended = await call("POST", `/ngsi-ld/v1/entities/${MINE}/attrs`, auth, {
      battery: { type: "Property", value: 87 },
    });
    expect(appended.statusCode, appended.body).toBe(204);
    expect(await count(MINE, auth)).toBe(42);

    const refused = await setCount(OTHER, auth, 7);
    expect(refused.statusCode).toBe(403);
    expect(json<{ detail: string }>(refused).detail).toContain("客流网关2");
    expect(await count(OTHER, admin)).toBe(0);
    expect((await call("GET", `/ngsi-ld/v1/entities/${OTHER}`, auth)).statusCode).toBe(403);
    expect((await call("GET", "/ngsi-ld/v1/types", auth)).statusCode).toBe(403);
    // A query returns its own entities whatever it asks for.
    const found = json<{ id: string }[]>(await call("GET", "/ngsi-ld/v1/entities?type=CrowdCounter", auth));
    expect(found.map((e) => e.id)).toEqual([MINE]);
    const history = await call(
      "GET",
      `/ngsi-ld/v1/temporal/entities/${OTHER}?attrs=peopleCount&lastN=1`,
      auth,
    );
    expect(history.statusCode).toBe(403);
    // Creating and deleting stay with the staff.
    expect((await call("DELETE", `/ngsi-ld/v1/entities/${MINE}`, auth)).statusCode).toBe(401);
    expect(
      (await call("POST", "/ngsi-ld/v1/entities", auth, { id: "urn:ngsi-ld:X:1", type: "X" })).statusCode,
    ).toBe(401);

    const updates = await eventually(async () => {
      const rows = await audit(device.id, "operations.entity.updated");
      return rows.length > 0 && rows;
    });
    expect(updates[0]!.actor_name).toBe("客流网关2");
    const denied = await audit(device.id, "access.denied");
    expect(denied.map((r) => r.outcome)).toContain("denied");
  });

  it("refuses a wrong secret, a disabled client and an old secret at once", async () => {
    const device = await register({ name: "客流网关3", kind: "device", entityIds: [MINE] });
    expect((await setCount(MINE, basic({ ...device, secret: "fft_wrong" }), 1)).statusCode).toBe(401);
    expect((await setCount(MINE, "Basic bm90LWEtcGFpcg==", 1)).statusCode).toBe(401);

    const rotated = await call("POST", `/api/operations/twin-clients/${device.id}/secret`, admin);
    expect(rotated.statusCode, rotated.body).toBe(200);
    const fresh = json<Registered>(rotated);
    expect(fresh.secret).not.toBe(device.secret);
    expect((await setCount(MINE, basic(device), 2)).statusCode).toBe(401);
    expect((await setCount(MINE, basic(fresh), 3)).statusCode).toBe(204);

    const disabled = await call("PATCH", `/api/operations/twin-clients/${device.id}`, admin, {
      disabled: true,
    });
    expect(json(disabled)).toMatchObject({ disabled: true });
    expect((await setCount(MINE, basic(fresh), 4)).statusCode).toBe(401);
    expect(await count(MINE, admin)).toBe(3);
    await call("PATCH", `/api/operations/twin-clients/${device.id}`, admin, {
      disabled: false,
      entityIds: [OTHER],
    });
    expect((await setCount(OTHER, basic(fresh), 5)).statusCode).toBe(204);
    expect((await setCount(MINE, basic(fresh), 6)).statusCode).toBe(403);
  });
});

describe("a system over NGSI-LD", () => {
  it("reads the whole twin and writes only when allowed", async () => {
    const system = await register({ name: "城市大屏", kind: "system" });
    const auth = basic(system);
    const all = json<{ id: string }[]>(await call("GET", "/ngsi-ld/v1/entities?type=CrowdCounter", auth));
    expect(all.map((e) => e.id).sort()).toEqual([MINE, OTHER]);
    expect((await call("GET", "/ngsi-ld/v1/types", auth)).statusCode).toBe(200);
    const refused = await setCount(OTHER, auth, 9);
    expect(refused.statusCode).toBe(403);
    expect(json<{ detail: string }>(refused).detail).toContain("may read the twin but not change it");

    await call("PATCH", `/api/operations/twin-clients/${system.id}`, admin, { mayWrite: true });
    expect((await setCount(OTHER, auth, 9)).statusCode).toBe(204);
    expect(await count(OTHER, admin)).toBe(9);
    // Subscriptions stay with the staff.
    const subscribe = await call("POST", "/ngsi-ld/v1/subscriptions", auth, {
      type: "Subscription",
      entities: [{ type: "CrowdCounter" }],
      notification: { endpoint: { uri: "http://127.0.0.1:9/notify" } },
    });
    expect(subscribe.statusCode).toBe(401);
  });
});

describe("a device over MQTT", () => {
  const connect = async (username: string, password: string) => {
    const client = await mqtt.connectAsync(`mqtt://127.0.0.1:${mqttPort}`, {
      username,
      password,
      reconnectPeriod: 0,
      connectTimeout: 5000,
    });
    connections.push(client);
    return client;
  };

  it("publishes for its own entities; others are refused, counted and not forwarded", async () => {
    const device = await register({ name: "客流网关4", kind: "device", entityIds: [MINE] });
    const watcher = await connect(device.id, device.secret);
    const seen: string[] = [];
    watcher.on("message", (topicName, payload) => seen.push(`${topicName} ${payload.toString()}`));
    await watcher.subscribeAsync("fourfold/#", { qos: 0 });

    const before = json<{ refused: number }>(await call("GET", "/api/operations/telemetry", admin)).refused;
    const publisher = await connect(device.id, device.secret);
    await publisher.publishAsync(topic(MINE), JSON.stringify({ peopleCount: 314 }), { qos: 1 });
    expect(await count(MINE, admin)).toBe(314);
    await publisher.publishAsync(topic(OTHER), JSON.stringify({ peopleCount: 666 }), { qos: 1 });
    expect(await count(OTHER, admin)).not.toBe(666);
    const after = json<{ refused: number; lastProblem: string }>(
      await call("GET", "/api/operations/telemetry", admin),
    );
    expect(after.refused - before).toBe(1);
    expect(after.lastProblem).toContain("客流网关4");
    await eventually(async () => seen.some((m) => m.includes("314")));
    expect(seen.some((m) => m.includes("666"))).toBe(false);

    await expect(connect(device.id, "fft_wrong")).rejects.toThrow();
    // Disabled while connected: its next publish closes the connection, nothing is stored.
    await call("PATCH", `/api/operations/twin-clients/${device.id}`, admin, { disabled: true });
    const closed = new Promise<void>((resolve) => publisher.once("close", () => resolve()));
    publisher.publish(topic(MINE), JSON.stringify({ peopleCount: 999 }), { qos: 1 });
    await closed;
    expect(await count(MINE, admin)).toBe(314);
  });
});
