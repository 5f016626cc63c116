/**
 * The time-series store's upkeep, run hourly as a job: day partitions of readings made two days
 * ahead, readings older than TELEMETRY_RAW_DAYS dropped (whole partitions), minute roll-ups kept 30
 * days and hour roll-ups two years.
 */
import type { Db } from "../../../kernel/db/db";
import { rawQuery } from "../../../kernel/db/db";

export const MAINTENANCE_JOB = "operations.telemetry.maintain";
export const MINUTE_ROLLUP_DAYS = 30;
export const HOUR_ROLLUP_DAYS = 730;
const DAY = 86_400_000;

function dayName(day: Date): string {
  return `readings_${day.toISOString().slice(0, 10).replaceAll("-", "")}`;
}

export async function maintainTelemetry(
  db: Db,
  now: Date,
  rawDays: number,
): Promise<{ created: string[]; dropped: string[]; pruned: number }> {
  const today = new Date(Math.floor(now.getTime() / DAY) * DAY);
  const created: string[] = [];
  const existing = new Set(
    (
      await rawQuery<{ name: string }>(
        db,
        `select c.relname as name from pg_inherits i
           join pg_class c on c.oid = i.inhrelid join pg_class p on p.oid = i.inhparent
           join pg_namespace n on n.oid = p.relnamespace
         where n.nspname = 'operations' and p.relname = 'readings'`,
        [],
      )
    ).map((r) => r.name),
  );
  for (let d = 0; d <= 2; d++) {
    const from = new Date(today.getTime() + d * DAY);
    const to = new Date(from.getTime() + DAY);
    const name = dayName(from);
    if (existing.has(name)) continue;
    // Rows of this day already in the default partition (clock skew) would block the new one.
    const [held] = await rawQuery<{ n: number }>(
      db,
      "select count(*)::int as n from operations.readings_default where observed_at >= $1 and observed_at < $2",
      [from.toISOString(), to.toISOString()],
    );
    if ((held?.n ?? 0) > 0) continue;
    await rawQuery(
      db,
      `create table if not exists operations.${name} partition of operations.readings
         for values from ('${from.toISOString()}') to ('${to.toISOString()}')`,
      [],
    );
    created.push(name);
  }
  const cutoff = new Date(today.getTime() - rawDays * DAY);
  const dropped: string[] = [];
  for (const name of existing) {
    const m = /^readings_(\d{4})(\d{2})(\d{2})$/.exec(name);
    if (!m) continue;
    const day = Date.parse(`${m[1]}-${m[2]}-${m[3]}T00:00:00Z`);
    if (day + DAY <= cutoff.getTime()) {
      await rawQuery(db, `drop table if exists operations.${name}`, []);
      dropped.push(name);
    }
  }
  const [pruned] = await rawQuery<{ n: number }>(
    db,
    `with a as (delete from operations.readings_default where observed_at < $1 returning 1),
          b as (delete from operations.readings_1m where bucket < $2 returning 1),
          c as (delete from operations.readings_1h where bucket < $3 returning 1)
     select ((select count(*) from a) + (select count(*) from b) + (select count(*) from c))::int as n`,
    [
      cutoff.toISOString(),
      new Date(today.getTime() - MINUTE_ROLLUP_DAYS * DAY).toISOString(),
      new Date(today.getTime() - HOUR_ROLLUP_DAYS * DAY).toISOString(),
    ],
  );
  return { created, dropped, pruned: pruned?.n ?? 0 };
}
