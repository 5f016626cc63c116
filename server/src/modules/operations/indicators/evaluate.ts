/**
 * One evaluation of a set of indicators in a transaction: lock their rows, compute the formulas,
 * store what changed (value, level, a history row per changed value) and record each level change as
 * an event (operations.indicator.level-changed) with an audit record by the system. The row lock
 * makes two processes evaluating the same indicator agree: the second sees the first's level, so a
 * level change is published exactly once.
 */
import { sql } from "drizzle-orm";
import { appendAuditBatch } from "../../../kernel/audit/audit";
import type { Db } from "../../../kernel/db/db";
import { queryRows } from "../../../kernel/db/db";
import { publishEvent } from "../../../kernel/events/events";
import type { Clock } from "../../../kernel/http/context";
import { computeValues, preparePass } from "./compile";
import type { Formula } from "./formula";
import { type Direction, isLevelChange, type Level, nextLevel } from "./levels";

export const LEVEL_CHANGED = "operations.indicator.level-changed";
/** Indicators per statement: large enough to save round trips, small enough to keep locks short. */
export const CHUNK = 100;

export interface LevelChange {
  code: string;
  from: Level | null;
  to: Level;
  value: number | null;
  at: string;
}

interface StateRow {
  code: string;
  value: number | null;
  level: Level | null;
  direction: Direction;
  attention: number | null;
  warning: number | null;
  alarm: number | null;
}

/** Publishes level changes and audits them as the system's doing, in the caller's transaction. */
export async function recordLevelChanges(tx: Db, clock: Clock, changes: LevelChange[]): Promise<void> {
  if (changes.length === 0) return;
  for (const c of changes) await publishEvent(tx, LEVEL_CHANGED, c);
  await appendAuditBatch(
    tx,
    { actor: null, requestId: "indicators:evaluate", ip: null, clock },
    changes.map((c) => ({
      action: LEVEL_CHANGED,
      resourceType: "indicator",
      resourceId: c.code,
      details: { from: c.from, to: c.to, value: c.value },
    })),
  );
}

export interface EvaluationResult {
  /** Indicators whose value or level changed. */
  changed: number;
  levelChanges: LevelChange[];
}

/** Evaluates the indicators in the caller's transaction (missing codes are skipped). */
export async function evaluateInTx(
  tx: Db,
  clock: Clock,
  items: { code: string; formula: Formula }[],
): Promise<EvaluationResult> {
  const result: EvaluationResult = { changed: 0, levelChanges: [] };
  if (items.length === 0) return result;
  const now = clock.now().toISOString();
  const states = await queryRows<StateRow>(
    tx,
    sql`select code, value, level, direction, attention, warning, alarm from operations.indicators
        where code = any(${sql.param(items.map((i) => i.code))}::text[]) order by code for update`,
  );
  const byCode = new Map(states.map((s) => [s.code, s]));
  const present = items.filter((i) => byCode.has(i.code));
  const values = new Map<string, number | null>();
  for (let i = 0; i < present.length; i += CHUNK) {
    const chunk = present.slice(i, i + CHUNK);
    const pass = await preparePass(
      tx,
      chunk.map((c) => c.formula),
      now,
    );
    for (const [code, value] of await computeValues(tx, chunk, pass)) values.set(code, value);
  }

  const update = { codes: [] as string[], values: [] as (number | null)[], levels: [] as (Level | null)[] };
  const flags = { valueChanged: [] as boolean[], levelChanged: [] as boolean[] };
  const history = { codes: [] as string[], values: [] as (number | null)[], levels: [] as (Level | null)[] };
  for (const item of present) {
    const state = byCode.get(item.code)!;
    const value = values.get(item.code) ?? null;
    const previousValue = state.value === null ? null : Number(state.value);
    const level = nextLevel(value, state.level, state.direction, {
      attention: state.attention === null ? null : Number(state.attention),
      warning: state.warning === null ? null : Number(state.warning),
      alarm: state.alarm === null ? null : Number(state.alarm),
    });
    const valueChanged = value !== previousValue;
    const levelChanged = level !== state.level;
    if (!valueChanged && !levelChanged) continue;
    update.codes.push(item.code);
    update.values.push(value);
    update.levels.push(level);
    flags.valueChanged.push(valueChanged);
    flags.levelChanged.push(levelChanged);
    if (valueChanged) {
      history.codes.push(item.code);
      history.values.push(value);
      history.levels.push(level);
    }
    if (isLevelChange(state.level, level))
      result.levelChanges.push({ code: item.code, from: state.level, to: level, value, at: now });
  }
  result.changed = update.codes.length;
  if (update.codes.length === 0) return result;
  await tx.execute(
    sql`update operations.indicators i set value = u.value, level = u.level,
          value_at = case when u.value_changed then ${now}::timestamptz else i.value_at end,
          level_since = case when u.level_changed then ${now}::timestamptz else i.level_since end
        from unnest(${sql.param(update.codes)}::text[], ${sql.param(update.values)}::float8[],
                    ${sql.param(update.levels)}::text[], ${sql.param(flags.valueChanged)}::boolean[],
                    ${sql.param(flags.levelChanged)}::boolean[]) as u(code, value, level, value_changed, level_changed)
        where i.code = u.code`,
  );
  if (history.codes.length > 0)
    await tx.execute(
      sql`insert into operations.indicator_history (code, at, value, level)
          select u.code, ${now}::timestamptz, u.value, u.level
          from unnest(${sql.param(history.codes)}::text[], ${sql.param(history.values)}::float8[],
                      ${sql.param(history.levels)}::text[]) as u(code, value, level)`,
    );
  await recordLevelChanges(tx, clock, result.levelChanges);
  return result;
}
