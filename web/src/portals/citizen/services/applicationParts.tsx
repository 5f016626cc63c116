import { FileOutlined } from "@ant-design/icons";
import { Descriptions, Empty, Steps, Tag, Timeline, Typography } from "antd";
import { formatDateTime } from "../../../shared/format";
import { useIsMobile } from "../../../shared/hooks/useMediaQuery";
import { type Translate, useT } from "../../../shared/i18n";
import {
  type ApplicationSummary,
  type ApplicationView,
  type CorrectionItem,
  type FormSchema,
  type HistoryEntry,
  type MaterialView,
  materialContentUrl,
  type RequiredMaterial,
} from "../../../shared/services";
import { sizeText } from "./MaterialsPanel";

type StepStatus = "wait" | "process" | "finish" | "error";

/** Where an application stands on 提交 → 受理 → 审查 → 办结 → 送达. */
function progressOf(app: ApplicationSummary): { current: number; status: StepStatus; note?: string } {
  switch (app.status) {
    case "draft":
      return { current: 0, status: "process" };
    case "submitted":
      return { current: 1, status: "process" };
    case "correction-requested":
      return { current: 1, status: "process", note: "services.status.correction-requested" };
    case "not-accepted":
      return { current: 1, status: "error", note: "services.status.not-accepted" };
    case "accepted":
      return { current: 2, status: "process" };
    case "approved":
    case "denied":
      return { current: 4, status: "process" };
    case "delivered":
      return { current: 4, status: "finish" };
    case "withdrawn":
      return { current: app.acceptedAt ? 2 : 1, status: "error", note: "services.status.withdrawn" };
    default:
      return { current: 0, status: "wait" };
  }
}

export function ApplicationSteps({ app }: { app: ApplicationSummary }) {
  const t = useT();
  const mobile = useIsMobile();
  const { current, status, note } = progressOf(app);
  const at = (value: string | null) => (value ? formatDateTime(value).slice(5, 16) : undefined);
  const decided =
    app.status === "denied"
      ? t("services.status.denied")
      : app.decidedAt
        ? t("services.status.approved")
        : undefined;
  const items = [
    { title: t("services.step.submit"), content: at(app.submittedAt) },
    { title: t("services.step.accept"), content: at(app.acceptedAt) },
    { title: t("services.step.review"), content: undefined },
    {
      title: t("services.step.decide"),
      content: [decided, at(app.decidedAt)].filter(Boolean).join(" "),
    },
    { title: t("services.step.deliver"), content: at(app.deliveredAt) },
  ].map((item, i) =>
    i === current && note ? { ...item, content: t(note as "services.status.withdrawn") } : item,
  );
  return (
    <Steps
      current={current}
      status={status}
      size="small"
      orientation={mobile ? "vertical" : "horizontal"}
      items={items}
      data-testid="services-steps"
      data-current={current}
      data-status={status}
      className="ff-svc-steps"
    />
  );
}

/** What the server records in an application's history, in the past tense. */
const HISTORY_ACTIONS = [
  "created",
  "updated",
  "submitted",
  "resubmitted",
  "withdrawn",
  "accepted",
  "not-accepted",
  "correction-requested",
  "approved",
  "denied",
  "special-step-started",
  "special-step-finished",
  "delivered",
  "rated",
] as const;

export function historyActionName(action: string, t: Translate): string {
  return (HISTORY_ACTIONS as readonly string[]).includes(action)
    ? t(`services.history.${action as (typeof HISTORY_ACTIONS)[number]}`)
    : action;
}

/** 办理过程: what happened, by whom, with the reason given. */
export function ApplicationHistory({ history }: { history: HistoryEntry[] }) {
  const t = useT();
  if (history.length === 0)
    return <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t("services.history.none")} />;
  const sorted = [...history].sort((a, b) => Date.parse(a.at) - Date.parse(b.at));
  return (
    <Timeline
      className="ff-history"
      data-testid="services-history"
      items={sorted.map((h, i) => ({
        key: `${h.at}-${i}`,
        color: ["not-accepted", "denied", "withdrawn"].includes(h.action)
          ? "red"
          : h.action === "correction-requested"
            ? "orange"
            : ["approved", "delivered"].includes(h.action)
              ? "green"
              : "blue",
        content: (
          <div className="ff-history-item">
            <div>
              <strong>{historyActionName(h.action, t)}</strong>
            </div>
            {h.reason && <div className="ff-small">{h.reason}</div>}
            <div className="ff-muted ff-small">
              {h.actor ? `${h.actor} · ` : ""}
              {formatDateTime(h.at)}
            </div>
          </div>
        ),
      }))}
    />
  );
}

interface PropertySchema {
  title?: string;
  type?: string;
  enum?: unknown[];
  oneOf?: { const?: unknown; title?: string }[];
}

/** A form value as text: an option's title, 是/否, or JSON for a structure. */
function valueText(value: unknown, schema: PropertySchema | undefined, t: Translate): string {
  if (value === null || value === undefined || value === "") return "—";
  const option = schema?.oneOf?.find((o) => o.const === value);
  if (option?.title) return option.title;
  if (typeof value === "boolean") return value ? t("common.yes") : t("common.no");
  if (typeof value === "string" || typeof value === "number") return String(value);
  if (Array.isArray(value) && value.every((v) => typeof v !== "object"))
    return value.join(t("common.listSeparator"));
  return JSON.stringify(value);
}

/** The fields of a form in the item's order, with the schema's titles and the prefill sources. */
export function FormDataView({
  data,
  schema,
  uiSchema,
  prefilled,
}: {
  data: Record<string, unknown>;
  schema: FormSchema | undefined;
  uiSchema?: Record<string, unknown>;
  prefilled?: Record<string, string>;
}) {
  const t = useT();
  const mobile = useIsMobile();
  const properties = (schema?.properties ?? {}) as Record<string, PropertySchema>;
  const order = Array.isArray(uiSchema?.["ui:order"]) ? (uiSchema["ui:order"] as string[]) : [];
  const names = [
    ...order.filter((n) => n !== "*" && n in properties),
    ...Object.keys(properties).filter((n) => !order.includes(n)),
    ...Object.keys(data).filter((n) => !(n in properties)),
  ];
  return (
    <Descriptions
      column={mobile ? 1 : 2}
      layout={mobile ? "vertical" : "horizontal"}
      size="small"
      styles={{ label: { width: mobile ? undefined : 140 } }}
      data-testid="services-data"
    >
      {names.map((name) => (
        <Descriptions.Item key={name} label={properties[name]?.title ?? name}>
          <div className="ff-svc-data-value">
            <div data-testid={`services-data-${name}`}>{valueText(data[name], properties[name], t)}</div>
            {prefilled?.[name] && (
              <Tag color="blue" className="ff-svc-source-tag">
                {t("services.form.suppliedBy", { department: prefilled[name] })}
              </Tag>
            )}
          </div>
        </Descriptions.Item>
      ))}
    </Descriptions>
  );
}

/** 补正通知: the reason, and each item named by its field's title or its material's name. */
export function CorrectionList({
  correction,
  schema,
  materials,
}: {
  correction: ApplicationView["correction"];
  schema: FormSchema | undefined;
  materials: RequiredMaterial[];
}) {
  if (!correction) return null;
  const properties = (schema?.properties ?? {}) as Record<string, PropertySchema>;
  const target = (item: CorrectionItem) =>
    item.field
      ? (properties[item.field]?.title ?? item.field)
      : item.material
        ? (materials.find((m) => m.code === item.material)?.name ?? item.material)
        : null;
  return (
    <div data-testid="services-correction-items">
      <div>{correction.reason}</div>
      <ul className="ff-svc-list">
        {correction.items.map((item) => (
          <li key={`${item.field ?? item.material}-${item.note}`}>
            {target(item) && <strong>{target(item)}：</strong>}
            {item.note}
          </li>
        ))}
      </ul>
    </div>
  );
}

/** Uploaded materials, opened or downloaded through the audited content route. */
export function MaterialFiles({
  applicationId,
  materials,
}: {
  applicationId: string;
  materials: MaterialView[];
}) {
  const t = useT();
  if (materials.length === 0)
    return <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t("services.materials.noFiles")} />;
  return (
    <div className="ff-svc-materials" data-testid="services-files">
      {materials.map((m) => (
        <div key={m.id} className="ff-svc-file" data-testid={`services-file-${m.id}`}>
          <FileOutlined />
          <span className="ff-svc-file-label">
            <strong>{m.name}</strong>
            <a
              href={materialContentUrl(applicationId, m.id)}
              target="_blank"
              rel="noreferrer"
              className="ff-svc-file-name"
              data-testid={`services-file-open-${m.id}`}
            >
              {m.fileName}
            </a>
          </span>
          <span className="ff-muted ff-small ff-nowrap">{sizeText(m.size)}</span>
          <Typography.Text className="ff-mono ff-small ff-svc-hash" copyable={{ text: m.sha256 }}>
            {m.sha256.slice(0, 12)}…
          </Typography.Text>
          <a
            href={materialContentUrl(applicationId, m.id)}
            download={m.fileName}
            className="ff-small"
            data-testid={`services-file-download-${m.id}`}
          >
            {t("services.materials.download")}
          </a>
        </div>
      ))}
    </div>
  );
}
