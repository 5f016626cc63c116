import { PlusOutlined, ReloadOutlined, SearchOutlined } from "@ant-design/icons";
import { App, Button, Card, Col, Empty, Form, Input, Row, Spin, Table, Tabs } from "antd";
import type { ColumnsType } from "antd/es/table";
import { type HTMLAttributes, useState } from "react";
import { useSearchParams } from "react-router";
import { PageHeader } from "../../shared/components/PageHeader";
import { ProblemAlert } from "../../shared/components/ProblemAlert";
import {
  assignResponsibility,
  BASE_FIELD_PATTERN,
  BASES,
  type Base,
  listResponsibilities,
  type Responsibility,
  releaseResponsibility,
} from "../../shared/datahub";
import { errorMessage } from "../../shared/errors";
import { useFormSubmit } from "../../shared/hooks/useFormSubmit";
import { useIsMobile } from "../../shared/hooks/useMediaQuery";
import { useRequest } from "../../shared/hooks/useRequest";
import { useT } from "../../shared/i18n";
import { useUpdateParams } from "../../shared/params";
import { DepartmentPicker } from "../office/documents/DepartmentPicker";
import { DatahubProblem, useDatahubRoles } from "./datahubParts";

interface AssignValues {
  field: string;
  title: string;
  departmentId: string;
}

/** 指定数源部门 (data bureau): which department is the authoritative source of a base field. */
function AssignForm({ base, onAssigned }: { base: Base; onAssigned: () => void }) {
  const t = useT();
  const { message } = App.useApp();
  const [form] = Form.useForm<AssignValues>();
  const { busy, error, unmatched, run } = useFormSubmit(form, true);
  const submit = (values: AssignValues) =>
    run(async () => {
      await assignResponsibility({
        base,
        field: values.field.trim(),
        title: values.title.trim(),
        departmentId: values.departmentId,
      });
      message.success(t("datahub.resp.assigned"));
      form.resetFields();
      onAssigned();
    });
  return (
    <Form<AssignValues>
      form={form}
      layout="vertical"
      onFinish={(v) => void submit(v)}
      data-testid="resp-form"
    >
      <Form.Item
        name="field"
        label={t("datahub.resp.field")}
        extra={t("datahub.resp.fieldHint")}
        rules={[
          { required: true, message: t("field.required") },
          { pattern: BASE_FIELD_PATTERN, message: t("datahub.resp.fieldPattern") },
        ]}
      >
        <Input
          maxLength={64}
          className="ff-mono"
          placeholder={base === "population" ? "name" : "uscc"}
          data-testid="resp-field"
        />
      </Form.Item>
      <Form.Item
        name="title"
        label={t("datahub.resp.title")}
        rules={[{ required: true, whitespace: true, message: t("field.required") }]}
      >
        <Input maxLength={100} data-testid="resp-title" />
      </Form.Item>
      <Form.Item
        name="departmentId"
        label={t("datahub.resp.department")}
        rules={[{ required: true, message: t("field.required") }]}
      >
        <DepartmentPicker testId="resp-department" />
      </Form.Item>
      <DatahubProblem error={error} extra={unmatched} testId="resp-error" />
      <Button
        type="primary"
        htmlType="submit"
        icon={<PlusOutlined />}
        loading={busy}
        data-testid="resp-submit"
      >
        {t("datahub.resp.assign")}
      </Button>
    </Form>
  );
}

/** 数源责任清单: for each field of the population (人口库) and legal-person (法人库) pools, the department it comes from. */
export function ResponsibilitiesPage() {
  const t = useT();
  const mobile = useIsMobile();
  const { message, modal } = App.useApp();
  const { bureau } = useDatahubRoles();
  const [params] = useSearchParams();
  const update = useUpdateParams();
  const baseParam = params.get("base") ?? "";
  const base: Base = (BASES as readonly string[]).includes(baseParam) ? (baseParam as Base) : "population";
  const [filter, setFilter] = useState("");
  const list = useRequest((signal) => listResponsibilities(base, signal), [base]);
  const needle = filter.trim().toLowerCase();
  const items = (list.data ?? []).filter(
    (r) =>
      !needle ||
      r.field.toLowerCase().includes(needle) ||
      r.title.toLowerCase().includes(needle) ||
      r.departmentName.toLowerCase().includes(needle),
  );

  // A field held by one department is released before another can be named (the server refuses a silent change).
  const release = (r: Responsibility) =>
    modal.confirm({
      title: t("datahub.resp.releaseTitle", { title: r.title, department: r.departmentName }),
      content: t("datahub.resp.releaseText"),
      okText: t("datahub.resp.release"),
      okButtonProps: { danger: true },
      cancelText: t("common.cancel"),
      onOk: async () => {
        try {
          await releaseResponsibility(r.base, r.field);
          message.success(t("datahub.resp.released"));
          list.reload();
        } catch (e) {
          message.error(errorMessage(e, t));
        }
      },
    });
  const releaseButton = (r: Responsibility) => (
    <Button size="small" danger onClick={() => release(r)} data-testid={`resp-release-${r.field}`}>
      {t("datahub.resp.release")}
    </Button>
  );

  const columns: ColumnsType<Responsibility> = [
    {
      title: t("datahub.resp.field"),
      dataIndex: "field",
      width: 220,
      render: (v: string) => <span className="ff-mono">{v}</span>,
    },
    { title: t("datahub.resp.title"), dataIndex: "title", render: (v: string) => <strong>{v}</strong> },
    { title: t("datahub.resp.department"), dataIndex: "departmentName", width: 240 },
    ...(bureau
      ? [
          {
            title: t("common.actions"),
            key: "release",
            width: 90,
            render: (_: unknown, r: Responsibility) => releaseButton(r),
          },
        ]
      : []),
  ];
  const empty = <Empty description={needle ? t("datahub.catalog.noMatch") : t("datahub.resp.empty")} />;

  const listCard = (
    <Card
      className="ff-card"
      styles={{ body: mobile ? { padding: 8 } : undefined }}
      title={
        <Input
          allowClear
          prefix={<SearchOutlined />}
          value={filter}
          onChange={(e) => setFilter(e.target.value)}
          placeholder={t("datahub.resp.filter")}
          className="ff-filter-search"
          variant="borderless"
          data-testid="resp-filter"
        />
      }
    >
      {mobile ? (
        <Spin spinning={list.loading}>
          <div className="ff-card-list" data-testid="resp-list">
            {items.length === 0 && !list.loading && empty}
            {items.map((r) => (
              <div key={r.field} className="ff-staff-card" data-testid={`resp-row-${r.field}`}>
                <span className="ff-staff-card-head">
                  <strong>{r.title}</strong>
                  <span className="ff-mono ff-muted ff-small">{r.field}</span>
                </span>
                <span className="ff-small">{r.departmentName}</span>
                {bureau && <span>{releaseButton(r)}</span>}
              </div>
            ))}
          </div>
        </Spin>
      ) : (
        <Table<Responsibility>
          rowKey="field"
          size="middle"
          loading={list.loading}
          columns={columns}
          dataSource={items}
          onRow={(r) => ({ "data-testid": `resp-row-${r.field}` }) as HTMLAttributes<HTMLElement>}
          pagination={items.length > 50 ? { pageSize: 50, showSizeChanger: false } : false}
          locale={{ emptyText: empty }}
          data-testid="resp-table"
        />
      )}
    </Card>
  );

  return (
    <div data-testid="datahub-responsibilities">
      <PageHeader
        title={t("datahub.nav.responsibilities")}
        subtitle={t("datahub.resp.subtitle")}
        extra={
          <Button icon={<ReloadOutlined />} onClick={list.reload} aria-label={t("common.reload")}>
            {!mobile && t("common.reload")}
          </Button>
        }
      />
      <Tabs
        activeKey={base}
        onChange={(key) => update({ base: key === "population" ? null : key })}
        items={BASES.map((b) => ({
          key: b,
          label: <span data-testid={`resp-tab-${b}`}>{t(`datahub.resp.base.${b}`)}</span>,
        }))}
      />
      <ProblemAlert error={list.error} onRetry={list.reload} style={{ marginBottom: 16 }} />
      {bureau ? (
        <Row gutter={[16, 16]}>
          <Col xs={24} xl={16}>
            {listCard}
          </Col>
          <Col xs={24} xl={8}>
            <Card
              className="ff-card"
              title={t("datahub.resp.assignTitle", { base: t(`datahub.resp.base.${base}`) })}
            >
              <AssignForm key={base} base={base} onAssigned={list.reload} />
            </Card>
          </Col>
        </Row>
      ) : (
        listCard
      )}
    </div>
  );
}
