/**
 * CAP 1.2 (OASIS Common Alerting Protocol, the format of official warning systems, GB/T 33697 in
 * China) → the parts the platform uses: identifier, sender, sent, status, msgType, references, and
 * each info block's event, severity, urgency, certainty, onset/expires, headline, description and
 * areas (polygons "lat,lon …" and circles "lat,lon radius-km").
 */
import { XMLParser } from "fast-xml-parser";
import { AppError } from "../../../kernel/http/errors";
import { OperationsErrors } from "./errors";

export interface CapArea {
  description: string;
  /** GeoJSON polygons ([lon, lat] rings) from <polygon> and approximated <circle>s. */
  polygons: number[][][][];
}

export interface CapInfo {
  language: string;
  event: string;
  severity: "Extreme" | "Severe" | "Moderate" | "Minor" | "Unknown";
  urgency: string;
  certainty: string;
  onset: string | null;
  expires: string | null;
  headline: string;
  description: string;
  areas: CapArea[];
}

export interface CapAlert {
  identifier: string;
  sender: string;
  sent: string;
  status: string;
  msgType: "Alert" | "Update" | "Cancel" | "Ack" | "Error";
  /** Identifiers of the alerts an Update or Cancel refers to. */
  references: string[];
  infos: CapInfo[];
}

const parser = new XMLParser({
  ignoreAttributes: true,
  removeNSPrefix: true,
  trimValues: true,
  parseTagValue: false,
  isArray: (name) => ["info", "area", "polygon", "circle"].includes(name),
  processEntities: false,
});

function invalid(message: string): AppError {
  return new AppError(OperationsErrors.CAP_INVALID, { message });
}

function text(value: unknown, name: string, required = true): string {
  if (typeof value === "string" && value.length > 0) return value;
  if (typeof value === "number") return String(value);
  if (required) throw invalid(`<${name}> is missing`);
  return "";
}

function time(value: unknown, name: string): string | null {
  if (value === undefined) return null;
  const s = text(value, name);
  if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}([+-]\d{2}:\d{2}|Z)$/.test(s) || Number.isNaN(Date.parse(s)))
    throw invalid(`<${name}> must be a CAP date-time such as 2026-11-29T14:00:00+08:00`);
  return new Date(s).toISOString();
}

function polygonOf(value: string): number[][][] {
  const ring = value
    .trim()
    .split(/\s+/)
    .map((pair) => {
      const [lat, lon] = pair.split(",").map(Number);
      if (!Number.isFinite(lat) || !Number.isFinite(lon) || Math.abs(lat!) > 90 || Math.abs(lon!) > 180)
        throw invalid(`<polygon> point "${pair}" is not "latitude,longitude"`);
      return [lon!, lat!];
    });
  if (ring.length < 4) throw invalid("<polygon> needs at least four points (the first repeated last)");
  const [first, last] = [ring[0]!, ring.at(-1)!];
  if (first[0] !== last[0] || first[1] !== last[1]) throw invalid("<polygon> must be closed");
  return [ring];
}

/** A circle "lat,lon radius" (km) as a 32-gon. */
function circleOf(value: string): number[][][] {
  const match = /^\s*(-?[\d.]+),(-?[\d.]+)\s+([\d.]+)\s*$/.exec(value);
  if (!match) throw invalid(`<circle> "${value}" is not "latitude,longitude radius"`);
  const [lat, lon, km] = [Number(match[1]), Number(match[2]), Number(match[3])];
  const ring: number[][] = [];
  for (let i = 0; i <= 32; i++) {
    const a = ((i % 32) / 32) * 2 * Math.PI;
    const dLat = (km / 111.32) * Math.sin(a);
    const dLon = (km / (111.32 * Math.cos((lat * Math.PI) / 180))) * Math.cos(a);
    ring.push([lon + dLon, lat + dLat]);
  }
  return [ring];
}

const SEVERITIES = new Set(["Extreme", "Severe", "Moderate", "Minor", "Unknown"]);
const MSG_TYPES = new Set(["Alert", "Update", "Cancel", "Ack", "Error"]);

export function parseCap(xml: string): CapAlert {
  let doc: Record<string, unknown>;
  try {
    doc = parser.parse(xml, true) as Record<string, unknown>;
  } catch (e) {
    throw invalid(`the body is not well-formed XML: ${(e as Error).message.slice(0, 200)}`);
  }
  const alert = doc.alert as Record<string, unknown> | undefined;
  if (!alert || typeof alert !== "object")
    throw invalid("the document's root element must be <alert> (CAP 1.2)");
  const msgType = text(alert.msgType, "msgType");
  if (!MSG_TYPES.has(msgType))
    throw invalid(`<msgType> ${msgType} is not Alert, Update, Cancel, Ack or Error`);
  const references = text(alert.references, "references", false)
    .split(/\s+/)
    .filter(Boolean)
    .map((ref) => ref.split(",")[1] ?? ref);
  const infos = ((alert.info as Record<string, unknown>[] | undefined) ?? []).map((info) => {
    const severity = text(info.severity, "severity");
    if (!SEVERITIES.has(severity)) throw invalid(`<severity> ${severity} is not a CAP severity`);
    const areas = ((info.area as Record<string, unknown>[] | undefined) ?? []).map((area) => ({
      description: text(area.areaDesc, "areaDesc"),
      polygons: [
        ...((area.polygon as unknown[] | undefined) ?? []).map((p) => polygonOf(text(p, "polygon"))),
        ...((area.circle as unknown[] | undefined) ?? []).map((c) => circleOf(text(c, "circle"))),
      ],
    }));
    return {
      language: text(info.language, "language", false) || "en-US",
      event: text(info.event, "event"),
      severity: severity as CapInfo["severity"],
      urgency: text(info.urgency, "urgency"),
      certainty: text(info.certainty, "certainty"),
      onset: time(info.onset, "onset"),
      expires: time(info.expires, "expires"),
      headline: text(info.headline, "headline", false),
      description: text(info.description, "description", false),
      areas,
    };
  });
  if (msgType !== "Cancel" && infos.length === 0)
    throw invalid("an Alert or Update needs at least one <info>");
  return {
    identifier: text(alert.identifier, "identifier"),
    sender: text(alert.sender, "sender"),
    sent: time(alert.sent, "sent")!,
    status: text(alert.status, "status"),
    msgType: msgType as CapAlert["msgType"],
    references,
    infos,
  };
}

/** CAP severity → China's warning colour (蓝/黄/橙/红). */
export function levelOfSeverity(severity: CapInfo["severity"]): "blue" | "yellow" | "orange" | "red" {
  switch (severity) {
    case "Extreme":
      return "red";
    case "Severe":
      return "orange";
    case "Moderate":
      return "yellow";
    default:
      return "blue";
  }
}
