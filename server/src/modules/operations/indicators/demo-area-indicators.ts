/**
 * Demo indicators of the scenic area's six zones (ten each: crowd load 人流承载, density,
 * facilities, video, services) and of the whole area (39: crowd, traffic, environment,
 * facilities, safety, services).
 */
import { SCENIC_AREA_ID, SCENIC_BOX, ZONES, type Zone, zoneId } from "../twin/demo-twin";
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
  round2,
  SERVICE_KINDS,
  shareOf,
  squareMetres,
  sum,
} from "./demo-templates";
import type { Selector } from "./formula";
import type { NewIndicator } from "./indicators.queries";

/** An area (a zone or the whole scenic area) with what its crowd formulas need. */
interface Place {
  id: string;
  capacity: number;
  /** Its surface in hundreds of square metres. */
  hundredM2: number;
}

const within = (place: Place, type: string, q?: string): Selector => ({
  type,
  area: place.id,
  ...(q ? { q } : {}),
});
const people = (p: Place) => sum(within(p, "CrowdCounter"), "peopleCount");
const share = (fractions: [number, number, number], of: number, round = Math.round) =>
  above(round(of * fractions[0]), round(of * fractions[1]), round(of * fractions[2]));
const CROWD_LEVELS: [number, number, number] = [0.6, 0.8, 0.9];

const zoneRows = (p: Place, service: boolean): Row<Place>[] => [
  ["PEOPLE", "人数", "人", "人流", 30, share(CROWD_LEVELS, p.capacity), people],
  [
    "LOAD",
    "承载率",
    "%",
    service ? "服务" : "人流",
    30,
    above(60, 80, 90),
    (z) => percent(people(z), latest({ id: z.id }, "capacity")),
    "片区人数 ÷ 承载量",
  ],
  [
    "DENSITY",
    "人流密度",
    "人/百平方米",
    "人流",
    30,
    share(CROWD_LEVELS, p.capacity / p.hundredM2, round2),
    (z) => ({ op: "ratio", num: people(z), den: z.hundredM2 }),
    `片区面积约 ${p.hundredM2 * 100} 平方米`,
  ],
  [
    "RATE",
    "人数变化速率（10分钟）",
    "人/分钟",
    "人流",
    60,
    above(150, 300, 500),
    (z) => rate(within(z, "CrowdCounter"), "peopleCount", 600),
  ],
  ["FAULTS", "部件故障数", "个", "设施", 60, above(3, 6, 10), (z) => count(within(z, "Component", FAULT))],
  [
    "INTACT",
    "部件完好率",
    "%",
    "设施",
    300,
    below(98, 95, 90),
    (z) => shareOf(within(z, "Component"), NORMAL),
  ],
  [
    "CAM-OFFLINE",
    "摄像机离线数",
    "台",
    "安全",
    60,
    above(1, 2, 3),
    (z) => count(within(z, "Camera", OFFLINE)),
  ],
  ["VIDEO", "视频在线率", "%", "安全", 120, below(99, 90, 80), (z) => shareOf(within(z, "Camera"), ONLINE)],
  [
    "HYDRANT",
    "消防栓故障数",
    "个",
    "安全",
    60,
    above(null, 1, 2),
    (z) => count(within(z, "Component", kind("hydrant", FAULT))),
  ],
  [
    "SERVICE",
    "服务设施完好率",
    "%",
    "服务",
    300,
    below(98, 95, 90),
    (z) => shareOf(within(z, "Component", SERVICE_KINDS), NORMAL),
    "座椅、指示牌",
  ],
];

export function zoneIndicators(zone: Zone): NewIndicator[] {
  const place = {
    id: zoneId(zone),
    capacity: zone.capacity,
    hundredM2: Math.round(squareMetres(zone.box) / 100),
  };
  const service = zone.key === "visitor-centre" || zone.key === "parking";
  return expand(zoneRows(place, service), place, {
    code: `YXT-ZONE-${zone.key.toUpperCase()}`,
    name: zone.name,
    areaId: place.id,
  });
}

const KMH = "千米/小时";
const UGM3 = "微克/立方米";
const DAY = 86_400;
const COUNTER_PEAK = above(4000, 6000, 7000);
const traffic = (p: Place, q?: string) => within(p, "TrafficFlowObserved", q);
const air = (p: Place, q?: string) => within(p, "AirQualityObserved", q);
const components = (p: Place, q?: string) => within(p, "Component", q);

const areaRows = (p: Place): Row<Place>[] => [
  // 人流
  ["PEOPLE", "客流总数", "人", "人流", 30, share(CROWD_LEVELS, p.capacity), people],
  [
    "LOAD",
    "承载率",
    "%",
    "人流",
    30,
    above(60, 80, 90),
    (a) => percent(people(a), latest({ id: a.id }, "capacity")),
    "景区人数 ÷ 最大承载量",
  ],
  [
    "DENSITY",
    "人流密度",
    "人/百平方米",
    "人流",
    30,
    share(CROWD_LEVELS, p.capacity / p.hundredM2, round2),
    (a) => ({ op: "ratio", num: people(a), den: a.hundredM2 }),
  ],
  [
    "RATE-10M",
    "人数变化速率（10分钟）",
    "人/分钟",
    "人流",
    60,
    above(300, 600, 1000),
    (a) => rate(within(a, "CrowdCounter"), "peopleCount", 600),
  ],
  [
    "RATE-30M",
    "人数变化速率（30分钟）",
    "人/分钟",
    "人流",
    120,
    above(200, 400, 700),
    (a) => rate(within(a, "CrowdCounter"), "peopleCount", 1800),
  ],
  [
    "COUNTER-MAX",
    "单点客流最高读数",
    "人",
    "人流",
    30,
    COUNTER_PEAK,
    (a) => agg("max", within(a, "CrowdCounter"), "peopleCount"),
  ],
  [
    "COUNTER-PEAK-1H",
    "1小时单点客流峰值",
    "人",
    "人流",
    60,
    COUNTER_PEAK,
    (a) => agg("max", within(a, "CrowdCounter"), "peopleCount", 3600),
  ],
  // 交通
  [
    "SPEED",
    "平均车速",
    KMH,
    "交通",
    60,
    below(25, 15, 10),
    (a) => agg("avg", traffic(a), "averageVehicleSpeed"),
  ],
  [
    "SPEED-MIN",
    "最低车速",
    KMH,
    "交通",
    60,
    below(20, 12, 8),
    (a) => agg("min", traffic(a), "averageVehicleSpeed"),
  ],
  [
    "CONGESTION",
    "平均拥堵指数",
    "",
    "交通",
    60,
    above(1.5, 2, 3),
    (a) => agg("avg", traffic(a), "congestionIndex"),
  ],
  [
    "CONGESTION-MAX",
    "最高拥堵指数",
    "",
    "交通",
    60,
    above(1.8, 2.5, 3.5),
    (a) => agg("max", traffic(a), "congestionIndex"),
  ],
  [
    "INTENSITY",
    "车流量合计",
    "辆/小时",
    "交通",
    60,
    above(8000, 11000, 14000),
    (a) => sum(traffic(a), "intensity"),
  ],
  [
    "SPEED-15M",
    "15分钟平均车速",
    KMH,
    "交通",
    60,
    below(25, 15, 10),
    (a) => agg("avg", traffic(a), "averageVehicleSpeed", 900),
  ],
  [
    "CONGESTION-1H",
    "1小时最高拥堵指数",
    "",
    "交通",
    300,
    above(1.8, 2.5, 3.5),
    (a) => agg("max", traffic(a), "congestionIndex", 3600),
  ],
  [
    "CONGESTED",
    "拥堵检测点数",
    "个",
    "交通",
    60,
    above(1, 3, 5),
    (a) => count(traffic(a, "congestionIndex>=2")),
    "拥堵指数 ≥ 2 的检测点",
  ],
  [
    "SPEED-YUEJIANG",
    "阅江路平均车速",
    KMH,
    "交通",
    60,
    below(25, 15, 10),
    (a) => agg("avg", traffic(a, 'name~="阅江路"'), "averageVehicleSpeed"),
  ],
  [
    "SPEED-YIYUAN",
    "艺苑路平均车速",
    KMH,
    "交通",
    60,
    below(25, 15, 10),
    (a) => agg("avg", traffic(a, 'name~="艺苑路"'), "averageVehicleSpeed"),
  ],
  // 环境
  ["PM25", "PM2.5均值", UGM3, "环境", 300, above(35, 75, 115), (a) => agg("avg", air(a), "pm25")],
  ["PM25-MAX", "PM2.5最高值", UGM3, "环境", 300, above(35, 75, 115), (a) => agg("max", air(a), "pm25")],
  ["PM10", "PM10均值", UGM3, "环境", 300, above(50, 150, 250), (a) => agg("avg", air(a), "pm10")],
  ["AQI", "空气质量指数均值", "", "环境", 300, above(100, 150, 200), (a) => agg("avg", air(a), "aqi")],
  ["AQI-MAX", "空气质量指数最高值", "", "环境", 300, above(100, 150, 200), (a) => agg("max", air(a), "aqi")],
  [
    "PM25-24H",
    "PM2.5 24小时均值",
    UGM3,
    "环境",
    900,
    above(35, 75, 115),
    (a) => agg("avg", air(a), "pm25", DAY),
  ],
  [
    "PM10-24H",
    "PM10 24小时均值",
    UGM3,
    "环境",
    900,
    above(50, 150, 250),
    (a) => agg("avg", air(a), "pm10", DAY),
  ],
  [
    "AIR-EXCEEDED",
    "空气监测超标站点数",
    "个",
    "环境",
    300,
    above(1, 2, 3),
    (a) => count(air(a, "pm25>75")),
    "PM2.5 超过 75 微克/立方米的站点",
  ],
  [
    "BIN-FAULTS",
    "垃圾箱故障数",
    "个",
    "环境",
    60,
    above(2, 4, 8),
    (a) => count(components(a, kind("bin", FAULT))),
  ],
  [
    "RAIN-24H",
    "24小时降水量",
    "毫米",
    "环境",
    900,
    above(25, 50, 100),
    (a) => sum(within(a, "WeatherObserved"), "precipitation", DAY),
  ],
  // 设施
  ["FAULTS", "部件故障数", "个", "设施", 60, above(10, 20, 40), (a) => count(components(a, FAULT))],
  ["INTACT", "部件完好率", "%", "设施", 300, below(98, 95, 90), (a) => shareOf(components(a), NORMAL)],
  [
    "LIGHT-FAULTS",
    "路灯故障数",
    "个",
    "设施",
    60,
    above(3, 6, 10),
    (a) => count(components(a, kind("streetlight", FAULT))),
  ],
  [
    "LIGHT-INTACT",
    "路灯完好率",
    "%",
    "设施",
    300,
    below(98, 95, 90),
    (a) => shareOf(components(a, kind("streetlight")), NORMAL),
  ],
  // 安全
  [
    "MANHOLE-FAULTS",
    "井盖故障数",
    "个",
    "安全",
    60,
    above(1, 3, 5),
    (a) => count(components(a, kind("manhole", FAULT))),
  ],
  [
    "HYDRANT-FAULTS",
    "消防栓故障数",
    "个",
    "安全",
    60,
    above(null, 1, 3),
    (a) => count(components(a, kind("hydrant", FAULT))),
  ],
  [
    "CAM-OFFLINE",
    "摄像机离线数",
    "台",
    "安全",
    60,
    above(1, 3, 5),
    (a) => count(within(a, "Camera", OFFLINE)),
  ],
  ["VIDEO", "视频在线率", "%", "安全", 120, below(99, 95, 90), (a) => shareOf(within(a, "Camera"), ONLINE)],
  [
    "AI-CAMERAS",
    "AI摄像机在线数",
    "台",
    "安全",
    120,
    below(18, 15, 10),
    (a) => count(within(a, "Camera", `aiEnabled==true;${ONLINE}`)),
  ],
  // 服务
  [
    "SERVICE",
    "服务设施完好率",
    "%",
    "服务",
    300,
    below(98, 95, 90),
    (a) => shareOf(components(a, SERVICE_KINDS), NORMAL),
    "座椅、指示牌",
  ],
  [
    "BENCH-FAULTS",
    "座椅故障数",
    "个",
    "服务",
    60,
    above(2, 4, 6),
    (a) => count(components(a, kind("bench", FAULT))),
  ],
  [
    "SIGN-FAULTS",
    "指示牌故障数",
    "个",
    "服务",
    60,
    above(2, 4, 6),
    (a) => count(components(a, kind("sign", FAULT))),
  ],
];

export function areaIndicators(): NewIndicator[] {
  const box = [SCENIC_BOX.west, SCENIC_BOX.south, SCENIC_BOX.east, SCENIC_BOX.north] as const;
  const place = {
    id: SCENIC_AREA_ID,
    capacity: ZONES.reduce((n, z) => n + z.capacity, 0),
    hundredM2: Math.round(squareMetres(box) / 100),
  };
  return expand(areaRows(place), place, { code: "YXT-AREA", name: "景区", areaId: SCENIC_AREA_ID });
}
