import { Empty, Segmented, Spin } from "antd";
import type { EChartsOption } from "echarts";
import { useMemo, useState } from "react";
import { ProblemAlert } from "../../../shared/components/ProblemAlert";
import { useRequest } from "../../../shared/hooks/useRequest";
import { useLocale, useT } from "../../../shared/i18n";
import { getTwinHistory } from "../../../shared/twin";
import { EChart } from "../../datahub/EChart";
import { attributeLabel, formatNumber, unitLabel } from "./twinFormat";

const DAY_MS = 24 * 60 * 60 * 1000;

interface Props {
  entityId: string;
  entityName: string;
  /** The readings the sensor reports; the first is shown first. */
  readings: readonly string[];
  /** unitCode of each reading, from the entity. */
  units: Record<string, string | undefined>;
  /** The page's refresh count: the history is read again every HISTORY_EVERY refreshes. */
  generation: number;
}

/** A 24-hour chart of 5-minute averages gains a point every 5 minutes; reading it every minute is plenty. */
const HISTORY_EVERY = 6;

/** A sensor's last 24 hours from the temporal API, as 5-minute averages of one reading at a time. */
export function HistoryChart({ entityId, entityName, readings, units, generation }: Props) {
  const t = useT();
  const locale = useLocale();
  const [chosen, setChosen] = useState<string>(readings[0] ?? "");
  const reading = readings.includes(chosen) ? chosen : (readings[0] ?? "");
  const history = useRequest(
    (signal) =>
      getTwinHistory(entityId, reading, { from: new Date(Date.now() - DAY_MS), period: "PT5M" }, signal),
    [entityId, reading, Math.floor(generation / HISTORY_EVERY)],
  );
  const label = attributeLabel(reading, t);
  const unit = unitLabel(reading, units[reading], t);
  const points = history.data;

  const option = useMemo<EChartsOption | null>(() => {
    if (!points) return null;
    // A relative humidity arrives as a fraction; the axis reads in percent like the drawer.
    const scale = reading === "relativeHumidity" && points.every((p) => p.value <= 1) ? 100 : 1;
    const axis = {
      axisLine: { lineStyle: { color: "#2a3d5c" } },
      splitLine: { lineStyle: { color: "#1b2b44" } },
    };
    return {
      // Drawn at once: the values move every few seconds, and a replayed drawing would only lag behind them.
      animation: false,
      textStyle: { color: "#a6b3c6" },
      color: ["#69b1ff"],
      grid: { left: 48, right: 16, top: 28, bottom: 28 },
      tooltip: {
        trigger: "axis",
        valueFormatter: (v) => `${formatNumber(Number(v), locale)}${unit ? ` ${unit}` : ""}`,
      },
      xAxis: { type: "time", ...axis, splitLine: { show: false } },
      yAxis: { type: "value", name: unit, scale: true, nameTextStyle: { align: "left" }, ...axis },
      series: [
        {
          type: "line",
          name: label,
          showSymbol: false,
          smooth: true,
          areaStyle: { opacity: 0.12 },
          data: points.map((p) => [p.at, p.value * scale]),
        },
      ],
    };
  }, [points, reading, unit, label, locale]);

  return (
    <div className="ff-twin-history" data-testid="twin-history">
      {readings.length > 1 && (
        <Segmented
          size="small"
          value={reading}
          onChange={(v) => setChosen(String(v))}
          options={readings.map((r) => ({ value: r, label: attributeLabel(r, t) }))}
          data-testid="twin-history-reading"
        />
      )}
      <ProblemAlert error={history.error} onRetry={history.reload} />
      {history.loading && !points ? (
        <Spin className="ff-twin-history-spin" />
      ) : option ? (
        <EChart
          option={option}
          height={200}
          testId="twin-history-chart"
          label={t("twin.history.chartLabel", { name: entityName, attr: label })}
        />
      ) : (
        !history.error && (
          <Empty
            image={Empty.PRESENTED_IMAGE_SIMPLE}
            description={t("twin.history.empty")}
            data-testid="twin-history-empty"
          />
        )
      )}
    </div>
  );
}
