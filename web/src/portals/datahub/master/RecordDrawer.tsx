import { CheckCircleFilled } from "@ant-design/icons";
import { Alert, Descriptions, Drawer, Empty, Spin, Table, Tabs, Tag, Timeline } from "antd";
import type { ColumnsType } from "antd/es/table";
import { type HTMLAttributes, useState } from "react";
import type { Base } from "../../../shared/datahub";
import { formatDateTime } from "../../../shared/format";
import { useIsMobile } from "../../../shared/hooks/useMediaQuery";
import { useRequest } from "../../../shared/hooks/useRequest";
import { type Translate, useT } from "../../../shared/i18n";
import {
  type Explanation,
  explainRecord,
  type FieldValue,
  fieldsOf,
  type GoldenFieldView,
  type GoldenRecord,
  KEY_FIELD,
  readRecord,
} from "../../../shared/masterdata";
import {
  BaseTag,
  failureReason,
  fieldTitle,
  historyReason,
  MasterProblem,
  RuleTag,
  useMasterRoles,
  ValueText,
} from "./masterParts";

type FieldRow = GoldenFieldView & { field: string };

function fieldRows(record: GoldenRecord): FieldRow[] {
  return fieldsOf(record.base)
    .filter((f) => record.fields[f])
    .map((f) => ({ ...record.fields[f]!, field: f }))
    .concat(
      Object.entries(record.fields)
        .filter(([f]) => !fieldsOf(record.base).includes(f))
        .map(([f, v]) => ({ ...v, field: f })),
    );
}

/** Each field: its value (masked ones with a lock), the department it came from and why it was chosen. */
function Fields({ record, t, mobile }: { record: GoldenRecord; t: Translate; mobile: boolean }) {
  const rows = fieldRows(record);
  const value = (r: FieldRow) => (
    <ValueText value={r.value} masked={r.masked} t={t} testId={`master-record-masked-${r.field}`} />
  );
  if (mobile)
    return (
      <div className="ff-card-list" data-testid="master-record-fields">
        {rows.map((r) => (
          <div key={r.field} className="ff-staff-card" data-testid={`master-record-field-${r.field}`}>
            <span className="ff-staff-card-head">
              <strong>{fieldTitle(record.base, r.field, t, r.title)}</strong>
              <RuleTag rule={r.rule} t={t} />
            </span>
            {value(r)}
            <span className="ff-muted ff-small">
              {r.departmentName} · {r.sourceName}
            </span>
          </div>
        ))}
      </div>
    );
  const columns: ColumnsType<FieldRow> = [
    {
      title: t("master.review.field"),
      key: "title",
      width: 140,
      render: (_, r) => <strong>{fieldTitle(record.base, r.field, t, r.title)}</strong>,
    },
    { title: t("master.record.value"), key: "value", render: (_, r) => value(r) },
    {
      title: t("master.record.department"),
      key: "department",
      width: 220,
      render: (_, r) => (
        <span>
          {r.departmentName}
          <div className="ff-muted ff-small">{r.sourceName}</div>
        </span>
      ),
    },
    {
      title: t("master.record.rule"),
      key: "rule",
      width: 100,
      render: (_, r) => <RuleTag rule={r.rule} t={t} />,
    },
    {
      title: t("master.record.at"),
      dataIndex: "at",
      width: 150,
      render: (v: string) => <span className="ff-small ff-nowrap">{formatDateTime(v).slice(0, 16)}</span>,
    },
  ];
  return (
    <Table<FieldRow>
      rowKey="field"
      size="small"
      columns={columns}
      dataSource={rows}
      pagination={false}
      onRow={(r) => ({ "data-testid": `master-record-field-${r.field}` }) as HTMLAttributes<HTMLElement>}
      data-testid="master-record-fields"
    />
  );
}

const same = (a: FieldValue | undefined, b: FieldValue | undefined) => String(a ?? "") === String(b ?? "");

/** 溯源: for each field every source's value, the one chosen, the rule that chose it and the responsible department. */
function Provenance({ explained, t }: { explained: Explanation; t: Translate }) {
  const held = explained.explanation.filter((e) => e.candidates.length > 0);
  const empty = explained.explanation.filter((e) => e.candidates.length === 0);
  return (
    <div data-testid="master-record-explanation">
      {held.map((e) => {
        const golden = explained.fields[e.field];
        // The chosen record: the chosen source's, with the golden value when that source gave several.
        const chosenIndex = (() => {
          if (!e.chosen) return -1;
          const bySource = e.candidates
            .map((c, i) => (c.source === e.chosen!.source ? i : -1))
            .filter((i) => i >= 0);
          return bySource.find((i) => same(e.candidates[i]!.value, golden?.value)) ?? bySource[0] ?? -1;
        })();
        const chosenDepartment = chosenIndex >= 0 ? e.candidates[chosenIndex]!.departmentName : "";
        return (
          <section key={e.field} className="ff-master-explain" data-testid={`master-explain-${e.field}`}>
            <div className="ff-master-explain-head">
              <strong>{fieldTitle(explained.base, e.field, t, e.title)}</strong>
              {e.chosen && <RuleTag rule={e.chosen.rule} t={t} />}
              <span className="ff-muted ff-small">
                {e.authority
                  ? t("master.explain.authority", { department: e.authority })
                  : t("master.explain.noAuthority")}
              </span>
            </div>
            {e.chosen && (
              <div className="ff-small ff-master-explain-why" data-testid={`master-explain-why-${e.field}`}>
                {t(`master.explain.why.${e.chosen.rule}`, {
                  department: chosenDepartment,
                  count: e.candidates.length,
                })}
              </div>
            )}
            <ul className="ff-master-candidates">
              {e.candidates.map((c, i) => (
                <li
                  key={`${c.source}/${c.recordId}`}
                  className={
                    i === chosenIndex ? "ff-master-candidate ff-master-chosen" : "ff-master-candidate"
                  }
                  data-chosen={i === chosenIndex}
                  data-testid={`master-explain-${e.field}-${c.source}`}
                >
                  <span className="ff-master-candidate-value">
                    {i === chosenIndex && (
                      <CheckCircleFilled
                        className="ff-master-chosen-icon"
                        aria-label={t("master.explain.chosen")}
                      />
                    )}
                    <ValueText value={c.value} masked={golden?.masked} t={t} />
                    {c.invalid && (
                      <Tag color="orange" className="ff-master-inline-tag">
                        {t("master.explain.invalid", { reason: failureReason(c.invalid, t) })}
                      </Tag>
                    )}
                  </span>
                  <span className="ff-muted ff-small">
                    {c.departmentName} · {c.sourceName} · <span className="ff-mono">{c.recordId}</span> ·{" "}
                    {formatDateTime(c.at).slice(0, 16)}
                  </span>
                </li>
              ))}
            </ul>
          </section>
        );
      })}
      {empty.length > 0 && (
        <p className="ff-muted ff-small">
          {t("master.explain.noSource", {
            fields: empty
              .map((e) => fieldTitle(explained.base, e.field, t, e.title))
              .join(t("common.listSeparator")),
          })}
        </p>
      )}
    </div>
  );
}

/** 版本记录: each version, what made it, and which fields changed from the one before. */
function History({ explained, t }: { explained: Explanation; t: Translate }) {
  const names = new Map<string, string>();
  for (const e of explained.explanation) for (const c of e.candidates) names.set(c.source, c.sourceName);
  const sourceName = (code: string) => names.get(code) ?? code;
  const versions = explained.history;
  if (versions.length === 0) return <Empty description={t("master.history.empty")} />;
  return (
    <Timeline
      className="ff-history"
      data-testid="master-record-history"
      items={versions.map((h, i) => {
        const before = versions[i + 1];
        const changed = before
          ? Object.keys({ ...before.changes, ...h.changes }).filter(
              (f) => !same(before.changes[f], h.changes[f]),
            )
          : [];
        return {
          key: h.version,
          color: i === 0 ? "blue" : "gray",
          content: (
            <div className="ff-history-item" data-testid={`master-history-${h.version}`}>
              <div>
                <strong>{t("master.history.version", { version: h.version })}</strong>{" "}
                <span className="ff-muted ff-small">{formatDateTime(h.at)}</span>
              </div>
              <div>{historyReason(h.reason, sourceName, t)}</div>
              {before ? (
                changed.length > 0 && (
                  <ul className="ff-master-changes">
                    {changed.map((f) => (
                      <li key={f}>
                        <span className="ff-muted">{fieldTitle(explained.base, f, t)}：</span>
                        <del className="ff-master-del">{before.changes[f] ?? "—"}</del> →{" "}
                        <ins className="ff-master-ins">{h.changes[f] ?? "—"}</ins>
                      </li>
                    ))}
                  </ul>
                )
              ) : (
                <div className="ff-muted ff-small">
                  {t("master.history.first", { count: Object.keys(h.changes).length })}
                </div>
              )}
            </div>
          ),
        };
      })}
    />
  );
}

type Tab = "fields" | "explain" | "history";

/** A golden record (人口库 / 法人库): its fields with provenance; for officers the explanation and history. */
export function RecordDrawer({ base, id, onClose }: { base: Base; id: string | null; onClose: () => void }) {
  const t = useT();
  const mobile = useIsMobile();
  const { officer } = useMasterRoles();
  const [tab, setTab] = useState<Tab>("fields");
  // The explanation is read (and audited) once the officer opens its tab, then kept while the record shows.
  const [explainId, setExplainId] = useState<string | null>(null);
  const record = useRequest(
    (signal) => (id ? readRecord(base, id, signal) : Promise.resolve(null)),
    [base, id],
  );
  const explained = useRequest(
    (signal) => (explainId ? explainRecord(base, explainId, signal) : Promise.resolve(null)),
    [base, explainId],
  );
  const r = record.data;
  const name = r?.fields.name;
  const key = r?.fields[KEY_FIELD[base]];
  const x = explained.data;

  return (
    <Drawer
      open={id !== null}
      onClose={onClose}
      afterOpenChange={(open) => {
        if (open) return;
        setTab("fields");
        setExplainId(null);
      }}
      size={mobile ? "100%" : 880}
      destroyOnHidden
      title={
        r ? (
          <span className="ff-master-record-title">
            <ValueText value={name?.value} masked={name?.masked} t={t} />
            <BaseTag base={base} t={t} />
          </span>
        ) : (
          t("master.record.title")
        )
      }
      data-testid="master-record-drawer"
    >
      <MasterProblem error={record.error} onRetry={record.reload} />
      {!r && record.loading && <Spin className="ff-block-spin" />}
      {r && (
        <div data-testid={`master-record-${r.id}`}>
          {r.status !== "active" && (
            <Alert type="warning" showIcon title={t("master.record.retired")} className="ff-resource-alert" />
          )}
          <Descriptions size="small" column={mobile ? 1 : 3} className="ff-master-record-facts">
            <Descriptions.Item label={fieldTitle(base, KEY_FIELD[base], t)}>
              <span className="ff-mono">
                <ValueText value={key?.value} masked={key?.masked} t={t} />
              </span>
            </Descriptions.Item>
            <Descriptions.Item label={t("master.record.sources")}>
              <span data-testid="master-record-sources">{r.sources}</span>
            </Descriptions.Item>
            <Descriptions.Item label={t("master.record.version")}>
              {t("master.history.version", { version: r.version })} ·{" "}
              {formatDateTime(r.updatedAt).slice(0, 16)}
            </Descriptions.Item>
          </Descriptions>
          <Tabs
            activeKey={tab}
            onChange={(k) => {
              setTab(k as Tab);
              if (k !== "fields" && officer) setExplainId(id);
            }}
            items={[
              {
                key: "fields",
                label: <span data-testid="master-record-tab-fields">{t("master.record.tab.fields")}</span>,
                children: <Fields record={r} t={t} mobile={mobile} />,
              },
              ...(officer
                ? (["explain", "history"] as const).map((k) => ({
                    key: k,
                    label: <span data-testid={`master-record-tab-${k}`}>{t(`master.record.tab.${k}`)}</span>,
                    children: (
                      <>
                        <MasterProblem error={explained.error} onRetry={explained.reload} />
                        {!x && explained.loading && <Spin className="ff-block-spin" />}
                        {x && x.id === r.id && k === "explain" && <Provenance explained={x} t={t} />}
                        {x && x.id === r.id && k === "history" && <History explained={x} t={t} />}
                      </>
                    ),
                  }))
                : []),
            ]}
          />
        </div>
      )}
    </Drawer>
  );
}
