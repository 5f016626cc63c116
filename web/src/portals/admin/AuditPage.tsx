import { ReloadOutlined, SafetyCertificateOutlined, SearchOutlined } from "@ant-design/icons";
import {
  Alert,
  Button,
  Card,
  Col,
  Empty,
  Form,
  Input,
  Row,
  Select,
  Space,
  Statistic,
  Table,
  Tag,
  Tooltip,
  Typography,
} from "antd";
import type { ColumnsType } from "antd/es/table";
import { useEffect, useState } from "react";
import { useSearchParams } from "react-router";
import { api } from "../../shared/api";
import { PageHeader } from "../../shared/components/PageHeader";
import { ProblemAlert } from "../../shared/components/ProblemAlert";
import { formatDateTime, formatNumber, shanghaiDayStart, shanghaiNextDayStart } from "../../shared/format";
import { useIsMobile } from "../../shared/hooks/useMediaQuery";
import { useRequest } from "../../shared/hooks/useRequest";
import { type Translate, useLocale, useT } from "../../shared/i18n";
import { positiveInt } from "../../shared/params";
import type { AuditOutcome, AuditRecord, AuditStatus, AuditVerifyReport, Page } from "../../shared/types";

const DATE = /^\d{4}-\d{2}-\d{2}$/;

function OutcomeTag({ outcome, t }: { outcome: AuditOutcome; t: Translate }) {
  switch (outcome) {
    case "success":
      return <Tag color="success">{t("audit.outcome.success")}</Tag>;
    case "failure":
      return <Tag color="error">{t("audit.outcome.failure")}</Tag>;
    case "denied":
      return <Tag color="warning">{t("audit.outcome.denied")}</Tag>;
    default:
      return <Tag>{String(outcome)}</Tag>;
  }
}

function shortHash(hash: string): string {
  return hash.length > 20 ? `${hash.slice(0, 10)}…${hash.slice(-8)}` : hash;
}

function VerifyPanel() {
  const t = useT();
  const locale = useLocale();
  const status = useRequest(
    (signal) => api.get<AuditStatus>("/api/admin/audit/status", undefined, signal),
    [],
  );
  const [verifying, setVerifying] = useState(false);
  const [report, setReport] = useState<AuditVerifyReport | null>(null);
  const [verifyError, setVerifyError] = useState<unknown>(null);

  const verify = async () => {
    setVerifying(true);
    setVerifyError(null);
    setReport(null);
    try {
      setReport(await api.post<AuditVerifyReport>("/api/admin/audit/verify"));
      status.reload();
    } catch (error) {
      setVerifyError(error);
    } finally {
      setVerifying(false);
    }
  };

  const s = status.data;
  return (
    <Card
      className="ff-card"
      title={
        <span>
          <SafetyCertificateOutlined /> {t("audit.integrity")}
        </span>
      }
      extra={
        <Button
          type="primary"
          onClick={() => void verify()}
          loading={verifying}
          data-testid="audit-verify"
          icon={<SafetyCertificateOutlined />}
        >
          {t("audit.verify")}
        </Button>
      }
      data-testid="audit-status"
    >
      <ProblemAlert error={status.error} onRetry={status.reload} style={{ marginBottom: 12 }} />
      <Row gutter={[16, 16]}>
        <Col xs={12} md={6}>
          <Statistic
            title={t("audit.treeSize")}
            value={s ? formatNumber(s.treeSize, locale) : "—"}
            loading={status.loading && !s}
          />
        </Col>
        <Col xs={12} md={6}>
          <Statistic
            title={t("audit.unsealed")}
            value={s ? formatNumber(s.unsealed, locale) : "—"}
            loading={status.loading && !s}
          />
        </Col>
        <Col xs={24} md={12}>
          <div className="ff-stat-label">{t("audit.rootHash")}</div>
          {s?.rootHash ? (
            <Tooltip title={s.rootHash}>
              <Typography.Text
                code
                copyable={{ text: s.rootHash }}
                className="ff-mono"
                data-testid="audit-root-hash"
              >
                {shortHash(s.rootHash)}
              </Typography.Text>
            </Tooltip>
          ) : (
            <span className="ff-muted">{t("audit.notSealed")}</span>
          )}
          <div className="ff-muted ff-small ff-stat-meta">
            {t("audit.signedAt")}: {s?.signedAt ? formatDateTime(s.signedAt) : "—"}
            {s?.keyId ? ` · ${t("audit.keyId")}: ${s.keyId}` : ""}
          </div>
        </Col>
      </Row>
      <p className="ff-muted ff-small ff-audit-explain">{t("audit.explain")}</p>
      {report && (
        <Alert
          type={report.ok ? "success" : "error"}
          showIcon
          data-testid={report.ok ? "audit-verify-ok" : "audit-verify-failed"}
          title={report.ok ? t("audit.verifyOk") : t("audit.verifyFailed")}
          description={
            <div>
              <div>
                {t("audit.verifyDetail", {
                  checked: formatNumber(report.checkedRecords, locale),
                  size: formatNumber(report.treeSize, locale),
                  time: formatDateTime(report.verifiedAt),
                })}
              </div>
              {report.problems.length > 0 && (
                <ul className="ff-problem-list">
                  {report.problems.map((p, i) => (
                    // biome-ignore lint/suspicious/noArrayIndexKey: problems may repeat and have no id
                    <li key={i}>{p}</li>
                  ))}
                </ul>
              )}
            </div>
          }
        />
      )}
      <ProblemAlert error={verifyError} testId="audit-verify-error" />
    </Card>
  );
}

interface FilterValues {
  action?: string;
  actor?: string;
  from?: string;
  to?: string;
  outcome?: string;
}

const OUTCOMES: readonly AuditOutcome[] = ["success", "failure", "denied"];

export function AuditPage() {
  const t = useT();
  const mobile = useIsMobile();
  const [params, setParams] = useSearchParams();
  const [form] = Form.useForm<FilterValues>();
  const action = params.get("action") ?? "";
  const actor = params.get("actor") ?? "";
  const from = params.get("from") ?? "";
  const to = params.get("to") ?? "";
  const outcomeParam = params.get("outcome") ?? "";
  const outcome = (OUTCOMES as readonly string[]).includes(outcomeParam) ? outcomeParam : "";
  const page = positiveInt(params.get("page"), 1);
  const pageSize = positiveInt(params.get("pageSize"), 20);

  useEffect(() => {
    form.setFieldsValue({ action, actor, from, to, outcome: outcome || undefined });
  }, [form, action, actor, from, to, outcome]);

  const list = useRequest(
    (signal) =>
      api.get<Page<AuditRecord>>(
        "/api/admin/audit",
        {
          action,
          actor,
          from: DATE.test(from) ? shanghaiDayStart(from) : "",
          // The server's upper bound is exclusive: "to" a date means before the next day starts.
          to: DATE.test(to) ? shanghaiNextDayStart(to) : "",
          outcome,
          page,
          pageSize,
        },
        signal,
      ),
    [action, actor, from, to, outcome, page, pageSize],
  );

  const apply = (values: FilterValues) => {
    const next = new URLSearchParams();
    for (const key of ["action", "actor", "from", "to", "outcome"] as const) {
      const value = values[key]?.trim();
      if (value) next.set(key, value);
    }
    if (pageSize !== 20) next.set("pageSize", String(pageSize));
    setParams(next, { replace: true });
  };

  const setPage = (p: number, size: number) => {
    const next = new URLSearchParams(params);
    next.set("page", String(size !== pageSize ? 1 : p));
    next.set("pageSize", String(size));
    setParams(next, { replace: true });
  };

  const columns: ColumnsType<AuditRecord> = [
    {
      title: t("audit.at"),
      dataIndex: "at",
      width: 170,
      render: (v: string) => <span className="ff-nowrap">{formatDateTime(v)}</span>,
    },
    {
      title: t("audit.actor"),
      key: "actor",
      width: 140,
      render: (_, r) =>
        r.actorName ?? (r.actorId ? <span className="ff-mono">{r.actorId}</span> : t("audit.anonymous")),
    },
    {
      title: t("audit.action"),
      dataIndex: "action",
      width: 200,
      render: (v: string) => <span className="ff-mono">{v}</span>,
    },
    {
      title: t("audit.resource"),
      key: "resource",
      render: (_, r) => (
        <span>
          <span>{r.resourceType}</span>
          {r.resourceId && (
            <Typography.Text
              className="ff-mono ff-muted ff-small ff-block"
              ellipsis={{ tooltip: r.resourceId }}
            >
              {r.resourceId}
            </Typography.Text>
          )}
        </span>
      ),
    },
    {
      title: t("audit.outcome"),
      dataIndex: "outcome",
      width: 90,
      render: (v: AuditOutcome) => <OutcomeTag outcome={v} t={t} />,
    },
    {
      title: t("audit.ip"),
      dataIndex: "ip",
      width: 130,
      render: (v: string | null) => <span className="ff-mono">{v ?? "—"}</span>,
    },
    {
      title: t("audit.requestId"),
      dataIndex: "requestId",
      width: 150,
      render: (v: string | null) =>
        v ? (
          <Typography.Text className="ff-mono ff-small" ellipsis={{ tooltip: v }} copyable={{ text: v }}>
            {v}
          </Typography.Text>
        ) : (
          <span className="ff-muted">—</span>
        ),
    },
    {
      title: t("audit.leaf"),
      dataIndex: "leafIndex",
      width: 90,
      align: "right",
      render: (v: number | null) =>
        v === null ? <Tag>{t("audit.pending")}</Tag> : <span className="ff-mono">#{v}</span>,
    },
  ];

  return (
    <div data-testid="admin-audit">
      <PageHeader title={t("nav.admin.audit")} subtitle={t("audit.subtitle")} />
      <VerifyPanel />
      <Card className="ff-card ff-filter-card">
        <Form
          form={form}
          layout={mobile ? "vertical" : "inline"}
          onFinish={apply}
          className="ff-audit-filters"
        >
          <Form.Item name="action" label={t("audit.action")}>
            <Input allowClear placeholder={t("audit.actionPlaceholder")} data-testid="audit-filter-action" />
          </Form.Item>
          <Form.Item name="actor" label={t("audit.actor")}>
            <Input allowClear placeholder={t("audit.actorPlaceholder")} data-testid="audit-filter-actor" />
          </Form.Item>
          <Form.Item name="from" label={t("audit.from")}>
            <Input type="date" data-testid="audit-filter-from" />
          </Form.Item>
          <Form.Item name="to" label={t("audit.to")}>
            <Input type="date" data-testid="audit-filter-to" />
          </Form.Item>
          <Form.Item name="outcome" label={t("audit.outcome")}>
            <Select
              allowClear
              placeholder={t("audit.outcomeAll")}
              className="ff-audit-outcome"
              data-testid="audit-filter-outcome"
              options={OUTCOMES.map((o) => ({ value: o, label: t(`audit.outcome.${o}`) }))}
            />
          </Form.Item>
          <Form.Item>
            <Space>
              <Button
                type="primary"
                htmlType="submit"
                icon={<SearchOutlined />}
                data-testid="audit-filter-submit"
              >
                {t("common.search")}
              </Button>
              <Button
                onClick={() => {
                  form.resetFields();
                  apply({});
                }}
              >
                {t("common.reset")}
              </Button>
              <Button icon={<ReloadOutlined />} onClick={list.reload} aria-label={t("common.reload")} />
            </Space>
          </Form.Item>
        </Form>
      </Card>
      <ProblemAlert error={list.error} onRetry={list.reload} style={{ marginBottom: 16 }} />
      <Card className="ff-card" styles={{ body: mobile ? { padding: 8 } : undefined }}>
        <Table<AuditRecord>
          rowKey="id"
          size="middle"
          loading={list.loading}
          columns={columns}
          dataSource={list.data?.items ?? []}
          scroll={{ x: 1100 }}
          data-testid="audit-table"
          locale={{ emptyText: <Empty description={t("audit.empty")} /> }}
          pagination={{
            current: page,
            pageSize,
            total: list.data?.total ?? 0,
            showSizeChanger: !mobile,
            size: mobile ? "small" : undefined,
            showTotal: mobile ? undefined : (total) => t("common.total", { total }),
            onChange: setPage,
          }}
        />
      </Card>
    </div>
  );
}
