import { Tag } from "antd";
import { useMemo } from "react";
import { shanghaiToday } from "../../../shared/format";
import { useRequest } from "../../../shared/hooks/useRequest";
import type { Translate } from "../../../shared/i18n";
import { type Light, type LightCounts, workingDaysBetween } from "../../../shared/office";
import "./supervision.css";

/** The item's light as a coloured dot with its meaning for screen readers. */
export function LightDot({ light, t }: { light: Light; t: Translate }) {
  return (
    <span
      className={`ff-light ff-light-${light}`}
      role="img"
      aria-label={t(`office.sup.light.${light}`)}
      title={t(`office.sup.light.${light}`)}
      data-light={light}
    />
  );
}

const TAG_COLORS: Record<Light, string> = { red: "red", yellow: "gold", green: "green", done: "default" };

export function LightTag({ light, t }: { light: Light; t: Translate }) {
  return (
    <Tag color={TAG_COLORS[light]} data-testid="sup-light">
      <LightDot light={light} t={t} /> {t(`office.sup.light.${light}`)}
    </Tag>
  );
}

/** One department's (or the whole board's) items as a bar split by colour. */
export function LightBar({ counts, t }: { counts: LightCounts; t: Translate }) {
  const total = counts.red + counts.yellow + counts.green + counts.done;
  if (total === 0) return <div className="ff-light-bar ff-light-bar-empty" />;
  return (
    <div
      className="ff-light-bar"
      role="img"
      aria-label={(["red", "yellow", "green", "done"] as const)
        .map((l) => `${t(`office.sup.light.${l}`)} ${counts[l]}`)
        .join("，")}
    >
      {(["red", "yellow", "green", "done"] as const).map((l) =>
        counts[l] > 0 ? (
          <span
            key={l}
            className={`ff-light-bar-part ff-light-bg-${l}`}
            style={{ flexGrow: counts[l] }}
            title={`${t(`office.sup.light.${l}`)} ${counts[l]}`}
          />
        ) : null,
      )}
    </div>
  );
}

/** Working days from today to the deadline's day (negative once past it), from the kernel calendar. */
export function useWorkingDaysLeft(dueAt: string | null) {
  const today = shanghaiToday();
  const dueDay = useMemo(() => (dueAt ? shanghaiToday(new Date(dueAt)) : null), [dueAt]);
  return useRequest(
    (signal) =>
      dueDay ? workingDaysBetween(today, dueDay, signal).then((r) => r.workingDays) : Promise.resolve(null),
    [today, dueDay],
  );
}

/** "3 working days left", "due today", "5 working days overdue". */
export function countdownText(days: number, dueAt: string, t: Translate, now = Date.now()): string {
  if (Date.parse(dueAt) < now) return t("office.sup.overdueDays", { days: Math.max(1, -days) });
  if (days <= 0) return t("office.sup.dueToday");
  return t("office.sup.daysLeft", { days });
}
