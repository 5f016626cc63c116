import { CompressOutlined, ZoomInOutlined, ZoomOutOutlined } from "@ant-design/icons";
import { Button, Spin, Tooltip } from "antd";
import { useEffect, useRef, useState } from "react";
import type { Canvas, ElementRegistry } from "../bpmn/services";
import type { NavigatedViewer } from "../bpmn/viewer";
import { useIsMobile } from "../hooks/useMediaQuery";
import { useT } from "../i18n";
import { ProblemAlert } from "./ProblemAlert";

interface Props {
  xml: string;
  /** Element ids where the instance waits now: highlighted. */
  active?: readonly string[];
  /** Element ids the instance has completed. */
  done?: readonly string[];
  height?: number;
}

const NONE: readonly string[] = [];

/**
 * A read-only BPMN diagram that can be panned and zoomed, with the current position highlighted.
 * bpmn-js loads on first use, so pages without a diagram never download it.
 */
export function ProcessDiagram({ xml, active = NONE, done = NONE, height }: Props) {
  const t = useT();
  const mobile = useIsMobile();
  const host = useRef<HTMLDivElement>(null);
  const viewer = useRef<NavigatedViewer | null>(null);
  const [ready, setReady] = useState(0);
  const [error, setError] = useState<unknown>(null);
  const [loading, setLoading] = useState(true);

  useEffect(() => {
    let cancelled = false;
    let created: NavigatedViewer | null = null;
    setLoading(true);
    setError(null);
    (async () => {
      const { NavigatedViewer } = await import("../bpmn/viewer");
      if (cancelled || !host.current) return;
      created = new NavigatedViewer({ container: host.current });
      await created.importXML(xml);
      if (cancelled) return;
      const canvas = created.get<Canvas>("canvas");
      canvas.resized();
      canvas.zoom("fit-viewport", "auto");
      viewer.current = created;
      setReady((n) => n + 1);
    })().then(
      () => !cancelled && setLoading(false),
      (reason: unknown) => {
        if (cancelled) return;
        setError(reason);
        setLoading(false);
      },
    );
    return () => {
      cancelled = true;
      viewer.current = null;
      created?.destroy();
    };
  }, [xml]);

  const activeKey = active.join("\n");
  const doneKey = done.join("\n");
  useEffect(() => {
    const current = viewer.current;
    if (!ready || !current) return;
    const canvas = current.get<Canvas>("canvas");
    const registry = current.get<ElementRegistry>("elementRegistry");
    const marks: [string, string][] = [
      ...(doneKey ? doneKey.split("\n") : []).map((id): [string, string] => [id, "ff-done"]),
      ...(activeKey ? activeKey.split("\n") : []).map((id): [string, string] => [id, "ff-active"]),
    ].filter(([id]) => registry.get(id));
    for (const [id, marker] of marks) canvas.addMarker(id, marker);
    return () => {
      for (const [id, marker] of marks) canvas.removeMarker(id, marker);
    };
  }, [ready, activeKey, doneKey]);

  const zoom = (factor: number | "fit") => {
    const canvas = viewer.current?.get<Canvas>("canvas");
    if (!canvas) return;
    if (factor === "fit") {
      canvas.resized();
      canvas.zoom("fit-viewport", "auto");
    } else canvas.zoom(canvas.zoom() * factor);
  };

  return (
    <div className="ff-diagram" data-testid="process-diagram">
      <ProblemAlert error={error} style={{ marginBottom: 8 }} />
      <Spin spinning={loading}>
        <div
          ref={host}
          className="ff-bpmn ff-diagram-canvas"
          style={{ height: height ?? (mobile ? 280 : 380) }}
          role="img"
          aria-label={t("workflow.diagram")}
        />
      </Spin>
      <div className="ff-diagram-tools">
        <span className="ff-diagram-legend ff-small">
          <span className="ff-legend-item">
            <span className="ff-diagram-swatch ff-diagram-swatch-active" />
            {t("workflow.legendActive")}
          </span>
          <span className="ff-legend-item">
            <span className="ff-diagram-swatch ff-diagram-swatch-done" />
            {t("workflow.legendDone")}
          </span>
        </span>
        <Tooltip title={t("workflow.zoomIn")}>
          <Button
            size="small"
            icon={<ZoomInOutlined />}
            aria-label={t("workflow.zoomIn")}
            onClick={() => zoom(1.25)}
          />
        </Tooltip>
        <Tooltip title={t("workflow.zoomOut")}>
          <Button
            size="small"
            icon={<ZoomOutOutlined />}
            aria-label={t("workflow.zoomOut")}
            onClick={() => zoom(0.8)}
          />
        </Tooltip>
        <Tooltip title={t("workflow.zoomFit")}>
          <Button
            size="small"
            icon={<CompressOutlined />}
            aria-label={t("workflow.zoomFit")}
            onClick={() => zoom("fit")}
          />
        </Tooltip>
      </div>
    </div>
  );
}
