import { Empty, Spin, Tag, Timeline } from "antd";
import { ProblemAlert } from "../../shared/components/ProblemAlert";
import { ProcessDiagram } from "../../shared/components/ProcessDiagram";
import { formatDateTime } from "../../shared/format";
import { useRequest } from "../../shared/hooks/useRequest";
import { type Translate, useT } from "../../shared/i18n";
import {
  doneElements,
  getProcess,
  type HistoryEntry,
  type InstanceDetail,
  type InstanceState,
  type TaskState,
} from "../../shared/workflow";

const DAY_MS = 86_400_000;

/** The due date: red once overdue, orange within a day of it. */
export function DueTag({
  dueAt,
  overdue,
  open = true,
}: {
  dueAt: string | null;
  overdue: boolean;
  open?: boolean;
}) {
  const t = useT();
  if (!dueAt) return <span className="ff-muted">—</span>;
  const text = formatDateTime(dueAt).slice(0, 16);
  if (open && overdue) {
    return (
      <span className="ff-due">
        <Tag color="red" data-testid="task-overdue">
          {t("task.overdue")}
        </Tag>
        <span className="ff-nowrap">{text}</span>
      </span>
    );
  }
  if (open && Date.parse(dueAt) - Date.now() < DAY_MS) {
    return (
      <Tag color="orange" data-testid="task-due-soon">
        {text}
      </Tag>
    );
  }
  return <span className="ff-nowrap">{text}</span>;
}

export function TaskStateTag({ state, t }: { state: TaskState; t: Translate }) {
  const color = state === "open" ? "processing" : state === "completed" ? "success" : "default";
  return <Tag color={color}>{t(`task.state.${state}`)}</Tag>;
}

export function InstanceStateTag({ state, t }: { state: InstanceState; t: Translate }) {
  const color = state === "active" ? "processing" : state === "completed" ? "success" : "default";
  return (
    <Tag color={color} data-testid="instance-state">
      {t(`instance.state.${state}`)}
    </Tag>
  );
}

const EVENT_COLORS: Record<HistoryEntry["event"], string> = {
  started: "blue",
  completed: "green",
  cancelled: "gray",
  taken: "gray",
  triggered: "blue",
};

/** What happened to an instance, oldest first; sequence flows taken are left out as noise. */
export function HistoryTimeline({ history }: { history: HistoryEntry[] }) {
  const t = useT();
  const entries = history
    .filter((h) => h.event !== "taken")
    .sort((a, b) => Date.parse(a.at) - Date.parse(b.at));
  if (entries.length === 0)
    return <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t("instance.noHistory")} />;
  return (
    <Timeline
      className="ff-history"
      data-testid="instance-history"
      items={entries.map((h, i) => ({
        key: `${h.elementId}-${h.event}-${i}`,
        color: EVENT_COLORS[h.event] ?? "gray",
        content: (
          <div className="ff-history-item">
            <div>
              <strong>{h.elementName || h.elementId}</strong>{" "}
              <span className="ff-muted">{t(`history.event.${h.event}`)}</span>
            </div>
            <div className="ff-muted ff-small">
              {h.actor ? `${h.actor.name} · ` : ""}
              {formatDateTime(h.at)}
            </div>
          </div>
        ),
      }))}
    />
  );
}

/** The diagram of the instance's own process version, with where it is and where it has been. */
export function InstanceDiagram({ instance }: { instance: InstanceDetail }) {
  const process = useRequest(
    (signal) => getProcess(instance.processKey, instance.version, signal),
    [instance.processKey, instance.version],
  );
  return (
    <>
      <ProblemAlert error={process.error} onRetry={process.reload} />
      {process.loading && !process.data && <Spin className="ff-block-spin" />}
      {process.data && (
        <ProcessDiagram
          xml={process.data.xml}
          active={instance.activeElements}
          done={doneElements(instance)}
        />
      )}
    </>
  );
}

/** A variable's value as text: JSON for anything that is not a plain scalar. */
export function variableText(value: unknown, t: Translate): string {
  if (value === null || value === undefined) return "—";
  if (typeof value === "boolean") return value ? t("common.yes") : t("common.no");
  if (typeof value === "string" || typeof value === "number") return String(value);
  return JSON.stringify(value);
}
