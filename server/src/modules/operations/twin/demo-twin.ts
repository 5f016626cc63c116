/**
 * The demo district's scenic area (云溪塔景区), generated deterministically: the area and its six
 * zones with their capacities (承载量), the tower and the buildings around it with footprints and
 * heights, city components (部件), cameras and sensors. Fictional, placed on the south bank of the
 * Pearl River in Guangzhou so that distances and the map look real.
 */

import { appendDemoAccounts } from "../../../demo/accounts";
import { systemCtx } from "../../../kernel/http/context";
import type { Platform } from "../../../kernel/platform";
import { registerTwinClient } from "./clients.service";
import { CORE_CONTEXT } from "./context";
import { createEntity } from "./twin.service";

export const SCENIC_AREA_ID = "urn:ngsi-ld:Area:yunxi-tower-scenic";

/** The scenic area's box (WGS 84): about 1.3 km east–west and 1.2 km north–south. */
export const SCENIC_BOX = { west: 113.318, south: 23.101, east: 113.331, north: 23.112 } as const;

type Entity = Record<string, unknown> & { id: string; type: string };

/** A small deterministic generator (mulberry32), so every demo district has the same twin. */
function random(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const round = (n: number) => Math.round(n * 1e6) / 1e6;
const point = (lon: number, lat: number) => ({
  type: "GeoProperty",
  value: { type: "Point", coordinates: [round(lon), round(lat)] },
});
function rectangle(west: number, south: number, east: number, north: number) {
  const ring = [
    [west, south],
    [east, south],
    [east, north],
    [west, north],
    [west, south],
  ].map(([x, y]) => [round(x!), round(y!)]);
  return { type: "GeoProperty", value: { type: "Polygon", coordinates: [ring] } };
}
const prop = (value: unknown, unitCode?: string) => ({
  type: "Property",
  value,
  ...(unitCode ? { unitCode } : {}),
});
const rel = (object: string) => ({ type: "Relationship", object });

export interface Zone {
  key: string;
  name: string;
  /** Persons the zone holds safely (承载量). */
  capacity: number;
  box: [west: number, south: number, east: number, north: number];
}

/** Three columns west→east, two rows north→south. */
export const ZONES: Zone[] = (() => {
  const { west, south, east, north } = SCENIC_BOX;
  const xs = [west, west + (east - west) / 3, west + (2 * (east - west)) / 3, east];
  const ys = [north, (north + south) / 2, south];
  const names: [string, string, number][] = [
    ["riverside", "滨江步道", 8_000],
    ["tower-plaza", "塔下广场", 15_000],
    ["light-show", "灯光秀观景区", 12_000],
    ["garden", "花城园林区", 9_000],
    ["visitor-centre", "游客服务中心", 6_000],
    ["parking", "南门停车场", 10_000],
  ];
  return names.map(([key, name, capacity], i) => {
    const col = i % 3;
    const row = Math.floor(i / 3);
    return { key, name, capacity, box: [xs[col]!, ys[row + 1]!, xs[col + 1]!, ys[row]!] };
  });
})();

export const zoneId = (zone: Zone) => `urn:ngsi-ld:Area:yunxi-${zone.key}`;

/** 部件 kinds: GB/T 30428.2 major class and the name of the component. */
const COMPONENTS: { key: string; name: string; majorClass: string; count: number; owner: string }[] = [
  { key: "manhole", name: "井盖", majorClass: "公用设施", count: 120, owner: "区水务局" },
  { key: "streetlight", name: "路灯", majorClass: "公用设施", count: 150, owner: "区城市管理和综合执法局" },
  { key: "hydrant", name: "消防栓", majorClass: "公用设施", count: 30, owner: "区消防救援大队" },
  { key: "bin", name: "垃圾箱", majorClass: "市容环境", count: 80, owner: "区城市管理和综合执法局" },
  { key: "bench", name: "座椅", majorClass: "园林绿化", count: 60, owner: "区林业和园林局" },
  { key: "sign", name: "指示牌", majorClass: "道路交通", count: 40, owner: "区文化广电旅游体育局" },
];

/** Every entity of the demo twin, in the order they are created (areas first, so relationships resolve). */
export function demoTwinEntities(): Entity[] {
  const rnd = random(20261128);
  const { west, south, east, north } = SCENIC_BOX;
  const within = (box: Zone["box"], margin = 0.0003): [number, number] => [
    box[0] + margin + rnd() * (box[2] - box[0] - 2 * margin),
    box[1] + margin + rnd() * (box[3] - box[1] - 2 * margin),
  ];
  const zoneAt = (lon: number, lat: number) =>
    ZONES.find((z) => lon >= z.box[0] && lon <= z.box[2] && lat >= z.box[1] && lat <= z.box[3]) ?? ZONES[0]!;
  const entities: Entity[] = [];

  entities.push({
    id: SCENIC_AREA_ID,
    type: "Area",
    name: prop("云溪塔景区"),
    category: prop("scenic"),
    capacity: prop(
      ZONES.reduce((n, z) => n + z.capacity, 0),
      "IE",
    ),
    location: rectangle(west, south, east, north),
  });
  for (const zone of ZONES) {
    entities.push({
      id: zoneId(zone),
      type: "Area",
      name: prop(zone.name),
      category: prop("zone"),
      capacity: prop(zone.capacity, "IE"),
      location: rectangle(...zone.box),
      partOf: rel(SCENIC_AREA_ID),
    });
  }

  // The tower: an octagon about 60 m across in the middle of the plaza.
  const plaza = ZONES[1]!;
  const cx = (plaza.box[0] + plaza.box[2]) / 2;
  const cy = (plaza.box[1] + plaza.box[3]) / 2;
  const octagon = Array.from({ length: 9 }, (_, i) => {
    const angle = ((i % 8) * Math.PI) / 4;
    return [round(cx + 0.0003 * Math.cos(angle)), round(cy + 0.00027 * Math.sin(angle))];
  });
  entities.push({
    id: "urn:ngsi-ld:Building:yunxi-tower",
    type: "Building",
    name: prop("云溪塔"),
    category: prop("landmark"),
    height: prop(600, "MTR"),
    floors: prop(112),
    location: { type: "GeoProperty", value: { type: "Polygon", coordinates: [octagon] } },
    refArea: rel(zoneId(plaza)),
  });
  const buildingKinds = ["商业", "办公", "文化", "配套"];
  let b = 0;
  for (const zone of ZONES) {
    if (zone.key === "riverside" || zone.key === "tower-plaza" || zone.key === "parking") continue;
    for (let i = 0; i < 12; i++) {
      const [lon, lat] = within(zone.box, 0.0008);
      const w = 0.00025 + rnd() * 0.0005;
      const h = 0.0002 + rnd() * 0.0004;
      const height = Math.round(12 + rnd() ** 2 * 140);
      b++;
      entities.push({
        id: `urn:ngsi-ld:Building:yunxi-${String(b).padStart(3, "0")}`,
        type: "Building",
        name: prop(`${zone.name}${i + 1}号楼`),
        category: prop(buildingKinds[b % buildingKinds.length]),
        height: prop(height, "MTR"),
        floors: prop(Math.max(1, Math.round(height / 3.6))),
        location: rectangle(lon - w / 2, lat - h / 2, lon + w / 2, lat + h / 2),
        refArea: rel(zoneId(zone)),
      });
    }
  }

  for (const kind of COMPONENTS) {
    for (let i = 1; i <= kind.count; i++) {
      const [lon, lat] = [west + rnd() * (east - west), south + rnd() * (north - south)];
      entities.push({
        id: `urn:ngsi-ld:Component:${kind.key}-${String(i).padStart(3, "0")}`,
        type: "Component",
        componentType: prop(kind.key),
        name: prop(`${kind.name}${String(i).padStart(3, "0")}`),
        majorClass: prop(kind.majorClass),
        owner: prop(kind.owner),
        status: prop(rnd() < 0.03 ? "fault" : "normal"),
        location: point(lon, lat),
        refArea: rel(zoneId(zoneAt(lon, lat))),
      });
    }
  }

  for (let i = 1; i <= 40; i++) {
    const zone = ZONES[(i - 1) % ZONES.length]!;
    const [lon, lat] = within(zone.box);
    entities.push({
      id: `urn:ngsi-ld:Camera:yunxi-${String(i).padStart(2, "0")}`,
      type: "Camera",
      name: prop(`${zone.name}摄像机${Math.ceil(i / ZONES.length)}`),
      aiEnabled: prop(i % 2 === 1),
      status: prop(i === 17 ? "offline" : "online"),
      location: point(lon, lat),
      refArea: rel(zoneId(zone)),
    });
  }

  // Sensors: their readings arrive as telemetry; the values here are the state at start-up.
  for (const [z, zone] of ZONES.entries()) {
    for (let g = 1; g <= 2; g++) {
      const [lon, lat] = within(zone.box);
      entities.push({
        id: `urn:ngsi-ld:CrowdCounter:yunxi-${zone.key}-${g}`,
        type: "CrowdCounter",
        name: prop(`${zone.name}客流计数${g}`),
        peopleCount: prop(Math.round(zone.capacity * (0.15 + 0.05 * ((z + g) % 3))), "IE"),
        location: point(lon, lat),
        refArea: rel(zoneId(zone)),
      });
    }
  }
  for (let i = 1; i <= 8; i++) {
    const lon = west + ((i - 0.5) / 8) * (east - west);
    entities.push({
      id: `urn:ngsi-ld:TrafficFlowObserved:yunxi-${i}`,
      type: "TrafficFlowObserved",
      name: prop(`${i <= 4 ? "阅江路" : "艺苑路"}检测器${i}`),
      intensity: prop(600),
      averageVehicleSpeed: prop(35, "KMH"),
      congestionIndex: prop(1.4),
      location: point(lon, south + 0.0004 + (i % 2) * 0.0002),
      refArea: rel(zoneId(ZONES[3 + Math.min(2, Math.floor((i - 1) / 3))]!)),
    });
  }
  for (const [i, zone] of [ZONES[0]!, ZONES[3]!, ZONES[5]!].entries()) {
    const [lon, lat] = within(zone.box);
    entities.push({
      id: `urn:ngsi-ld:AirQualityObserved:yunxi-${i + 1}`,
      type: "AirQualityObserved",
      name: prop(`${zone.name}空气监测站`),
      pm25: prop(28, "GQ"),
      pm10: prop(45, "GQ"),
      aqi: prop(52),
      location: point(lon, lat),
      refArea: rel(zoneId(zone)),
    });
  }
  entities.push({
    id: "urn:ngsi-ld:WeatherObserved:yunxi-1",
    type: "WeatherObserved",
    name: prop("景区气象站"),
    temperature: prop(22.5, "CEL"),
    relativeHumidity: prop(68, "P1"),
    windSpeed: prop(3.2, "MTS"),
    precipitation: prop(0, "MMT"),
    location: point(cx + 0.001, cy - 0.001),
    refArea: rel(SCENIC_AREA_ID),
  });
  for (let i = 1; i <= 2; i++) {
    entities.push({
      id: `urn:ngsi-ld:WaterLevelObserved:yunxi-${i}`,
      type: "WaterLevelObserved",
      name: prop(`珠江岸线水位${i}`),
      waterLevel: prop(5.1, "MTR"),
      location: point(west + (i * (east - west)) / 3, north - 0.0002),
      refArea: rel(zoneId(ZONES[0]!)),
    });
  }
  return entities;
}

/** Creates the demo twin (audited, as an administrator's import would be) on a new demo district. */
export async function seedDemoTwin(platform: Platform): Promise<number> {
  const entities = demoTwinEntities();
  await platform.db.transaction(async (tx) => {
    const ctx = systemCtx(tx, platform.clock, platform.log, "demo:twin");
    for (const entity of entities) await createEntity(ctx, CORE_CONTEXT, entity);
  });
  return entities.length;
}

/**
 * One device (the crowd counters of the first zone, behind one gateway) and one read-only system
 * (the big screen), with their secrets in DATA_DIR/demo-accounts.json for trying the credentials.
 */
export async function seedDemoTwinClients(platform: Platform): Promise<void> {
  const zone = ZONES[0]!;
  const [device, screen] = await platform.db.transaction(async (tx) => {
    const ctx = systemCtx(tx, platform.clock, platform.log, "demo:twin-clients");
    return [
      await registerTwinClient(ctx, {
        name: `${zone.name}客流计数网关`,
        kind: "device",
        entityIds: [1, 2].map((g) => `urn:ngsi-ld:CrowdCounter:yunxi-${zone.key}-${g}`),
      }),
      await registerTwinClient(ctx, { name: "城市运行大屏（只读）", kind: "system" }),
    ];
  });
  appendDemoAccounts(
    platform.config.dataDir,
    [
      { role: "twin-device", client: device },
      { role: "twin-system", client: screen },
    ].map(({ role, client }) => ({
      role,
      username: client.id,
      password: client.secret,
      totpSecret: null,
      displayName: client.name,
    })),
  );
}
