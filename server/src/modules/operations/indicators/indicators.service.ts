/**
 * Use cases of the indicator catalog: list, read with history, the summary for the one screen, and
 * the administrator's and dispatcher's changes (create with a validated formula, new thresholds).
 */
import { appendAudit } from "../../../kernel/audit/audit";
import type { Ctx } from "../../../kernel/http/context";
import { AppError, type FieldError, HttpErrors } from "../../../kernel/http/errors";
import { IndicatorErrors } from "./errors";
import { evaluateInTx, recordLevelChanges } from "./evaluate";
import { checkFormula, type Formula } from "./formula";
import {
  countByCategoryAndLevel,
  findIndicatorRow,
  type IndicatorFilter,
  type IndicatorRow,
  indicatorHistoryRows,
  insertIndicators,
  isArea,
  listIndicatorRows,
  updateIndicatorDefinition,
} from "./indicators.queries";
import {
  CATEGORIES,
  type Category,
  checkThresholds,
  type Direction,
  isLevelChange,
  type Level,
  nextLevel,
  type Thresholds,
} from "./levels";

export type IndicatorView = IndicatorRow;
export interface IndicatorDetail extends IndicatorRow {
  formula: Formula;
  history: { at: string; value: number | null; level: Level | null }[];
}

function invalid(errors: FieldError[]): AppError {
  return new AppError(HttpErrors.VALIDATION_FAILED, {
    message: errors.map((e) => `${e.field}: ${e.message}`).join("; "),
    errors,
  });
}

function notFound(code: string): AppError {
  return new AppError(IndicatorErrors.INDICATOR_NOT_FOUND, { message: `No indicator ${code}` });
}

export function listIndicators(
  ctx: Ctx,
  query: IndicatorFilter & { page: number; pageSize: number; order: "code" | "level" },
): Promise<{ items: IndicatorView[]; total: number }> {
  const { page, pageSize, order, ...filter } = query;
  return listIndicatorRows(ctx.tx, filter, { page, pageSize, order });
}

export async function getIndicator(ctx: Ctx, code: string, historyLimit: number): Promise<IndicatorDetail> {
  const row = await findIndicatorRow(ctx.tx, code);
  if (!row) throw notFound(code);
  return { ...row, history: await indicatorHistoryRows(ctx.tx, code, historyLimit) };
}

type LevelCounts = Record<Level | "none", number> & { total: number };
const emptyCounts = (): LevelCounts => ({ total: 0, normal: 0, attention: 0, warning: 0, alarm: 0, none: 0 });

/** Counts per category × level (every category listed, in catalog order), and the totals per level. */
export async function indicatorSummary(
  ctx: Ctx,
  filter: { areaId?: string | undefined },
): Promise<{ totals: LevelCounts; categories: ({ category: Category } & LevelCounts)[] }> {
  const totals = emptyCounts();
  const byCategory = new Map<Category, LevelCounts>(CATEGORIES.map((c) => [c, emptyCounts()]));
  for (const row of await countByCategoryAndLevel(ctx.tx, filter)) {
    const counts = byCategory.get(row.category);
    const level = row.level ?? "none";
    for (const c of counts ? [counts, totals] : [totals]) {
      c[level] += row.n;
      c.total += row.n;
    }
  }
  return { totals, categories: CATEGORIES.map((category) => ({ category, ...byCategory.get(category)! })) };
}

export interface CreateIndicatorInput {
  code: string;
  name: string;
  description?: string | undefined;
  unit: string;
  category: Category;
  areaId: string;
  formula: unknown;
  refreshSeconds: number;
  direction: Direction;
  thresholds: { attention?: number | null; warning?: number | null; alarm?: number | null };
}

function thresholdsOf(t: {
  attention?: number | null;
  warning?: number | null;
  alarm?: number | null;
}): Thresholds {
  return { attention: t.attention ?? null, warning: t.warning ?? null, alarm: t.alarm ?? null };
}

/**
 * Creates an indicator: the formula and thresholds are checked (problems named by field), the area
 * must be an Area entity, and the indicator is evaluated once before the response.
 */
export async function createIndicator(
  ctx: Ctx,
  input: CreateIndicatorInput,
): Promise<{
  indicator: IndicatorDetail;
  definition: { code: string; formula: Formula; refreshSeconds: number };
}> {
  const thresholds = thresholdsOf(input.thresholds);
  const errors = [
    ...checkFormula(input.formula, "/body/formula"),
    ...checkThresholds(input.direction, thresholds, "/body/thresholds"),
  ];
  if (!(await isArea(ctx.tx, input.areaId)))
    errors.push({ field: "/body/areaId", message: `${input.areaId} is not an Area entity of the twin` });
  if (errors.length > 0) throw invalid(errors);
  const formula = input.formula as Formula;
  const now = ctx.clock.now().toISOString();
  const inserted = await insertIndicators(
    ctx.tx,
    [
      {
        code: input.code,
        name: input.name,
        description: input.description ?? null,
        unit: input.unit,
        category: input.category,
        areaId: input.areaId,
        formula,
        refreshSeconds: input.refreshSeconds,
        direction: input.direction,
        ...thresholds,
      },
    ],
    now,
  );
  if (inserted.length === 0)
    throw new AppError(IndicatorErrors.INDICATOR_EXISTS, {
      message: `Indicator ${input.code} exists already`,
    });
  await appendAudit(ctx.tx, ctx, {
    action: "operations.indicator.created",
    resourceType: "indicator",
    resourceId: input.code,
    details: { name: input.name, category: input.category, areaId: input.areaId, formula },
  });
  try {
    // A savepoint: a formula the database cannot run (e.g. a bad regular expression in q) is the caller's error.
    await ctx.tx.transaction((sp) => evaluateInTx(sp, ctx.clock, [{ code: input.code, formula }]));
  } catch (e) {
    const error = e as { code?: string; message?: string; cause?: { code?: string; message?: string } };
    const sqlState = error.cause?.code ?? error.code;
    // Only the database's refusals (a SQLSTATE of class 22, data exceptions) are the formula's fault.
    if (!sqlState?.startsWith("22")) throw e;
    const message = error.cause?.message ?? error.message;
    throw invalid([{ field: "/body/formula", message: `cannot be evaluated: ${message}` }]);
  }
  return {
    indicator: await getIndicator(ctx, input.code, 10),
    definition: { code: input.code, formula, refreshSeconds: input.refreshSeconds },
  };
}

export interface ThresholdsInput {
  direction?: Direction | undefined;
  attention?: number | null | undefined;
  warning?: number | null | undefined;
  alarm?: number | null | undefined;
}

/**
 * New thresholds (and direction): the level is recomputed from the current value at once; a level
 * change is an event like any other (the system's), the change of thresholds is the caller's.
 */
export async function updateIndicatorThresholds(
  ctx: Ctx,
  code: string,
  input: ThresholdsInput,
): Promise<IndicatorView> {
  const row = await findIndicatorRow(ctx.tx, code, true);
  if (!row) throw notFound(code);
  const direction = input.direction ?? row.direction;
  const thresholds: Thresholds = {
    attention: input.attention === undefined ? row.thresholds.attention : input.attention,
    warning: input.warning === undefined ? row.thresholds.warning : input.warning,
    alarm: input.alarm === undefined ? row.thresholds.alarm : input.alarm,
  };
  const errors = checkThresholds(direction, thresholds, "/body");
  if (errors.length > 0) throw invalid(errors);
  const level = nextLevel(row.value, row.level, direction, thresholds);
  const now = ctx.clock.now().toISOString();
  await updateIndicatorDefinition(
    ctx.tx,
    code,
    { direction, ...thresholds, level, levelChanged: level !== row.level },
    now,
  );
  await appendAudit(ctx.tx, ctx, {
    action: "operations.indicator.thresholds-updated",
    resourceType: "indicator",
    resourceId: code,
    details: {
      before: { direction: row.direction, ...row.thresholds },
      after: { direction, ...thresholds },
    },
  });
  if (isLevelChange(row.level, level))
    await recordLevelChanges(ctx.tx, ctx.clock, [
      { code, from: row.level, to: level, value: row.value, at: now },
    ]);
  const updated = await findIndicatorRow(ctx.tx, code);
  const { formula: _formula, ...view } = updated!;
  return view;
}
