/**
 * The demo scenic area's 1,972 indicators (云溪塔景区体征指标), generated deterministically from
 * templates over the demo twin's entities: three per city component (its state, its video
 * coverage, the crowd around it), two per camera, six per building (the state of its
 * surroundings), three to seven per sensor (current readings and telemetry windows), ten per zone
 * and 39 for the whole area (demo-area-indicators.ts).
 */
import { appendAuditBatch } from "../../../kernel/audit/audit";
import { systemCtx } from "../../../kernel/http/context";
import type { Platform } from "../../../kernel/platform";
import { demoTwinEntities, ZONES, zoneId } from "../twin/demo-twin";
import { areaIndicators, zoneIndicators } from "./demo-area-indicators";
import {
  above,
  agg,
  below,
  count,
  expand,
  FAULT,
  kind,
  latest,
  NORMAL,
  OFFLINE,
  ONLINE,
  percent,
  type Row,
  rate,
  sum,
} from "./demo-templates";
import { CHUNK, evaluateInTx } from "./evaluate";
import type { Selector } from "./formula";
import { insertIndicators, type NewIndicator } from "./indicators.queries";
import type { Category } from "./levels";

export const DEMO_INDICATOR_COUNT = 1972;

type Entity = ReturnType<typeof demoTwinEntities>[number];

const COMPONENT_CATEGORY: Record<string, Category> = {
  manhole: "安全",
  streetlight: "设施",
  hydrant: "安全",
  bin: "环境",
  bench: "服务",
  sign: "服务",
};

const near = (type: string, entity: string, distance: number, q?: string): Selector => ({
  type,
  near: { entity, distance },
  ...(q ? { q } : {}),
});

const componentRows = (category: Category): Row<string>[] => [
  [
    "STATE",
    "故障状态",
    "个",
    category,
    60,
    above(null, null, 1),
    (id) => count({ id, q: FAULT }),
    "1：部件故障",
  ],
  [
    "VIDEO",
    "视频覆盖",
    "台",
    "安全",
    300,
    below(0, null, null),
    (id) => count(near("Camera", id, 200, ONLINE)),
    "200 米内在线摄像机数",
  ],
  [
    "CROWD",
    "周边人流",
    "人",
    "人流",
    60,
    above(4000, 6000, 8000),
    (id) => sum(near("CrowdCounter", id, 200), "peopleCount"),
    "200 米内客流计数之和",
  ],
];

const CAMERA: Row<string>[] = [
  [
    "OFFLINE",
    "离线状态",
    "台",
    "安全",
    60,
    above(null, null, 1),
    (id) => count({ id, q: OFFLINE }),
    "1：摄像机离线",
  ],
  [
    "FAULTS",
    "视野内部件故障",
    "个",
    "设施",
    120,
    above(1, 3, 5),
    (id) => count(near("Component", id, 100, FAULT)),
    "100 米内故障部件数",
  ],
];

const BUILDING: Row<string>[] = [
  [
    "CROWD",
    "周边人流",
    "人",
    "人流",
    60,
    above(6000, 9000, 12000),
    (id) => sum(near("CrowdCounter", id, 300), "peopleCount"),
    "300 米内客流计数之和",
  ],
  [
    "FAULTS",
    "周边部件故障数",
    "个",
    "设施",
    120,
    above(1, 3, 5),
    (id) => count(near("Component", id, 150, FAULT)),
  ],
  [
    "INTACT",
    "周边部件完好率",
    "%",
    "设施",
    300,
    below(98, 95, 90),
    (id) => percent(count(near("Component", id, 150, NORMAL)), count(near("Component", id, 150))),
  ],
  [
    "VIDEO",
    "周边视频在线率",
    "%",
    "安全",
    120,
    below(99, 90, 75),
    (id) => percent(count(near("Camera", id, 250, ONLINE)), count(near("Camera", id, 250))),
  ],
  [
    "HYDRANT",
    "周边消防栓故障数",
    "个",
    "安全",
    60,
    above(null, 1, 2),
    (id) => count(near("Component", id, 200, kind("hydrant", FAULT))),
  ],
  [
    "MANHOLE",
    "周边井盖故障数",
    "个",
    "安全",
    60,
    above(null, 1, 2),
    (id) => count(near("Component", id, 100, kind("manhole", FAULT))),
  ],
];

/** A crowd counter with the capacity of its zone. */
type Counter = { id: string; zone: string; capacity: number };
const counterLevels = (c: Counter) =>
  above(Math.round(c.capacity * 0.3), Math.round(c.capacity * 0.4), Math.round(c.capacity * 0.45));
const crowdCounterRows = (c: Counter): Row<Counter>[] => [
  ["COUNT", "当前人数", "人", "人流", 30, counterLevels(c), ({ id }) => latest({ id }, "peopleCount")],
  [
    "RATE-5M",
    "人数变化速率（5分钟）",
    "人/分钟",
    "人流",
    60,
    above(100, 200, 300),
    ({ id }) => rate({ id }, "peopleCount", 300),
  ],
  [
    "PEAK-1H",
    "1小时峰值",
    "人",
    "人流",
    60,
    counterLevels(c),
    ({ id }) => agg("max", { id }, "peopleCount", 3600),
  ],
  [
    "AVG-1H",
    "1小时均值",
    "人",
    "人流",
    300,
    counterLevels(c),
    ({ id }) => agg("avg", { id }, "peopleCount", 3600),
  ],
  [
    "SHARE",
    "占片区承载量",
    "%",
    "人流",
    30,
    above(30, 40, 45),
    ({ id, zone }) => percent(latest({ id }, "peopleCount"), latest({ id: zone }, "capacity")),
  ],
];

const KMH = "千米/小时";
const TRAFFIC: Row<string>[] = [
  [
    "INTENSITY",
    "车流量",
    "辆/小时",
    "交通",
    60,
    above(1200, 1600, 2000),
    (id) => latest({ id }, "intensity"),
  ],
  ["SPEED", "平均车速", KMH, "交通", 60, below(25, 15, 10), (id) => latest({ id }, "averageVehicleSpeed")],
  ["CONGESTION", "拥堵指数", "", "交通", 60, above(1.5, 2, 3), (id) => latest({ id }, "congestionIndex")],
  [
    "SPEED-15M",
    "15分钟平均车速",
    KMH,
    "交通",
    60,
    below(25, 15, 10),
    (id) => agg("avg", { id }, "averageVehicleSpeed", 900),
  ],
  [
    "CONGESTION-1H",
    "1小时最高拥堵指数",
    "",
    "交通",
    300,
    above(1.5, 2, 3),
    (id) => agg("max", { id }, "congestionIndex", 3600),
  ],
];

const UGM3 = "微克/立方米";
const DAY = 86_400;
const AIR: Row<string>[] = [
  ["PM25", "PM2.5", UGM3, "环境", 300, above(35, 75, 115), (id) => latest({ id }, "pm25")],
  ["PM10", "PM10", UGM3, "环境", 300, above(50, 150, 250), (id) => latest({ id }, "pm10")],
  ["AQI", "空气质量指数", "", "环境", 300, above(100, 150, 200), (id) => latest({ id }, "aqi")],
  [
    "PM25-1H",
    "PM2.5 1小时均值",
    UGM3,
    "环境",
    300,
    above(35, 75, 115),
    (id) => agg("avg", { id }, "pm25", 3600),
  ],
  [
    "PM25-24H",
    "PM2.5 24小时均值",
    UGM3,
    "环境",
    900,
    above(35, 75, 115),
    (id) => agg("avg", { id }, "pm25", DAY),
  ],
  [
    "PM10-24H",
    "PM10 24小时均值",
    UGM3,
    "环境",
    900,
    above(50, 150, 250),
    (id) => agg("avg", { id }, "pm10", DAY),
  ],
];

const WIND = above(10.8, 13.9, 17.2);
const WEATHER: Row<string>[] = [
  ["TEMP", "气温", "摄氏度", "环境", 300, above(35, 37, 40), (id) => latest({ id }, "temperature")],
  ["HUMIDITY", "相对湿度", "%", "环境", 300, above(85, 90, 95), (id) => latest({ id }, "relativeHumidity")],
  ["WIND", "风速", "米/秒", "安全", 120, WIND, (id) => latest({ id }, "windSpeed"), "6、7、8 级风的下限"],
  ["RAIN", "降水量", "毫米", "环境", 120, above(10, 20, 50), (id) => latest({ id }, "precipitation")],
  [
    "RAIN-1H",
    "1小时降水量",
    "毫米",
    "安全",
    300,
    above(20, 30, 50),
    (id) => sum({ id }, "precipitation", 3600),
  ],
  ["WIND-1H", "1小时最大风速", "米/秒", "安全", 300, WIND, (id) => agg("max", { id }, "windSpeed", 3600)],
  [
    "TEMP-24H",
    "24小时最高气温",
    "摄氏度",
    "环境",
    900,
    above(35, 37, 40),
    (id) => agg("max", { id }, "temperature", DAY),
  ],
];

const WATER: Row<string>[] = [
  ["LEVEL", "水位", "米", "安全", 60, above(6, 6.5, 7), (id) => latest({ id }, "waterLevel")],
  [
    "RISE-1H",
    "水位上涨速率",
    "米/小时",
    "安全",
    300,
    above(0.2, 0.3, 0.5),
    (id) => rate({ id }, "waterLevel", 3600, 60),
  ],
  [
    "LEVEL-24H",
    "24小时最高水位",
    "米",
    "安全",
    900,
    above(6, 6.5, 7),
    (id) => agg("max", { id }, "waterLevel", DAY),
  ],
];

const value = (e: Entity, attr: string) => (e[attr] as { value?: unknown } | undefined)?.value as string;
const areaOf = (e: Entity) => (e.refArea as { object: string }).object;
const keyOf = (id: string) =>
  id
    .slice(id.lastIndexOf(":") + 1)
    .replace(/^yunxi-/, "")
    .toUpperCase();

/** Every demo indicator, in a stable order. */
export function demoIndicators(): NewIndicator[] {
  const entities = demoTwinEntities();
  const out: NewIndicator[] = [];
  const head = (prefix: string, e: Entity) => ({
    code: `YXT-${prefix}-${keyOf(e.id)}`,
    name: value(e, "name"),
    areaId: areaOf(e),
  });
  const each = (type: string, prefix: string, rows: (e: Entity) => Row<string>[]) => {
    for (const e of entities.filter((x) => x.type === type))
      out.push(...expand(rows(e), e.id, head(prefix, e)));
  };
  each("Component", "CMP", (e) => componentRows(COMPONENT_CATEGORY[value(e, "componentType")] ?? "设施"));
  each("Camera", "CAM", () => CAMERA);
  each("Building", "BLD", () => BUILDING);
  const capacity = new Map(ZONES.map((z) => [zoneId(z), z.capacity]));
  for (const e of entities.filter((x) => x.type === "CrowdCounter")) {
    const counter = { id: e.id, zone: areaOf(e), capacity: capacity.get(areaOf(e)) ?? 0 };
    out.push(...expand(crowdCounterRows(counter), counter, head("CC", e)));
  }
  each("TrafficFlowObserved", "TF", () => TRAFFIC);
  each("AirQualityObserved", "AQ", () => AIR);
  each("WeatherObserved", "WX", () => WEATHER);
  each("WaterLevelObserved", "WL", () => WATER);
  for (const zone of ZONES) out.push(...zoneIndicators(zone));
  out.push(...areaIndicators());
  return out;
}

/**
 * Seeds the demo indicators on a new demo district (after the twin), audited as the system's
 * import, and evaluates them once so values and levels are there from the start.
 */
export async function seedDemoIndicators(
  platform: Platform,
  onSeeded?: (codes: string[]) => Promise<void> | void,
): Promise<number> {
  const items = demoIndicators();
  const now = platform.clock.now().toISOString();
  const codes = await platform.db.transaction(async (tx) => {
    const ctx = systemCtx(tx, platform.clock, platform.log, "demo:indicators");
    const inserted = await insertIndicators(tx, items, now);
    await appendAuditBatch(
      tx,
      ctx,
      inserted.map((code) => ({
        action: "operations.indicator.created",
        resourceType: "indicator",
        resourceId: code,
      })),
    );
    return inserted;
  });
  const formulas = new Map(items.map((i) => [i.code, i.formula]));
  for (let i = 0; i < codes.length; i += CHUNK) {
    const chunk = codes.slice(i, i + CHUNK).map((code) => ({ code, formula: formulas.get(code)! }));
    await platform.db.transaction((tx) => evaluateInTx(tx, platform.clock, chunk));
  }
  await onSeeded?.(codes);
  return codes.length;
}
