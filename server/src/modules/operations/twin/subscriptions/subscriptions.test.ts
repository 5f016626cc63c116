/**
 * NGSI-LD subscriptions and notifications through the real API: entity changes made over HTTP reach
 * a real HTTP receiver (node:http on a free port) as Notifications. Only the clock is ours to move
 * (expiry); throttling runs on real time.
 */
import { createServer, type IncomingHttpHeaders, type Server } from "node:http";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildUser, type TestUser } from "../../../../../test/factories";
import { eventually, json, ManualClock, startTestApp, type TestApp } from "../../../../../test/harness";
import { freePort } from "../../../../../test/process";
import { rawQuery } from "../../../../kernel/db/db";

const CORE = "https://uri.etsi.org/ngsi-ld/v1/ngsi-ld-core-context-v1.8.jsonld";
const LINK = `<${CORE}>; rel="http://www.w3.org/ns/json-ld#context"; type="application/ld+json"`;
const ERR = "https://uri.etsi.org/ngsi-ld/errors/";
const BASE = "/ngsi-ld/v1";

interface Notification {
  id: string;
  type: string;
  subscriptionId: string;
  notifiedAt: string;
  data: Record<string, unknown>[];
  "@context"?: unknown;
}
interface Received {
  path: string;
  headers: IncomingHttpHeaders;
  body: Notification;
}

let t: TestApp;
const clock = new ManualClock();
let dispatcher: TestUser;
let gridworker: TestUser;
let citizen: TestUser;
const tokens = new Map<TestUser, string>();
let server: Server;
let receiverUrl: string;
const received: Received[] = [];

/** The receiver answers 500 on paths under /fail and 204 elsewhere. */
async function startReceiver(): Promise<void> {
  const port = await freePort();
  server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      received.push({
        path: req.url ?? "",
        headers: req.headers,
        body: JSON.parse(Buffer.concat(chunks).toString("utf8")),
      });
      res.statusCode = req.url?.startsWith("/fail") ? 500 : 204;
      res.end();
    });
  });
  await new Promise<void>((resolve) => server.listen(port, "127.0.0.1", resolve));
  receiverUrl = `http://127.0.0.1:${port}`;
}

const at = (path: string) => received.filter((r) => r.path === path);
const ids = (r: Received) => r.body.data.map((e) => e.id);
/** Waits until the receiver holds a notification at `path` that satisfies `check`; returns them all. */
const waitFor = (path: string, check: (all: Received[]) => boolean) =>
  eventually(async () => {
    const all = at(path);
    return check(all) ? all : false;
  });
const seen = (entityId: string) => (all: Received[]) => all.some((r) => ids(r).includes(entityId));

type Body = Record<string, unknown> | string;
async function call(
  method: "GET" | "POST" | "PATCH" | "DELETE",
  url: string,
  options: { body?: Body; user?: TestUser | null; type?: string; headers?: Record<string, string> } = {},
) {
  const user = options.user === undefined ? dispatcher : options.user;
  const headers: Record<string, string> = { ...(options.headers ?? {}) };
  if (user) headers.authorization = `Bearer ${tokens.get(user)}`;
  if (options.body !== undefined) headers["content-type"] = options.type ?? "application/json";
  return t.app.inject({
    method,
    url: `${BASE}${url}`,
    headers,
    ...(options.body !== undefined
      ? { payload: typeof options.body === "string" ? options.body : JSON.stringify(options.body) }
      : {}),
  });
}

/** Creates a subscription to `path` of the receiver and returns its id. */
async function subscribe(path: string, members: Record<string, unknown>): Promise<string> {
  const { notification, ...rest } = members as { notification?: Record<string, unknown> };
  const res = await call("POST", "/subscriptions", {
    body: {
      type: "Subscription",
      ...rest,
      notification: { ...(notification ?? {}), endpoint: { uri: `${receiverUrl}${path}` } },
    },
  });
  expect(res.statusCode, res.body).toBe(201);
  return decodeURIComponent(String(res.headers.location).split("/").pop()!);
}

const subscription = async (id: string) =>
  json<Record<string, unknown> & { notification: Record<string, unknown> }>(
    await call("GET", `/subscriptions/${encodeURIComponent(id)}`),
  );
const entityUrl = (id: string) => `/entities/${encodeURIComponent(id)}`;
async function createEntity(body: Record<string, unknown>) {
  const res = await call("POST", "/entities", { body });
  expect(res.statusCode, res.body).toBe(201);
}
async function setValue(id: string, attr: string, value: unknown) {
  const res = await call("PATCH", `${entityUrl(id)}/attrs/${attr}`, { body: { value } });
  expect(res.statusCode, res.body).toBe(204);
}

beforeAll(async () => {
  t = await startTestApp({ clock });
  dispatcher = await buildUser(t.platform, { roles: ["dispatcher"] });
  gridworker = await buildUser(t.platform, { roles: ["gridworker"] });
  citizen = await buildUser(t.platform, { roles: ["citizen"] });
  for (const u of [dispatcher, gridworker, citizen]) tokens.set(u, await u.token(t.app));
  await startReceiver();
  // The outbox relay (and, with NATS_URL, the JetStream consumers) carry entity changes to the feed.
  await t.platform.events.start();
}, 60_000);
afterAll(async () => {
  await t?.close();
  await new Promise((resolve) => server?.close(resolve));
});

describe("notifications", () => {
  it("notifies created and updated entities in normalized form, with the Link header, and counts them", async () => {
    const res = await call("POST", "/subscriptions", {
      body: {
        type: "Subscription",
        entities: [{ type: "Streetlamp" }],
        notification: { endpoint: { uri: `${receiverUrl}/lamps` } },
      },
    });
    expect(res.statusCode, res.body).toBe(201);
    expect(res.headers.location).toMatch(
      /^\/ngsi-ld\/v1\/subscriptions\/urn%3Angsi-ld%3ASubscription%3A[0-9a-f-]{36}$/,
    );
    const id = decodeURIComponent(String(res.headers.location).split("/").pop()!);
    const fresh = await call("GET", `/subscriptions/${encodeURIComponent(id)}`);
    expect(fresh.headers.link).toBe(LINK);
    expect(json(fresh)).toEqual({
      id,
      type: "Subscription",
      entities: [{ type: "Streetlamp" }],
      isActive: true,
      notification: {
        format: "normalized",
        endpoint: { uri: `${receiverUrl}/lamps`, accept: "application/json" },
        status: "ok",
        timesSent: 0,
        timesFailed: 0,
      },
      status: "active",
    });

    await createEntity({ id: "urn:ngsi-ld:Streetlamp:1", type: "Streetlamp", lux: 10 });
    const [first] = await waitFor("/lamps", (all) => all.length >= 1);
    expect(first!.headers["content-type"]).toBe("application/json");
    expect(first!.headers.link).toBe(LINK);
    expect(first!.body).toEqual({
      id: expect.stringMatching(/^urn:ngsi-ld:Notification:[0-9a-f-]{36}$/),
      type: "Notification",
      subscriptionId: id,
      notifiedAt: clock.now().toISOString(),
      data: [{ id: "urn:ngsi-ld:Streetlamp:1", type: "Streetlamp", lux: { type: "Property", value: 10 } }],
    });

    await setValue("urn:ngsi-ld:Streetlamp:1", "lux", 20);
    const all = await waitFor("/lamps", (n) => n.length >= 2);
    expect(all[1]!.body.data).toEqual([
      { id: "urn:ngsi-ld:Streetlamp:1", type: "Streetlamp", lux: { type: "Property", value: 20 } },
    ]);
    const counted = await eventually(async () => {
      const s = await subscription(id);
      return s.notification.timesSent === 2 ? s : false;
    });
    expect(counted.notification).toMatchObject({
      status: "ok",
      timesFailed: 0,
      lastNotification: clock.now().toISOString(),
      lastSuccess: clock.now().toISOString(),
    });
  });

  it("sends key-values as JSON-LD in the subscriber's @context, projected to notification.attributes", async () => {
    const context = [
      {
        fourfold: "https://fourfold.dev/twin#",
        Beacon: "fourfold:Beacon",
        battery: "fourfold:battery",
        rssi: "fourfold:rssi",
      },
      CORE,
    ];
    const res = await call("POST", "/subscriptions", {
      type: "application/ld+json",
      body: {
        "@context": context,
        type: "Subscription",
        entities: [{ type: "Beacon" }],
        notification: {
          format: "keyValues",
          attributes: ["battery"],
          endpoint: { uri: `${receiverUrl}/beacons`, accept: "application/ld+json" },
        },
      },
    });
    expect(res.statusCode, res.body).toBe(201);
    const id = decodeURIComponent(String(res.headers.location).split("/").pop()!);
    // Stored expanded: read in the core context, the terms come back as IRIs.
    const stored = await subscription(id);
    expect(stored.entities).toEqual([{ type: "https://fourfold.dev/twin#Beacon" }]);
    expect(stored.notification.attributes).toEqual(["https://fourfold.dev/twin#battery"]);

    const batch = await call("POST", "/entityOperations/create", {
      type: "application/ld+json",
      body: JSON.stringify(
        ["urn:ngsi-ld:Beacon:1", "urn:ngsi-ld:Beacon:2"].map((beaconId, i) => ({
          "@context": context,
          id: beaconId,
          type: "Beacon",
          battery: 80 + i,
          rssi: -60,
        })),
      ),
    });
    expect(batch.statusCode, batch.body).toBe(201);
    const all = await waitFor(
      "/beacons",
      (n) => seen("urn:ngsi-ld:Beacon:1")(n) && seen("urn:ngsi-ld:Beacon:2")(n),
    );
    // In process, both changes of the batch reach the feed before the delivery starts: one notification.
    if (!process.env.NATS_URL) expect(all).toHaveLength(1);
    for (const r of all) {
      expect(r.headers["content-type"]).toBe("application/ld+json");
      expect(r.headers.link).toBeUndefined();
      expect(r.body["@context"]).toEqual(context);
    }
    expect(all.flatMap((r) => r.body.data)).toEqual([
      { id: "urn:ngsi-ld:Beacon:1", type: "Beacon", battery: 80 },
      { id: "urn:ngsi-ld:Beacon:2", type: "Beacon", battery: 81 },
    ]);
  });

  it("notifies only changes of watched attributes, and only entities for which q holds", async () => {
    const watched = await subscribe("/meters-watched", {
      entities: [{ type: "Meter" }],
      watchedAttributes: ["reading"],
    });
    await subscribe("/meters-q", { entities: [{ type: "Meter" }], q: "reading>100" });
    await createEntity({ id: "urn:ngsi-ld:Meter:A", type: "Meter", reading: 5, label: "x" });
    await createEntity({ id: "urn:ngsi-ld:Meter:B", type: "Meter", reading: 5 });
    // Creation always counts, watched or not.
    await waitFor("/meters-watched", (n) => seen("urn:ngsi-ld:Meter:A")(n) && seen("urn:ngsi-ld:Meter:B")(n));
    const afterCreation = at("/meters-watched").length;

    await setValue("urn:ngsi-ld:Meter:A", "label", "y"); // not watched; q false
    await setValue("urn:ngsi-ld:Meter:B", "reading", 150); // watched; q true
    // Changes reach each subscription in order: a notification for A would come with or before B's.
    const byWatch = await waitFor("/meters-watched", (n) =>
      n.slice(afterCreation).some((r) => ids(r).includes("urn:ngsi-ld:Meter:B")),
    );
    expect(byWatch.slice(afterCreation).flatMap(ids)).toEqual(["urn:ngsi-ld:Meter:B"]);
    const byQ = await waitFor("/meters-q", seen("urn:ngsi-ld:Meter:B"));
    expect(byQ.flatMap((r) => r.body.data)).toEqual([
      { id: "urn:ngsi-ld:Meter:B", type: "Meter", reading: { type: "Property", value: 150 } },
    ]);
    expect((await subscription(watched)).watchedAttributes).toEqual(["reading"]);
  });

  it("selects entities by id and by idPattern", async () => {
    await subscribe("/pumps", {
      entities: [
        { idPattern: "^urn:ngsi-ld:Pump:north-\\d+$", type: "Pump" },
        { id: "urn:ngsi-ld:Pump:central", type: "Pump" },
      ],
    });
    for (const name of ["south-1", "north-x", "central", "north-1"])
      await createEntity({ id: `urn:ngsi-ld:Pump:${name}`, type: "Pump", flow: 1 });
    const all = await waitFor("/pumps", seen("urn:ngsi-ld:Pump:north-1"));
    expect(all.flatMap(ids)).toEqual(["urn:ngsi-ld:Pump:central", "urn:ngsi-ld:Pump:north-1"]);
  });

  it("notifies only entities for which geoQ holds", async () => {
    await subscribe("/kiosks", {
      entities: [{ type: "Kiosk" }],
      geoQ: { geometry: "Point", coordinates: [113.26, 23.13], georel: "near;maxDistance==1000" },
      notification: { format: "concise" },
    });
    await createEntity({
      id: "urn:ngsi-ld:Kiosk:far",
      type: "Kiosk",
      location: { type: "Point", coordinates: [113.5, 23.3] },
    });
    await createEntity({
      id: "urn:ngsi-ld:Kiosk:near",
      type: "Kiosk",
      location: { type: "Point", coordinates: [113.261, 23.131] },
    });
    const all = await waitFor("/kiosks", seen("urn:ngsi-ld:Kiosk:near"));
    expect(all.flatMap((r) => r.body.data)).toEqual([
      {
        id: "urn:ngsi-ld:Kiosk:near",
        type: "Kiosk",
        location: { type: "Point", coordinates: [113.261, 23.131] },
      },
    ]);
  });

  it("throttles: changes inside the window go out together, in their latest state, when it ends", async () => {
    const id = await subscribe("/counters", { entities: [{ type: "Counter" }], throttling: 3 });
    await subscribe("/counters-control", { entities: [{ type: "Counter" }] });
    expect((await subscription(id)).throttling).toBe(3);
    const countIs = (value: number) => (n: Received[]) =>
      n.some((r) => (r.body.data[0]!.count as { value: number }).value === value);
    await createEntity({ id: "urn:ngsi-ld:Counter:1", type: "Counter", count: 1 });
    await waitFor("/counters", (n) => n.length >= 1);
    await setValue("urn:ngsi-ld:Counter:1", "count", 2);
    // The unthrottled control got 2 on its own: without throttling, 2 would go out alone here too.
    await waitFor("/counters-control", countIs(2));
    await setValue("urn:ngsi-ld:Counter:1", "count", 3);
    const all = await waitFor("/counters", (n) => n.length >= 2);
    expect(all.map((r) => (r.body.data[0]!.count as { value: number }).value)).toEqual([1, 3]);
  });

  it("sends nothing while paused or after expiresAt, and resumes when renewed", async () => {
    const control = "/gauges-control";
    await subscribe(control, { entities: [{ type: "Gauge" }] });
    const id = await subscribe("/gauges", {
      entities: [{ type: "Gauge" }],
      expiresAt: new Date(clock.now().getTime() + 60_000).toISOString(),
    });
    await createEntity({ id: "urn:ngsi-ld:Gauge:1", type: "Gauge", level: 1 });
    await waitFor("/gauges", (n) => n.length === 1);

    clock.advance(120_000);
    expect((await subscription(id)).status).toBe("expired");
    await setValue("urn:ngsi-ld:Gauge:1", "level", 2);
    // The control subscription got the change: the notifier has passed it by.
    await waitFor(control, (n) => n.some((r) => (r.body.data[0]!.level as { value: number }).value === 2));
    const renew = await call("PATCH", `/subscriptions/${encodeURIComponent(id)}`, {
      body: { expiresAt: new Date(clock.now().getTime() + 3_600_000).toISOString(), isActive: false },
    });
    expect(renew.statusCode, renew.body).toBe(204);
    expect((await subscription(id)).status).toBe("paused");
    await setValue("urn:ngsi-ld:Gauge:1", "level", 3);
    await waitFor(control, (n) => n.some((r) => (r.body.data[0]!.level as { value: number }).value === 3));

    const resume = await call("PATCH", `/subscriptions/${encodeURIComponent(id)}`, {
      body: { isActive: true },
    });
    expect(resume.statusCode, resume.body).toBe(204);
    expect((await subscription(id)).status).toBe("active");
    await createEntity({ id: "urn:ngsi-ld:Gauge:2", type: "Gauge", level: 9 });
    const all = await waitFor("/gauges", seen("urn:ngsi-ld:Gauge:2"));
    expect(all.map(ids)).toEqual([["urn:ngsi-ld:Gauge:1"], ["urn:ngsi-ld:Gauge:2"]]);
  });

  it("counts failures of an endpoint that is down or answers 500, logs them masked, and serves the rest", async () => {
    const closedPort = await freePort();
    const down = await subscribe("/unused", { entities: [{ type: "Hydrant" }] });
    const patched = await call("PATCH", `/subscriptions/${encodeURIComponent(down)}`, {
      body: {
        notification: { endpoint: { uri: `http://127.0.0.1:${closedPort}/hook?token=s3cr3t-token` } },
      },
    });
    expect(patched.statusCode, patched.body).toBe(204);
    const failing = await subscribe("/fail/hydrants", { entities: [{ type: "Hydrant" }] });
    await subscribe("/hydrants", { entities: [{ type: "Hydrant" }] });

    await createEntity({ id: "urn:ngsi-ld:Hydrant:1", type: "Hydrant", pressure: 3 });
    await waitFor("/hydrants", seen("urn:ngsi-ld:Hydrant:1"));
    for (const id of [down, failing]) {
      const s = await eventually(async () => {
        const got = await subscription(id);
        return got.notification.timesFailed === 1 ? got : false;
      });
      expect(s.notification).toMatchObject({
        status: "failed",
        timesSent: 0,
        lastFailure: clock.now().toISOString(),
      });
    }
    expect(at("/fail/hydrants")).toHaveLength(1);
    const warnings = t.logs.filter((l) => l.includes('"level":40') && l.includes("not delivered"));
    expect(warnings.some((l) => l.includes(down) && l.includes("/hook?…"))).toBe(true);
    expect(warnings.some((l) => l.includes(failing) && l.includes("HTTP 500"))).toBe(true);
    expect(t.logs.some((l) => l.includes("s3cr3t-token"))).toBe(false);

    // The API and the other subscriptions go on.
    expect((await call("GET", entityUrl("urn:ngsi-ld:Hydrant:1"))).statusCode).toBe(200);
    await createEntity({ id: "urn:ngsi-ld:Hydrant:2", type: "Hydrant", pressure: 4 });
    await waitFor("/hydrants", seen("urn:ngsi-ld:Hydrant:2"));
  });
});

describe("the subscription API", () => {
  const endpoint = () => ({ endpoint: { uri: `${receiverUrl}/api` } });

  it("creates with a given id (409 the second time), lists with count, updates and deletes", async () => {
    const id = "urn:ngsi-ld:Subscription:mine";
    const body = { id, type: "Subscription", entities: [{ type: "Bench" }], notification: endpoint() };
    const created = await call("POST", "/subscriptions", { body });
    expect(created.statusCode, created.body).toBe(201);
    expect(created.headers.location).toBe(`${BASE}/subscriptions/${encodeURIComponent(id)}`);
    const again = await call("POST", "/subscriptions", { body });
    expect(again.statusCode).toBe(409);
    expect(json(again).type).toBe(`${ERR}AlreadyExists`);

    const all = await call("GET", "/subscriptions?count=true&limit=1000");
    const total = Number(all.headers["ngsild-results-count"]);
    expect(json<{ id: string }[]>(all).map((s) => s.id)).toContain(id);
    expect(json<unknown[]>(all)).toHaveLength(total);
    const page = await call("GET", "/subscriptions?count=true&limit=1&offset=1");
    expect(page.headers["ngsild-results-count"]).toBe(String(total));
    expect(json<unknown[]>(page)).toHaveLength(1);
    expect((await call("GET", "/subscriptions?limit=0")).statusCode).toBe(400);

    const update = await call("PATCH", `/subscriptions/${encodeURIComponent(id)}`, {
      body: {
        description: "长椅损坏监测",
        watchedAttributes: ["damaged"],
        notification: { format: "keyValues" },
      },
    });
    expect(update.statusCode, update.body).toBe(204);
    const updated = await subscription(id);
    expect(updated).toMatchObject({
      description: "长椅损坏监测",
      entities: [{ type: "Bench" }],
      watchedAttributes: ["damaged"],
      notification: { format: "keyValues", endpoint: { uri: `${receiverUrl}/api` } },
    });
    const sys = json(await call("GET", `/subscriptions/${encodeURIComponent(id)}?options=sysAttrs`));
    expect(sys.modifiedAt).toBe(clock.now().toISOString());

    expect((await call("DELETE", `/subscriptions/${encodeURIComponent(id)}`)).statusCode).toBe(204);
    const gone = await call("GET", `/subscriptions/${encodeURIComponent(id)}`);
    expect(gone.statusCode).toBe(404);
    expect(json(gone).type).toBe(`${ERR}ResourceNotFound`);
    expect((await call("DELETE", `/subscriptions/${encodeURIComponent(id)}`)).statusCode).toBe(404);
    expect(
      (await call("PATCH", `/subscriptions/${encodeURIComponent(id)}`, { body: { isActive: false } }))
        .statusCode,
    ).toBe(404);
  });

  it("honours Idempotency-Key: a retry answers with the same Location and creates nothing more", async () => {
    const body = { type: "Subscription", entities: [{ type: "Fountain" }], notification: endpoint() };
    const headers = { "idempotency-key": "sub-retry-1" };
    const first = await call("POST", "/subscriptions", { body, headers });
    const second = await call("POST", "/subscriptions", { body, headers });
    expect(first.statusCode, first.body).toBe(201);
    expect(second.statusCode).toBe(201);
    expect(second.headers["idempotent-replayed"]).toBe("true");
    expect(second.headers.location).toBe(first.headers.location);
    const list = json<{ entities?: { type: string }[] }[]>(await call("GET", "/subscriptions?limit=1000"));
    expect(list.filter((s) => s.entities?.[0]?.type === "Fountain")).toHaveLength(1);
  });

  it("answers invalid subscriptions with NGSI-LD ProblemDetails and stores nothing", async () => {
    const count = async () =>
      Number((await call("GET", "/subscriptions?count=true&limit=0")).headers["ngsild-results-count"]);
    const before = await count();
    const ok = { type: "Subscription", entities: [{ type: "Bin" }], notification: endpoint() };
    const cases: [Body, string, number][] = [
      ["{not json", "InvalidRequest", 400],
      [{ type: "Subscription", notification: endpoint() }, "BadRequestData", 400],
      [{ type: "Subscription", entities: [{ type: "Bin" }] }, "BadRequestData", 400],
      [{ ...ok, type: "Entity" }, "BadRequestData", 400],
      [{ ...ok, id: "not a uri" }, "BadRequestData", 400],
      [{ ...ok, notification: { endpoint: { uri: "ftp://example.org/in" } } }, "BadRequestData", 400],
      [{ ...ok, notification: { endpoint: { uri: "http://u:p@example.org/in" } } }, "BadRequestData", 400],
      // Cloud metadata and other link-local, unspecified or multicast addresses are no endpoints.
      ...[
        "http://169.254.169.254/latest/meta-data",
        "http://[fe80::1]/in",
        "http://0.0.0.0:8080/in",
        "http://[::ffff:169.254.169.254]/in",
        "http://224.0.0.1/in",
      ].map((uri): [Body, string, number] => [
        { ...ok, notification: { endpoint: { uri } } },
        "BadRequestData",
        400,
      ]),
      [
        { ...ok, notification: { endpoint: { uri: "http://example.org", accept: "text/plain" } } },
        "BadRequestData",
        400,
      ],
      [{ ...ok, notification: { ...endpoint(), format: "compact" } }, "BadRequestData", 400],
      [{ ...ok, entities: [{ id: "not a uri", type: "Bin" }] }, "BadRequestData", 400],
      [{ ...ok, entities: [{ idPattern: "(", type: "Bin" }] }, "BadRequestData", 400],
      [{ ...ok, entities: [{ id: "urn:ngsi-ld:Bin:1" }] }, "BadRequestData", 400],
      [{ ...ok, q: "fill>>" }, "BadRequestData", 400],
      [
        { ...ok, geoQ: { geometry: "Point", coordinates: [113.2, 23.1], georel: "near" } },
        "BadRequestData",
        400,
      ],
      [{ ...ok, expiresAt: "2020-01-01T00:00:00Z" }, "BadRequestData", 400],
      [{ ...ok, expiresAt: "tomorrow" }, "BadRequestData", 400],
      [{ ...ok, throttling: 1.5 }, "BadRequestData", 400],
      [{ ...ok, isActive: "yes" }, "BadRequestData", 400],
      [{ ...ok, colour: "red" }, "BadRequestData", 400],
      [{ ...ok, "@context": CORE }, "BadRequestData", 400],
      [{ ...ok, timeInterval: 60 }, "OperationNotSupported", 422],
      [{ ...ok, entities: [{ type: "Bin,Box" }] }, "OperationNotSupported", 422],
    ];
    for (const [body, type, status] of cases) {
      const res = await call("POST", "/subscriptions", { body });
      expect(res.statusCode, `${JSON.stringify(body)} → ${res.body}`).toBe(status);
      expect(json(res).type).toBe(`${ERR}${type}`);
    }
    const ld = await call("POST", "/subscriptions", { body: ok, type: "application/ld+json" });
    expect(json(ld).type).toBe(`${ERR}BadRequestData`);
    expect(await count()).toBe(before);

    const id = await subscribe("/api", { entities: [{ type: "Bin" }] });
    const url = `/subscriptions/${encodeURIComponent(id)}`;
    for (const body of [
      { isActive: "no" },
      { entities: null },
      { id: "urn:ngsi-ld:Subscription:other" },
      {},
    ]) {
      const res = await call("PATCH", url, { body });
      expect(res.statusCode, `${JSON.stringify(body)} → ${res.body}`).toBe(400);
      expect(json(res).type).toBe(`${ERR}BadRequestData`);
    }
    expect((await subscription(id)).entities).toEqual([{ type: "Bin" }]);
  });

  it("lets operations staff read, only the command centre change, and nobody else in", async () => {
    const body = { type: "Subscription", entities: [{ type: "Tree" }], notification: endpoint() };
    expect((await call("POST", "/subscriptions", { body, user: gridworker })).statusCode).toBe(403);
    expect((await call("POST", "/subscriptions", { body, user: null })).statusCode).toBe(401);
    const id = await subscribe("/api", { entities: [{ type: "Tree" }] });
    const url = `/subscriptions/${encodeURIComponent(id)}`;
    expect((await call("GET", url, { user: gridworker })).statusCode).toBe(200);
    expect((await call("GET", "/subscriptions", { user: gridworker })).statusCode).toBe(200);
    expect((await call("GET", url, { user: citizen })).statusCode).toBe(403);
    expect((await call("GET", "/subscriptions", { user: citizen })).statusCode).toBe(403);
    expect((await call("PATCH", url, { body: { isActive: false }, user: gridworker })).statusCode).toBe(403);
    expect((await call("DELETE", url, { user: gridworker })).statusCode).toBe(403);
    expect((await subscription(id)).isActive).toBe(true);
  });

  it("audits every change, with the endpoint's query string left out", async () => {
    const id = await subscribe("/api?key=abc123", { entities: [{ type: "Toilet" }] });
    const url = `/subscriptions/${encodeURIComponent(id)}`;
    expect((await call("PATCH", url, { body: { isActive: false } })).statusCode).toBe(204);
    expect((await call("DELETE", url)).statusCode).toBe(204);
    const records = await rawQuery<{
      action: string;
      actor_id: string;
      details: Record<string, unknown> | null;
    }>(
      t.platform.db,
      "select action, actor_id, details from audit.records where resource_id = $1 order by id",
      [id],
    );
    expect(records.map((r) => r.action)).toEqual([
      "operations.subscription.created",
      "operations.subscription.updated",
      "operations.subscription.deleted",
    ]);
    expect(records.every((r) => r.actor_id === dispatcher.id)).toBe(true);
    expect(records[0]!.details).toMatchObject({ endpoint: `${receiverUrl}/api?…`, isActive: true });
    expect(records[1]!.details).toMatchObject({ members: ["isActive"], isActive: false });
    expect(JSON.stringify(records)).not.toContain("abc123");
  });
});
