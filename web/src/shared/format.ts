/** Dates and times are shown in Asia/Shanghai whatever the browser's own time zone is. */
export const TIME_ZONE = "Asia/Shanghai";

const partsFormatter = new Intl.DateTimeFormat("en-US", {
  timeZone: TIME_ZONE,
  year: "numeric",
  month: "2-digit",
  day: "2-digit",
  hour: "2-digit",
  minute: "2-digit",
  second: "2-digit",
  hourCycle: "h23",
});

interface Parts {
  year: string;
  month: string;
  day: string;
  hour: string;
  minute: string;
  second: string;
}

function shanghaiParts(instant: Date): Parts {
  const out: Record<string, string> = {};
  for (const part of partsFormatter.formatToParts(instant)) out[part.type] = part.value;
  return {
    year: out.year ?? "",
    month: out.month ?? "",
    day: out.day ?? "",
    hour: out.hour ?? "",
    minute: out.minute ?? "",
    second: out.second ?? "",
  };
}

function toDate(value: string | Date): Date | null {
  const date = value instanceof Date ? value : new Date(value);
  return Number.isNaN(date.getTime()) ? null : date;
}

/** "2026-03-09 14:05:07" in Asia/Shanghai; "—" for null or invalid input. */
export function formatDateTime(value: string | Date | null | undefined): string {
  if (value === null || value === undefined) return "—";
  const date = toDate(value);
  if (!date) return String(value);
  const p = shanghaiParts(date);
  return `${p.year}-${p.month}-${p.day} ${p.hour}:${p.minute}:${p.second}`;
}

/** "2026-03-09" in Asia/Shanghai. */
export function formatDate(value: string | Date | null | undefined): string {
  if (value === null || value === undefined) return "—";
  const date = toDate(value);
  if (!date) return String(value);
  const p = shanghaiParts(date);
  return `${p.year}-${p.month}-${p.day}`;
}

/** Today's calendar date in Asia/Shanghai as YYYY-MM-DD. */
export function shanghaiToday(now: Date = new Date()): string {
  return formatDate(now);
}

/** Start of a Shanghai calendar day (YYYY-MM-DD) as an ISO 8601 instant with its +08:00 offset. */
export function shanghaiDayStart(date: string): string {
  return `${date}T00:00:00+08:00`;
}

/** The instant the Shanghai calendar day after `date` starts: an exclusive upper bound for `date`. */
export function shanghaiNextDayStart(date: string): string {
  const next = new Date(Date.parse(`${date}T00:00:00Z`) + 86_400_000).toISOString().slice(0, 10);
  return shanghaiDayStart(next);
}

/** The Shanghai hour of day (0–23), for greetings. */
export function shanghaiHour(now: Date = new Date()): number {
  return Number(shanghaiParts(now).hour);
}

export function formatNumber(value: number, locale: string): string {
  return new Intl.NumberFormat(locale).format(value);
}
