/**
 * Names and values of the twin's attributes in the user's language: attribute labels, UN/CEFACT unit
 * codes (NGSI-LD unitCode) as symbols, enumerations (status, category, componentType) and geometry.
 */
import type { Locale, MessageKey, Translate } from "../../../shared/i18n";
import { isGeometry, isTwinType, type NgsiAttribute } from "../../../shared/twin";
import type { Group } from "./twinModel";

const ATTRIBUTE_KEYS: Record<string, MessageKey> = {
  name: "twin.attr.name",
  category: "twin.attr.category",
  capacity: "twin.attr.capacity",
  height: "twin.attr.height",
  floors: "twin.attr.floors",
  componentType: "twin.attr.componentType",
  majorClass: "twin.attr.majorClass",
  owner: "twin.attr.owner",
  status: "twin.attr.status",
  aiEnabled: "twin.attr.aiEnabled",
  peopleCount: "twin.attr.peopleCount",
  intensity: "twin.attr.intensity",
  averageVehicleSpeed: "twin.attr.averageVehicleSpeed",
  congestionIndex: "twin.attr.congestionIndex",
  pm25: "twin.attr.pm25",
  pm10: "twin.attr.pm10",
  aqi: "twin.attr.aqi",
  temperature: "twin.attr.temperature",
  relativeHumidity: "twin.attr.relativeHumidity",
  windSpeed: "twin.attr.windSpeed",
  precipitation: "twin.attr.precipitation",
  waterLevel: "twin.attr.waterLevel",
  location: "twin.attr.location",
  refArea: "twin.attr.refArea",
  partOf: "twin.attr.partOf",
};

/** Attributes in the order the drawer lists them (as ATTRIBUTE_KEYS names them); others follow, location last. */
export function attributeOrder(name: string): number {
  if (name === "location") return 1000;
  const index = Object.keys(ATTRIBUTE_KEYS).indexOf(name);
  return index === -1 ? 500 : index;
}

/** The attribute's name in the user's language; an attribute the page does not know keeps its own name. */
export function attributeLabel(name: string, t: Translate): string {
  const key = ATTRIBUTE_KEYS[name];
  return key ? t(key) : name;
}

export function typeLabel(type: string, t: Translate): string {
  return isTwinType(type) ? t(`twin.type.${type}`) : type;
}

export const GROUP_KEYS: Record<Group, MessageKey> = {
  buildings: "twin.layer.buildings",
  components: "twin.layer.components",
  cameras: "twin.layer.cameras",
  sensors: "twin.layer.sensors",
  zones: "twin.layer.zones",
};

/** UN/CEFACT common codes the twin uses, as symbols (or words, when the symbol is a word). */
const UNIT_SYMBOLS: Record<string, string | MessageKey> = {
  MTR: "m",
  KMH: "km/h",
  MTS: "m/s",
  CEL: "°C",
  GQ: "µg/m³",
  P1: "%",
  MMT: "mm",
  IE: "twin.unit.person",
};

/** Units an attribute has whatever code it carries (intensity is counted in vehicles per hour). */
const ATTRIBUTE_UNITS: Record<string, MessageKey> = {
  intensity: "twin.unit.vehiclesPerHour",
  floors: "twin.unit.floors",
};

export function unitLabel(name: string, unitCode: string | undefined, t: Translate): string {
  const fixed = ATTRIBUTE_UNITS[name];
  if (fixed) return t(fixed);
  if (!unitCode) return "";
  const symbol = UNIT_SYMBOLS[unitCode];
  if (!symbol) return unitCode;
  return symbol.startsWith("twin.") ? t(symbol as MessageKey) : symbol;
}

const VALUE_KEYS: Record<string, Record<string, MessageKey>> = {
  category: {
    scenic: "twin.value.category.scenic",
    zone: "twin.value.category.zone",
    landmark: "twin.value.category.landmark",
  },
  status: {
    normal: "twin.value.status.normal",
    fault: "twin.value.status.fault",
    online: "twin.value.status.online",
    offline: "twin.value.status.offline",
  },
  componentType: {
    manhole: "twin.value.componentType.manhole",
    streetlight: "twin.value.componentType.streetlight",
    hydrant: "twin.value.componentType.hydrant",
    bin: "twin.value.componentType.bin",
    bench: "twin.value.componentType.bench",
    sign: "twin.value.componentType.sign",
  },
};

export function formatNumber(value: number, locale: Locale, digits = 2): string {
  return new Intl.NumberFormat(locale, { maximumFractionDigits: digits }).format(value);
}

/**
 * A relative humidity arrives as a fraction (0.68, as the Smart Data Models define it) even with the
 * percent code P1; shown as a percentage either way.
 */
function scaled(name: string, value: number): number {
  return name === "relativeHumidity" && value <= 1 ? value * 100 : value;
}

/** A number with its unit: "600 m", "1,600 人", "68 %". */
export function formatQuantity(
  name: string,
  value: number,
  unitCode: string | undefined,
  t: Translate,
  locale: Locale,
): string {
  const unit = unitLabel(name, unitCode, t);
  const number = formatNumber(scaled(name, value), locale);
  return unit ? `${number} ${unit}` : number;
}

/** An attribute's value as one line of text (relationships are links and drawn by the drawer). */
export function formatAttribute(name: string, attr: NgsiAttribute, t: Translate, locale: Locale): string {
  const value = attr.value;
  if (attr.type === "GeoProperty" || isGeometry(value)) {
    if (!isGeometry(value)) return "";
    if (value.type === "Point") {
      const [lon, lat] = value.coordinates;
      return t("twin.geometry.point", { lon: lon.toFixed(6), lat: lat.toFixed(6) });
    }
    if (value.type === "Polygon")
      return t("twin.geometry.polygon", { count: Math.max(0, (value.coordinates[0]?.length ?? 1) - 1) });
    return t("twin.geometry.other", { type: value.type });
  }
  if (typeof value === "number") return formatQuantity(name, value, attr.unitCode, t, locale);
  if (typeof value === "boolean") return value ? t("common.yes") : t("common.no");
  if (typeof value === "string") {
    const key = VALUE_KEYS[name]?.[value];
    return key ? t(key) : value;
  }
  if (value === null || value === undefined) return "";
  return JSON.stringify(value);
}
