/** Building blocks of the demo indicator templates: levels, formula shorthands and template rows. */
import type { Formula, Selector } from "./formula";
import type { NewIndicator } from "./indicators.queries";
import type { Category } from "./levels";

export type Levels = Pick<NewIndicator, "direction" | "attention" | "warning" | "alarm">;

export const above = (attention: number | null, warning: number | null, alarm: number | null): Levels => ({
  direction: "above",
  attention,
  warning,
  alarm,
});
export const below = (attention: number | null, warning: number | null, alarm: number | null): Levels => ({
  direction: "below",
  attention,
  warning,
  alarm,
});

export const FAULT = 'status=="fault"';
export const NORMAL = 'status=="normal"';
export const OFFLINE = 'status=="offline"';
export const ONLINE = 'status=="online"';
/** Components of a kind (and a further condition). */
export const kind = (k: string, q?: string) => `componentType=="${k}"${q ? `;${q}` : ""}`;
export const SERVICE_KINDS = 'componentType=="bench","sign"';

export const count = (select: Selector): Formula => ({ op: "count", select });
export const sum = (select: Selector, attr: string, window?: number): Formula => ({
  op: "sum",
  select,
  attr,
  ...(window ? { window } : {}),
});
export const latest = (select: Selector, attr: string, scale?: number): Formula => ({
  op: "latest",
  select,
  attr,
  ...(scale ? { scale } : {}),
});
export const agg = (op: "avg" | "max" | "min", select: Selector, attr: string, window?: number): Formula => ({
  op,
  select,
  attr,
  ...(window ? { window } : {}),
});
export const rate = (select: Selector, attr: string, window: number, scale?: number): Formula => ({
  op: "rate",
  select,
  attr,
  window,
  ...(scale ? { scale } : {}),
});
export const percent = (num: Formula, den: Formula): Formula => ({ op: "ratio", num, den, scale: 100 });
/** The share of the selected entities that also match `q`, in per cent. */
export const shareOf = (select: Selector, q: string): Formula =>
  percent(count({ ...select, q: select.q ? `${select.q};${q}` : q }), count(select));

/**
 * One template: code suffix, name (appended to the subject's name), unit, category, refresh
 * seconds, levels, the formula for the subject, and an optional note.
 */
export type Row<S> = [
  suffix: string,
  name: string,
  unit: string,
  category: Category,
  refreshSeconds: number,
  levels: Levels,
  formula: (subject: S) => Formula,
  note?: string,
];

/** Indicators of one subject (an entity, a zone, the area) from template rows. */
export function expand<S>(
  rows: Row<S>[],
  subject: S,
  head: { code: string; name: string; areaId: string },
): NewIndicator[] {
  return rows.map(([suffix, name, unit, category, refreshSeconds, levels, formula, note]) => ({
    code: `${head.code}-${suffix}`,
    name: `${head.name}${name}`,
    description: note ?? null,
    unit,
    category,
    areaId: head.areaId,
    refreshSeconds,
    formula: formula(subject),
    ...levels,
  }));
}

/** Square metres of a box of longitude and latitude (small enough for a flat Earth). */
export function squareMetres(box: readonly [number, number, number, number]): number {
  const midLat = ((box[1] + box[3]) / 2) * (Math.PI / 180);
  return Math.round((box[2] - box[0]) * 111_320 * Math.cos(midLat) * (box[3] - box[1]) * 110_540);
}

export const round2 = (n: number) => Math.round(n * 100) / 100;
