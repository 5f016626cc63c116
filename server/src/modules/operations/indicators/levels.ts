/** Levels of an indicator (正常 / 关注 / 预警 / 告警) from its value, thresholds and direction. */
import type { FieldError } from "../../../kernel/http/errors";

export const LEVELS = ["normal", "attention", "warning", "alarm"] as const;
export type Level = (typeof LEVELS)[number];
export const DIRECTIONS = ["above", "below"] as const;
export type Direction = (typeof DIRECTIONS)[number];
export const CATEGORIES = ["人流", "交通", "环境", "设施", "安全", "服务"] as const;
export type Category = (typeof CATEGORIES)[number];

export interface Thresholds {
  attention: number | null;
  warning: number | null;
  alarm: number | null;
}

const ORDER: (keyof Thresholds)[] = ["attention", "warning", "alarm"];

/**
 * The level a value reaches. Thresholds are inclusive: with `above`, a value at or over the alarm
 * threshold is an alarm; with `below`, at or under. A level without a threshold is skipped.
 */
export function levelOf(value: number, direction: Direction, t: Thresholds): Level {
  const reached = (x: number | null) => x !== null && (direction === "above" ? value >= x : value <= x);
  if (reached(t.alarm)) return "alarm";
  if (reached(t.warning)) return "warning";
  if (reached(t.attention)) return "attention";
  return "normal";
}

/**
 * The next level after an evaluation: a value of null (no data) keeps the level the indicator had,
 * so a sensor falling silent neither raises nor clears an alarm on its own.
 */
export function nextLevel(value: number | null, previous: Level | null, direction: Direction, t: Thresholds) {
  return value === null ? previous : levelOf(value, direction, t);
}

/** A level change worth an event: any change, except the first level of an indicator being normal. */
export function isLevelChange(from: Level | null, to: Level | null): to is Level {
  return to !== null && to !== from && !(from === null && to === "normal");
}

/** At least one threshold, and those given strictly ordered the way the direction worsens. */
export function checkThresholds(direction: Direction, t: Thresholds, base: string): FieldError[] {
  const given = ORDER.filter((k) => t[k] !== null);
  if (given.length === 0)
    return [{ field: base, message: "give at least one of attention, warning and alarm" }];
  const errors: FieldError[] = [];
  for (let i = 1; i < given.length; i++) {
    const lower = given[i - 1]!;
    const higher = given[i]!;
    const a = t[lower]!;
    const b = t[higher]!;
    const ordered = direction === "above" ? b > a : b < a;
    if (!ordered)
      errors.push({
        field: `${base}/${higher}`,
        message: `must be ${direction === "above" ? "greater" : "less"} than ${lower} (${a}) when the direction is ${direction}`,
      });
  }
  return errors;
}
