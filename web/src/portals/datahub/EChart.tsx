import { Spin } from "antd";
import type { ECharts, EChartsOption } from "echarts";
import { useEffect, useRef, useState } from "react";
import { ProblemAlert } from "../../shared/components/ProblemAlert";

interface Props {
  option: EChartsOption;
  height: number;
  testId: string;
  /** What the chart shows, for screen readers (ECharts adds a description of the data). */
  label: string;
  /** A click on a data point: its category axis index and name. */
  onPick?: (point: { dataIndex: number; name: string }) => void;
}

/**
 * One ECharts chart. The library loads on first use, so pages without a chart never download it; the chart
 * follows its container's width.
 */
export function EChart({ option, height, testId, label, onPick }: Props) {
  const host = useRef<HTMLDivElement>(null);
  const [chart, setChart] = useState<ECharts | null>(null);
  const [error, setError] = useState<unknown>(null);

  useEffect(() => {
    let cancelled = false;
    let created: ECharts | null = null;
    let observer: ResizeObserver | null = null;
    import("echarts").then(
      (echarts) => {
        if (cancelled || !host.current) return;
        created = echarts.init(host.current);
        const instance = created;
        observer = new ResizeObserver(() => instance.resize());
        observer.observe(host.current);
        setChart(instance);
      },
      (reason: unknown) => !cancelled && setError(reason),
    );
    return () => {
      cancelled = true;
      observer?.disconnect();
      created?.dispose();
    };
  }, []);

  useEffect(() => {
    chart?.setOption({ aria: { enabled: true }, ...option }, true);
  }, [chart, option]);

  useEffect(() => {
    if (!chart || !onPick) return;
    const handler = (params: { dataIndex?: number; name?: string }) =>
      onPick({ dataIndex: params.dataIndex ?? 0, name: params.name ?? "" });
    chart.on("click", handler);
    return () => {
      chart.off("click", handler);
    };
  }, [chart, onPick]);

  return (
    <>
      <ProblemAlert error={error} />
      <Spin spinning={!chart && !error}>
        <div
          ref={host}
          role="img"
          aria-label={label}
          className="ff-echart"
          style={{ height }}
          data-testid={testId}
          data-ready={chart ? "true" : "false"}
        />
      </Spin>
    </>
  );
}
