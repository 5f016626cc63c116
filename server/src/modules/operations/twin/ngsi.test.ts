/**
 * NGSI-LD conformance: the payloads and requests of ETSI GS CIM 009's examples (the Vehicle,
 * OffStreetParking and Building entities of its annexes and clauses 5.6–5.7 and 4.9–4.10), run
 * against the real API over HTTP as an NGSI-LD client sends them.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildUser, type TestUser } from "../../../../test/factories";
import { json, startTestApp, type TestApp } from "../../../../test/harness";
import { rawQuery } from "../../../kernel/db/db";

const CORE = "https://uri.etsi.org/ngsi-ld/v1/ngsi-ld-core-context-v1.8.jsonld";
const LINK = `<${CORE}>; rel="http://www.w3.org/ns/json-ld#context"; type="application/ld+json"`;
const ERR = "https://uri.etsi.org/ngsi-ld/errors/";
const BASE = "/ngsi-ld/v1";

let t: TestApp;
let dispatcher: TestUser;
let gridworker: TestUser;
let citizen: TestUser;
const tokens = new Map<TestUser, string>();

/** The Vehicle of the specification's examples. */
const vehicle = (n: string, extra: Record<string, unknown> = {}) => ({
  id: `urn:ngsi-ld:Vehicle:${n}`,
  type: "Vehicle",
  brandName: { type: "Property", value: "Mercedes" },
  speed: { type: "Property", value: 55, observedAt: "2026-11-28T12:00:00Z", unitCode: "KMH" },
  isParked: {
    type: "Relationship",
    object: "urn:ngsi-ld:OffStreetParking:Downtown1",
    observedAt: "2026-11-28T12:00:00Z",
    providedBy: { type: "Relationship", object: "urn:ngsi-ld:Person:Bob" },
  },
  location: { type: "GeoProperty", value: { type: "Point", coordinates: [113.2644, 23.1291] } },
  ...extra,
});

type Body = Record<string, unknown> | unknown[] | string;
async function call(
  method: "GET" | "POST" | "PATCH" | "PUT" | "DELETE",
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
const create = (entity: Record<string, unknown>) => call("POST", "/entities", { body: entity });
const ids = (res: { body: string }) => json<{ id: string }[]>(res as never).map((e) => e.id);

beforeAll(async () => {
  t = await startTestApp();
  dispatcher = await buildUser(t.platform, { roles: ["dispatcher"] });
  gridworker = await buildUser(t.platform, { roles: ["gridworker"] });
  citizen = await buildUser(t.platform, { roles: ["citizen"] });
  for (const u of [dispatcher, gridworker, citizen]) tokens.set(u, await u.token(t.app));
});
afterAll(() => t.close());

describe("entities (§5.6.1, §5.7.1)", () => {
  it("creates the specification's Vehicle as JSON-LD and returns it as created", async () => {
    const res = await call("POST", "/entities", {
      body: { ...vehicle("A4567"), "@context": CORE },
      type: "application/ld+json",
    });
    expect(res.statusCode, res.body).toBe(201);
    expect(res.headers.location).toBe(`${BASE}/entities/${encodeURIComponent("urn:ngsi-ld:Vehicle:A4567")}`);

    const got = await call("GET", `/entities/${encodeURIComponent("urn:ngsi-ld:Vehicle:A4567")}`);
    expect(got.statusCode).toBe(200);
    expect(got.headers.link).toBe(LINK);
    // Date-times come back in UTC with milliseconds.
    expect(JSON.parse(got.body.replaceAll("12:00:00.000Z", "12:00:00Z"))).toEqual(vehicle("A4567"));

    const ld = await call("GET", "/entities/urn:ngsi-ld:Vehicle:A4567", {
      headers: { accept: "application/ld+json" },
    });
    expect(ld.headers["content-type"]).toContain("application/ld+json");
    expect(json(ld)["@context"]).toBe(CORE);
  });

  it("refuses a second entity with the same id (409 AlreadyExists) and unknown ids (404 ResourceNotFound)", async () => {
    await create(vehicle("B1"));
    const again = await create(vehicle("B1"));
    expect(again.statusCode).toBe(409);
    expect(json(again).type).toBe(`${ERR}AlreadyExists`);
    const missing = await call("GET", "/entities/urn:ngsi-ld:Vehicle:nope");
    expect(missing.statusCode).toBe(404);
    expect(json(missing).type).toBe(`${ERR}ResourceNotFound`);
  });

  it("renders key-values, concise and system attributes, and projects attrs", async () => {
    await create(vehicle("C1"));
    const kv = json(await call("GET", "/entities/urn:ngsi-ld:Vehicle:C1?options=keyValues"));
    expect(kv).toEqual({
      id: "urn:ngsi-ld:Vehicle:C1",
      type: "Vehicle",
      brandName: "Mercedes",
      speed: 55,
      isParked: "urn:ngsi-ld:OffStreetParking:Downtown1",
      location: { type: "Point", coordinates: [113.2644, 23.1291] },
    });
    const concise = json(
      await call("GET", "/entities/urn:ngsi-ld:Vehicle:C1?format=concise&attrs=brandName,speed"),
    );
    expect(concise).toEqual({
      id: "urn:ngsi-ld:Vehicle:C1",
      type: "Vehicle",
      brandName: "Mercedes",
      speed: { value: 55, observedAt: "2026-11-28T12:00:00.000Z", unitCode: "KMH" },
    });
    const sys = json<Record<string, { createdAt?: string }>>(
      await call("GET", "/entities/urn:ngsi-ld:Vehicle:C1?options=sysAttrs&attrs=speed"),
    );
    expect(sys.createdAt).toMatch(/^\d{4}-\d{2}-\d{2}T/);
    expect(sys.speed?.createdAt).toMatch(/^\d{4}-\d{2}-\d{2}T/);
  });

  it("accepts the concise form and infers each attribute's kind", async () => {
    const res = await create({
      id: "urn:ngsi-ld:Vehicle:concise1",
      type: "Vehicle",
      brandName: "BYD",
      speed: { value: 30, unitCode: "KMH" },
      isParked: { object: "urn:ngsi-ld:OffStreetParking:Downtown1" },
      location: { type: "Point", coordinates: [113.3, 23.1] },
    });
    expect(res.statusCode, res.body).toBe(201);
    const got = json<Record<string, { type: string }>>(
      await call("GET", "/entities/urn:ngsi-ld:Vehicle:concise1"),
    );
    expect(got.brandName?.type).toBe("Property");
    expect(got.isParked?.type).toBe("Relationship");
    expect(got.location?.type).toBe("GeoProperty");
  });

  it("deletes an entity", async () => {
    await create(vehicle("D1"));
    expect((await call("DELETE", "/entities/urn:ngsi-ld:Vehicle:D1")).statusCode).toBe(204);
    expect((await call("GET", "/entities/urn:ngsi-ld:Vehicle:D1")).statusCode).toBe(404);
    expect((await call("DELETE", "/entities/urn:ngsi-ld:Vehicle:D1")).statusCode).toBe(404);
  });
});

describe("attributes (§5.6.2–5.6.5, merge and replace)", () => {
  const E = "urn:ngsi-ld:Vehicle:attrs1";
  beforeAll(async () => {
    await create(vehicle("attrs1"));
  });

  it("appends attributes, keeping existing ones with noOverwrite (207)", async () => {
    const res = await call("POST", `/entities/${E}/attrs`, {
      body: { color: { type: "Property", value: "red" }, brandName: { type: "Property", value: "Audi" } },
    });
    expect(res.statusCode, res.body).toBe(204);
    const kept = await call("POST", `/entities/${E}/attrs?options=noOverwrite`, {
      body: { brandName: { type: "Property", value: "Volvo" }, doors: { type: "Property", value: 4 } },
    });
    expect(kept.statusCode).toBe(207);
    expect(json(kept)).toEqual({
      updated: ["doors"],
      notUpdated: [{ attributeName: "brandName", reason: "the attribute exists (noOverwrite)" }],
    });
    const got = json(await call("GET", `/entities/${E}?options=keyValues&attrs=brandName,color,doors`));
    expect(got).toMatchObject({ brandName: "Audi", color: "red", doors: 4 });
  });

  it("updates only the attributes that exist (207 names the others)", async () => {
    const res = await call("PATCH", `/entities/${E}/attrs`, {
      body: {
        speed: { type: "Property", value: 80, unitCode: "KMH" },
        wings: { type: "Property", value: 2 },
      },
    });
    expect(res.statusCode).toBe(207);
    expect(json(res)).toMatchObject({ updated: ["speed"], notUpdated: [{ attributeName: "wings" }] });
  });

  it("partially updates one attribute, keeping its other members and its kind", async () => {
    const res = await call("PATCH", `/entities/${E}/attrs/speed`, {
      body: { value: 12, observedAt: "2026-11-28T13:00:00Z" },
    });
    expect(res.statusCode, res.body).toBe(204);
    const got = json<{ speed: Record<string, unknown> }>(
      await call("GET", `/entities/${E}?attrs=speed&options=sysAttrs`),
    );
    expect(got.speed).toMatchObject({
      type: "Property",
      value: 12,
      unitCode: "KMH",
      observedAt: "2026-11-28T13:00:00.000Z",
    });
    expect(got.speed.createdAt).not.toBe(got.speed.modifiedAt);
    const kind = await call("PATCH", `/entities/${E}/attrs/speed`, {
      body: { type: "Relationship", object: "urn:x:y" },
    });
    expect(kind.statusCode).toBe(400);
    expect((await call("PATCH", `/entities/${E}/attrs/nothing`, { body: { value: 1 } })).statusCode).toBe(
      404,
    );
  });

  it("lands concurrent value updates of the same entities each once: value and observedAt together, audited, in the history", async () => {
    const cars = ["conc1", "conc2", "conc3"];
    for (const n of cars) expect((await create(vehicle(n))).statusCode).toBe(201);
    const sent = Array.from({ length: 30 }, (_, i) => ({
      car: cars[i % 3]!,
      value: 100 + i,
      observedAt: `2026-11-28T14:00:${String(i).padStart(2, "0")}.000Z`,
    }));
    const answers = await Promise.all(
      sent.map((s) =>
        call("PATCH", `/entities/urn:ngsi-ld:Vehicle:${s.car}/attrs/speed`, {
          body: { value: s.value, observedAt: s.observedAt },
        }),
      ),
    );
    expect(answers.map((a) => a.statusCode)).toEqual(sent.map(() => 204));
    for (const car of cars) {
      const id = `urn:ngsi-ld:Vehicle:${car}`;
      const { speed } = json<{ speed: { value: number; observedAt: string; unitCode: string } }>(
        await call("GET", `/entities/${id}?attrs=speed`),
      );
      // The last write wins whole: its value with its own observedAt, the other members kept.
      const mine = sent.filter((s) => s.car === car);
      expect(mine.find((s) => s.value === speed.value)?.observedAt).toBe(speed.observedAt);
      expect(speed.unitCode).toBe("KMH");
      const [audited] = await rawQuery<{ n: number }>(
        t.platform.db,
        "select count(*)::int as n from audit.records where resource_id = $1 and action = 'operations.entity.updated'",
        [id],
      );
      expect(audited?.n).toBe(10);
      const history = await rawQuery<{ value: number; at: string }>(
        t.platform.db,
        `select value, to_char(observed_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') as at
           from operations.readings where entity_id = $1 order by observed_at`,
        [id],
      );
      expect(history.map((h) => [h.value, h.at])).toEqual(mine.map((s) => [s.value, s.observedAt]));
    }
    // A value for a Relationship is not a value update: refused as the general path refuses it.
    const relationship = await call("PATCH", "/entities/urn:ngsi-ld:Vehicle:conc1/attrs/isParked", {
      body: { value: 5 },
    });
    expect(relationship.statusCode).toBe(400);
    expect(json(relationship).type).toBe(`${ERR}BadRequestData`);
  });

  it("deletes an attribute", async () => {
    expect((await call("DELETE", `/entities/${E}/attrs/color`)).statusCode).toBe(204);
    expect((await call("DELETE", `/entities/${E}/attrs/color`)).statusCode).toBe(404);
  });

  it("merges (urn:ngsi-ld:null removes) and replaces an entity", async () => {
    const merged = await call("PATCH", `/entities/${E}`, {
      body: { doors: "urn:ngsi-ld:null", seats: 5 },
      type: "application/merge-patch+json",
    });
    expect(merged.statusCode, merged.body).toBe(204);
    const after = json<Record<string, unknown>>(await call("GET", `/entities/${E}?options=keyValues`));
    expect(after.doors).toBeUndefined();
    expect(after.seats).toBe(5);
    const replaced = await call("PUT", `/entities/${E}`, { body: { type: "Vehicle", speed: 1 } });
    expect(replaced.statusCode, replaced.body).toBe(204);
    expect(json(await call("GET", `/entities/${E}?options=keyValues`))).toEqual({
      id: E,
      type: "Vehicle",
      speed: 1,
    });
  });
});

describe("queries (§5.7.2, §4.9 query language)", () => {
  beforeAll(async () => {
    const speeds = [10, 45, 60, 90, 120];
    const brands = ["Mercedes", "BYD", "Mercedes", "Toyota", "Tesla"];
    for (const [i, speed] of speeds.entries()) {
      await create({
        id: `urn:ngsi-ld:Car:q${i}`,
        type: "Car",
        brandName: { type: "Property", value: brands[i] },
        speed: { type: "Property", value: speed, observedAt: `2026-11-28T1${i}:00:00Z` },
        isParked: { type: "Relationship", object: `urn:ngsi-ld:OffStreetParking:P${i % 2}` },
        address: { type: "Property", value: { city: i < 3 ? "广州" : "深圳", street: "天河路" } },
        tags: { type: "Property", value: i % 2 === 0 ? ["electric", "new"] : ["petrol"] },
      });
    }
  });
  const query = async (q: string) => {
    const res = await call("GET", `/entities?type=Car&q=${encodeURIComponent(q)}&limit=100`);
    expect(res.statusCode, res.body).toBe(200);
    return ids(res).map((id) => id.replace("urn:ngsi-ld:Car:", ""));
  };

  it("filters with comparisons, ranges, lists, patterns and and/or", async () => {
    expect(await query("speed>50")).toEqual(["q2", "q3", "q4"]);
    expect(await query("speed>=45;speed<=60")).toEqual(["q1", "q2"]);
    expect(await query('brandName=="Mercedes"')).toEqual(["q0", "q2"]);
    expect(await query('brandName!="Mercedes"')).toEqual(["q1", "q3", "q4"]);
    expect(await query("speed==40..95")).toEqual(["q1", "q2", "q3"]);
    expect(await query('brandName=="BYD","Tesla"')).toEqual(["q1", "q4"]);
    expect(await query('brandName~="^T"')).toEqual(["q3", "q4"]);
    expect(await query("speed<20|speed>100")).toEqual(["q0", "q4"]);
    expect(await query('(brandName=="Mercedes"|brandName=="Tesla");speed>50')).toEqual(["q2", "q4"]);
    expect(await query("isParked==urn:ngsi-ld:OffStreetParking:P1")).toEqual(["q1", "q3"]);
    expect(await query('address[city]=="深圳"')).toEqual(["q3", "q4"]);
    expect(await query('tags=="electric"')).toEqual(["q0", "q2", "q4"]);
    expect(await query("speed.observedAt>=2026-11-28T13:00:00Z")).toEqual(["q3", "q4"]);
    expect(await query("isParked")).toEqual(["q0", "q1", "q2", "q3", "q4"]);
  });

  it("compares numbers only with numbers, whatever else an attribute holds", async () => {
    const values = [true, "70", 70, [80], { kmh: 90 }, 40];
    for (const [i, value] of values.entries())
      await create({ id: `urn:ngsi-ld:Bike:b${i}`, type: "Bike", speed: { type: "Property", value } });
    const bikes = async (q: string) =>
      ids(await call("GET", `/entities?type=Bike&q=${encodeURIComponent(q)}`)).map((id) => id.slice(-2));
    expect(await bikes("speed>50")).toEqual(["b2"]);
    expect(await bikes("speed>=40")).toEqual(["b2", "b5"]);
    expect(await bikes("speed<100")).toEqual(["b2", "b5"]);
    expect(await bikes("speed==60..100")).toEqual(["b2"]);
    expect(await bikes("speed==70")).toEqual(["b2"]);
    expect(await bikes('speed=="70"')).toEqual(["b1"]);
    expect(await bikes("speed==80")).toEqual(["b3"]);
    expect(await bikes("speed==true")).toEqual(["b0"]);
  });

  it("pages with limit and offset and counts with count=true", async () => {
    const page = await call("GET", "/entities?type=Car&limit=2&offset=1&count=true");
    expect(ids(page)).toEqual(["urn:ngsi-ld:Car:q1", "urn:ngsi-ld:Car:q2"]);
    expect(page.headers["ngsild-results-count"]).toBe("5");
    const countOnly = await call("GET", "/entities?type=Car&limit=0&count=true");
    expect(json<unknown[]>(countOnly)).toEqual([]);
    expect(countOnly.headers["ngsild-results-count"]).toBe("5");
  });

  it("selects by id list and idPattern, and projects attrs", async () => {
    const byId = await call("GET", "/entities?id=urn:ngsi-ld:Car:q1,urn:ngsi-ld:Car:q3&attrs=speed");
    expect(json(byId)).toEqual([
      {
        id: "urn:ngsi-ld:Car:q1",
        type: "Car",
        speed: { type: "Property", value: 45, observedAt: "2026-11-28T11:00:00.000Z" },
      },
      {
        id: "urn:ngsi-ld:Car:q3",
        type: "Car",
        speed: { type: "Property", value: 90, observedAt: "2026-11-28T13:00:00.000Z" },
      },
    ]);
    expect(ids(await call("GET", "/entities?idPattern=Car:q[34]$"))).toEqual([
      "urn:ngsi-ld:Car:q3",
      "urn:ngsi-ld:Car:q4",
    ]);
  });

  it("answers malformed queries with BadRequestData", async () => {
    for (const url of [
      "/entities",
      "/entities?type=Car&q=speed>>1",
      "/entities?type=Car&q=(speed>1",
      "/entities?type=Car&q=speed>",
      `/entities?type=Car&q=${encodeURIComponent('brandName~="(["')}`,
      "/entities?type=Car&limit=abc",
      "/entities?type=Car&options=keyValues&format=xml",
      "/entities?idPattern=(",
    ]) {
      const res = await call("GET", url);
      expect(res.statusCode, url).toBe(400);
      expect(json(res).type, url).toBe(`${ERR}BadRequestData`);
    }
    const big = await call("GET", "/entities?type=Car&limit=5000");
    expect(big.statusCode).toBe(403);
    expect(json(big).type).toBe(`${ERR}TooManyResults`);
  });
});

describe("geo-queries (§4.10)", () => {
  // Around Guangzhou's Haizhu Square: points 0, ~450 m, ~2.2 km east, and a building footprint.
  beforeAll(async () => {
    const points: [string, number][] = [
      ["g0", 113.2644],
      ["g1", 113.2688],
      ["g2", 113.286],
    ];
    for (const [n, lon] of points)
      await create({
        id: `urn:ngsi-ld:Camera:${n}`,
        type: "Camera",
        location: { type: "Point", coordinates: [lon, 23.1291] },
      });
    await create({
      id: "urn:ngsi-ld:Building:b1",
      type: "Camera",
      location: {
        type: "Polygon",
        coordinates: [
          [
            [113.27, 23.128],
            [113.272, 23.128],
            [113.272, 23.13],
            [113.27, 23.13],
            [113.27, 23.128],
          ],
        ],
      },
    });
  });
  const geo = async (params: string) => {
    const res = await call("GET", `/entities?type=Camera&${params}`);
    expect(res.statusCode, res.body).toBe(200);
    return ids(res).map((id) => id.split(":").at(-1));
  };
  const square = encodeURIComponent(
    JSON.stringify([
      [
        [113.26, 23.12],
        [113.275, 23.12],
        [113.275, 23.14],
        [113.26, 23.14],
        [113.26, 23.12],
      ],
    ]),
  );

  it("finds entities near a point within and beyond a distance", async () => {
    const at = encodeURIComponent("[113.2644,23.1291]");
    expect(await geo(`georel=near;maxDistance==1000&geometry=Point&coordinates=${at}`)).toEqual([
      "g0",
      "g1",
      "b1",
    ]);
    expect(await geo(`georel=near;maxDistance==100&geometry=Point&coordinates=${at}`)).toEqual(["g0"]);
    expect(await geo(`georel=near;minDistance==1000&geometry=Point&coordinates=${at}`)).toEqual(["g2"]);
  });

  it("finds entities within, intersecting and disjoint from a polygon", async () => {
    expect(await geo(`georel=within&geometry=Polygon&coordinates=${square}`)).toEqual(["g0", "g1", "b1"]);
    expect(await geo(`georel=disjoint&geometry=Polygon&coordinates=${square}`)).toEqual(["g2"]);
    const line = encodeURIComponent("[[113.271,23.10],[113.271,23.15]]");
    expect(await geo(`georel=intersects&geometry=LineString&coordinates=${line}`)).toEqual(["b1"]);
  });

  it("answers as GeoJSON on request", async () => {
    const res = await call(
      "GET",
      `/entities?type=Camera&georel=within&geometry=Polygon&coordinates=${square}&options=keyValues`,
      {
        headers: { accept: "application/geo+json" },
      },
    );
    expect(res.headers["content-type"]).toContain("application/geo+json");
    const fc = json<{ type: string; features: { id: string; geometry: { type: string } }[] }>(res);
    expect(fc.type).toBe("FeatureCollection");
    expect(fc.features.map((f) => f.geometry.type)).toEqual(["Point", "Point", "Polygon"]);
  });

  it("refuses incomplete or invalid geo-queries and geometries", async () => {
    for (const params of [
      "georel=near;maxDistance==100&geometry=Point",
      "georel=near&geometry=Point&coordinates=[113,23]",
      "georel=beside&geometry=Point&coordinates=[113,23]",
      "georel=within&geometry=Polygon&coordinates=[[[113,23],[114,23],[114,24]]]",
      "georel=near;maxDistance==5&geometry=Point&coordinates=[200,23]",
    ]) {
      const res = await call(
        "GET",
        `/entities?type=Camera&${params.replaceAll("[", "%5B").replaceAll("]", "%5D")}`,
      );
      expect(res.statusCode, params).toBe(400);
    }
    const bad = await create({
      id: "urn:ngsi-ld:Camera:bad",
      type: "Camera",
      location: { type: "Point", coordinates: [1] },
    });
    expect(bad.statusCode).toBe(400);
    expect(json(bad).detail).toContain("location");
  });
});

describe("batch operations (§5.6.7–5.6.10)", () => {
  it("creates, upserts, updates and deletes many entities, each on its own", async () => {
    const created = await call("POST", "/entityOperations/create", {
      body: [vehicle("batch1"), vehicle("batch2")],
    });
    expect(created.statusCode, created.body).toBe(201);
    expect(json(created)).toEqual(["urn:ngsi-ld:Vehicle:batch1", "urn:ngsi-ld:Vehicle:batch2"]);

    const partly = await call("POST", "/entityOperations/create", {
      body: [vehicle("batch3"), vehicle("batch1"), { id: "not a uri", type: "Vehicle" }],
    });
    expect(partly.statusCode).toBe(207);
    const result = json<{ success: string[]; errors: { entityId: string; error: { type: string } }[] }>(
      partly,
    );
    expect(result.success).toEqual(["urn:ngsi-ld:Vehicle:batch3"]);
    expect(result.errors.map((e) => [e.entityId, e.error.type])).toEqual([
      ["urn:ngsi-ld:Vehicle:batch1", `${ERR}AlreadyExists`],
      ["not a uri", `${ERR}BadRequestData`],
    ]);

    const upsert = await call("POST", "/entityOperations/upsert", {
      body: [vehicle("batch1", { speed: 5 }), vehicle("batch4")],
    });
    expect(upsert.statusCode).toBe(201);
    expect(json(upsert)).toEqual(["urn:ngsi-ld:Vehicle:batch4"]);
    const kept = json<Record<string, unknown>>(
      await call("GET", "/entities/urn:ngsi-ld:Vehicle:batch1?options=keyValues"),
    );
    expect(kept.speed).toBe(5);
    expect(kept.brandName).toBe("Mercedes");

    const update = await call("POST", "/entityOperations/update", {
      body: [{ id: "urn:ngsi-ld:Vehicle:batch2", speed: 7 }],
    });
    expect(update.statusCode).toBe(204);

    const del = await call("POST", "/entityOperations/delete", {
      body: ["urn:ngsi-ld:Vehicle:batch1", "urn:ngsi-ld:Vehicle:never"],
    });
    expect(del.statusCode).toBe(207);
    expect(json<{ errors: { entityId: string }[] }>(del).errors.map((e) => e.entityId)).toEqual([
      "urn:ngsi-ld:Vehicle:never",
    ]);
  });
});

describe("@context", () => {
  it("expands terms with an inline context and compacts them with the caller's", async () => {
    const res = await call("POST", "/entities", {
      type: "application/ld+json",
      body: {
        "@context": [
          {
            fourfold: "https://fourfold.dev/twin#",
            StreetLight: "fourfold:StreetLight",
            lux: "fourfold:lux",
          },
          CORE,
        ],
        id: "urn:ngsi-ld:StreetLight:1",
        type: "StreetLight",
        lux: { type: "Property", value: 300 },
      },
    });
    expect(res.statusCode, res.body).toBe(201);
    const types = json<{ typeList: string[] }>(await call("GET", "/types"));
    expect(types.typeList).toContain("https://fourfold.dev/twin#StreetLight");
    const full = await call(
      "GET",
      `/entities?type=${encodeURIComponent("https://fourfold.dev/twin#StreetLight")}&options=keyValues`,
    );
    expect(json(full)).toEqual([
      {
        id: "urn:ngsi-ld:StreetLight:1",
        type: "https://fourfold.dev/twin#StreetLight",
        "https://fourfold.dev/twin#lux": 300,
      },
    ]);
    // The default vocabulary does not reach this entity's terms.
    expect(json<unknown[]>(await call("GET", "/entities?type=StreetLight"))).toEqual([]);
  });

  it("refuses contexts it cannot resolve and misplaced ones", async () => {
    const remote = await call("GET", "/entities?type=Vehicle", {
      headers: { link: '<https://example.org/ctx.jsonld>; rel="http://www.w3.org/ns/json-ld#context"' },
    });
    expect(remote.statusCode).toBe(503);
    expect(json(remote).type).toBe(`${ERR}LdContextNotAvailable`);
    const inJson = await create({ ...vehicle("ctx1"), "@context": CORE });
    expect(inJson.statusCode).toBe(400);
    const missing = await call("POST", "/entities", { body: vehicle("ctx2"), type: "application/ld+json" });
    expect(missing.statusCode).toBe(400);
  });
});

describe("bad input, access and audit", () => {
  it("answers invalid payloads with NGSI-LD ProblemDetails and stores nothing", async () => {
    const cases: [Body, string, number][] = [
      ["{not json", `${ERR}InvalidRequest`, 400],
      [{ type: "Vehicle" }, `${ERR}BadRequestData`, 400],
      [{ id: "urn:ngsi-ld:Vehicle:x1" }, `${ERR}BadRequestData`, 400],
      [
        { id: "urn:ngsi-ld:Vehicle:x2", type: "Vehicle", speed: { type: "Property" } },
        `${ERR}BadRequestData`,
        400,
      ],
      [
        { id: "urn:ngsi-ld:Vehicle:x3", type: "Vehicle", owner: { type: "Relationship", object: "bob" } },
        `${ERR}BadRequestData`,
        400,
      ],
      [{ id: "urn:ngsi-ld:Vehicle:x4", type: "Vehicle", "bad name": 1 }, `${ERR}BadRequestData`, 400],
      [
        {
          id: "urn:ngsi-ld:Vehicle:x5",
          type: "Vehicle",
          speed: { type: "Property", value: 1, observedAt: "yesterday" },
        },
        `${ERR}BadRequestData`,
        400,
      ],
      [
        { id: "urn:ngsi-ld:Vehicle:x6", type: "Vehicle", location: { type: "Property", value: 1 } },
        `${ERR}BadRequestData`,
        400,
      ],
      [
        { id: "urn:ngsi-ld:Vehicle:x7", type: "Vehicle", speed: [{ type: "Property", value: 1 }] },
        `${ERR}OperationNotSupported`,
        422,
      ],
      [[1, 2], `${ERR}BadRequestData`, 400],
    ];
    for (const [body, type, status] of cases) {
      const res = await call("POST", "/entities", { body });
      expect(res.statusCode, JSON.stringify(body)).toBe(status);
      expect(json(res).type, JSON.stringify(body)).toBe(type);
      expect(res.body).not.toContain("    at ");
    }
    const stored = await rawQuery<{ n: number }>(
      t.platform.db,
      "select count(*)::int as n from operations.entities where id like 'urn:ngsi-ld:Vehicle:x%'",
      [],
    );
    expect(stored[0]?.n).toBe(0);
  });

  it("lets operations staff read, the command centre write, and nobody else in", async () => {
    await create(vehicle("acl1"));
    expect((await call("GET", "/entities/urn:ngsi-ld:Vehicle:acl1", { user: gridworker })).statusCode).toBe(
      200,
    );
    expect(
      (
        await call("PATCH", "/entities/urn:ngsi-ld:Vehicle:acl1/attrs/speed", {
          user: gridworker,
          body: { value: 1 },
        })
      ).statusCode,
    ).toBe(403);
    expect((await call("GET", "/entities/urn:ngsi-ld:Vehicle:acl1", { user: citizen })).statusCode).toBe(403);
    expect((await call("GET", "/entities/urn:ngsi-ld:Vehicle:acl1", { user: null })).statusCode).toBe(401);
  });

  it("audits every change and publishes it as an event", async () => {
    await create(vehicle("audit1"));
    await call("PATCH", "/entities/urn:ngsi-ld:Vehicle:audit1/attrs/speed", { body: { value: 99 } });
    await call("DELETE", "/entities/urn:ngsi-ld:Vehicle:audit1");
    const audit = await rawQuery<{ action: string; actor_id: string }>(
      t.platform.db,
      "select action, actor_id from audit.records where resource_id = $1 order by id",
      ["urn:ngsi-ld:Vehicle:audit1"],
    );
    expect(audit.map((a) => a.action)).toEqual([
      "operations.entity.created",
      "operations.entity.updated",
      "operations.entity.deleted",
    ]);
    expect(audit.every((a) => a.actor_id === dispatcher.id)).toBe(true);
    const events = await rawQuery<{ topic: string; attributes: string[] }>(
      t.platform.db,
      "select topic, payload->'attributes' as attributes from platform.outbox where payload->>'id' = $1 order by id",
      ["urn:ngsi-ld:Vehicle:audit1"],
    );
    expect(events.map((e) => e.topic)).toEqual([
      "operations.entity.created",
      "operations.entity.updated",
      "operations.entity.deleted",
    ]);
    expect(events[1]?.attributes).toEqual(["https://uri.etsi.org/ngsi-ld/default-context/speed"]);
  });

  it("does not act twice on a retried create with the same Idempotency-Key", async () => {
    const send = () =>
      call("POST", "/entities", { body: vehicle("idem1"), headers: { "idempotency-key": "ngsi-idem-1" } });
    expect((await send()).statusCode).toBe(201);
    const retry = await send();
    expect(retry.statusCode).toBe(201);
    expect(retry.headers["idempotent-replayed"]).toBe("true");
  });
});
