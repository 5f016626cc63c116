import { ApiOutlined, PlusOutlined, ReloadOutlined } from "@ant-design/icons";
import { App, Button, Card, Col, Empty, Form, Input, Modal, Row, Spin, Table, Tag, Typography } from "antd";
import type { ColumnsType } from "antd/es/table";
import { type HTMLAttributes, useState } from "react";
import { HowToCall } from "../../shared/components/HowToCall";
import { PageHeader } from "../../shared/components/PageHeader";
import { ProblemAlert } from "../../shared/components/ProblemAlert";
import { SecretOnce } from "../../shared/components/SecretOnce";
import {
  type ClientView,
  disableClient,
  listClients,
  type RegisteredClient,
  registerClient,
} from "../../shared/datahub";
import { errorMessage } from "../../shared/errors";
import { formatDateTime } from "../../shared/format";
import { useFormSubmit } from "../../shared/hooks/useFormSubmit";
import { useIsMobile } from "../../shared/hooks/useMediaQuery";
import { useRequest } from "../../shared/hooks/useRequest";
import { type Translate, useT } from "../../shared/i18n";
import { DatahubProblem } from "./datahubParts";

/**
 * 接入系统登记: names the system; the answer carries its secret, shown here once. Closing the dialog
 * forgets it: the platform keeps only a hash.
 */
function RegisterModal({
  open,
  onClose,
  onRegistered,
}: {
  open: boolean;
  onClose: () => void;
  onRegistered: () => void;
}) {
  const t = useT();
  const [form] = Form.useForm<{ name: string }>();
  const { busy, error, unmatched, run } = useFormSubmit(form, open);
  const [created, setCreated] = useState<RegisteredClient | null>(null);
  const close = () => {
    setCreated(null);
    onClose();
  };
  const submit = (values: { name: string }) =>
    run(async () => {
      setCreated(await registerClient(values.name.trim()));
      onRegistered();
    });
  return (
    <Modal
      open={open}
      title={t("datahub.clients.registerTitle")}
      onCancel={close}
      destroyOnHidden
      maskClosable={!created}
      footer={
        created ? (
          <Button type="primary" onClick={close} data-testid="client-secret-done">
            {t("datahub.clients.secretSaved")}
          </Button>
        ) : (
          <>
            <Button onClick={close}>{t("common.cancel")}</Button>
            <Button
              type="primary"
              loading={busy}
              onClick={() => form.submit()}
              data-testid="client-register-submit"
            >
              {t("datahub.clients.register")}
            </Button>
          </>
        )
      }
    >
      {created ? (
        <SecretOnce
          warning={t("datahub.clients.secretOnce")}
          rows={[
            { label: t("datahub.clients.name"), value: created.name, copyable: false },
            { label: "client_id", value: created.clientId, testId: "client-created-id" },
            { label: "client_secret", value: created.clientSecret, testId: "client-secret" },
          ]}
        />
      ) : (
        <Form
          form={form}
          layout="vertical"
          onFinish={(v) => void submit(v)}
          data-testid="client-register-form"
        >
          <Form.Item
            name="name"
            label={t("datahub.clients.name")}
            extra={t("datahub.clients.nameHint")}
            rules={[{ required: true, whitespace: true, message: t("field.required") }]}
          >
            <Input maxLength={100} data-testid="client-name" />
          </Form.Item>
          <DatahubProblem error={error} extra={unmatched} testId="client-register-error" />
        </Form>
      )}
    </Modal>
  );
}

/** How a registered system calls the exchange gateway: a token, then a resource by its code. */
function HowTo({ t }: { t: Translate }) {
  const origin = window.location.origin;
  const token = `curl -u <clientId>:<clientSecret> -d grant_type=client_credentials ${origin}/exchange/oauth/token`;
  const call = `curl -H "Authorization: Bearer <access_token>" "${origin}/exchange/v1/<${t("datahub.clients.resourceCode")}>?purpose=<purposeCode>&key=<${t("datahub.clients.recordKey")}>"`;
  return (
    <HowToCall
      testId="client-howto"
      steps={[
        { text: t("datahub.clients.howToken"), code: token },
        { text: t("datahub.clients.howCall"), code: call },
      ]}
      note={t("datahub.clients.howNote")}
    />
  );
}

/** 接入系统: the department's systems that call the exchange gateway, their registration and disabling. */
export function ClientsPage() {
  const t = useT();
  const mobile = useIsMobile();
  const { message, modal } = App.useApp();
  const list = useRequest((signal) => listClients(signal), []);
  const [registering, setRegistering] = useState(false);
  const items = list.data ?? [];

  const disable = (client: ClientView) =>
    modal.confirm({
      title: t("datahub.clients.disableTitle", { name: client.name }),
      content: t("datahub.clients.disableText"),
      okText: t("datahub.clients.disable"),
      okButtonProps: { danger: true },
      cancelText: t("common.cancel"),
      onOk: async () => {
        try {
          await disableClient(client.clientId);
          message.success(t("datahub.clients.disabled"));
          list.reload();
        } catch (e) {
          message.error(errorMessage(e, t));
        }
      },
    });

  const stateTag = (c: ClientView) =>
    c.disabled ? (
      <Tag>{t("datahub.clients.stateDisabled")}</Tag>
    ) : (
      <Tag color="success">{t("datahub.clients.stateActive")}</Tag>
    );
  const disableButton = (c: ClientView) =>
    !c.disabled && (
      <Button size="small" danger onClick={() => disable(c)} data-testid={`client-disable-${c.clientId}`}>
        {t("datahub.clients.disable")}
      </Button>
    );

  const columns: ColumnsType<ClientView> = [
    { title: t("datahub.clients.name"), dataIndex: "name", render: (v: string) => <strong>{v}</strong> },
    {
      title: "client_id",
      dataIndex: "clientId",
      width: 260,
      render: (v: string) => (
        <Typography.Text className="ff-mono ff-small" copyable>
          {v}
        </Typography.Text>
      ),
    },
    { title: t("datahub.clients.department"), dataIndex: "departmentName", width: 180, ellipsis: true },
    {
      title: t("datahub.clients.createdAt"),
      dataIndex: "createdAt",
      width: 150,
      render: (v: string) => <span className="ff-nowrap">{formatDateTime(v).slice(0, 16)}</span>,
    },
    {
      title: t("datahub.clients.lastUsedAt"),
      dataIndex: "lastUsedAt",
      width: 150,
      render: (v: string | null) => (
        <span className="ff-nowrap">{v ? formatDateTime(v).slice(0, 16) : t("datahub.clients.never")}</span>
      ),
    },
    { title: t("datahub.request.statusLabel"), key: "state", width: 90, render: (_, c) => stateTag(c) },
    { title: t("common.actions"), key: "actions", width: 90, render: (_, c) => disableButton(c) },
  ];
  const empty = <Empty description={t("datahub.clients.empty")} />;

  return (
    <div data-testid="datahub-clients">
      <PageHeader
        title={t("datahub.nav.clients")}
        subtitle={t("datahub.clients.subtitle")}
        extra={
          <>
            <Button icon={<ReloadOutlined />} onClick={list.reload} aria-label={t("common.reload")}>
              {!mobile && t("common.reload")}
            </Button>{" "}
            <Button
              type="primary"
              icon={<PlusOutlined />}
              onClick={() => setRegistering(true)}
              data-testid="client-register"
            >
              {t("datahub.clients.register")}
            </Button>
          </>
        }
      />
      <ProblemAlert error={list.error} onRetry={list.reload} style={{ marginBottom: 16 }} />
      <Row gutter={[16, 16]}>
        <Col xs={24}>
          <Card className="ff-card" styles={{ body: mobile ? { padding: 8 } : undefined }}>
            {mobile ? (
              <Spin spinning={list.loading}>
                <div className="ff-card-list" data-testid="clients-list">
                  {items.length === 0 && !list.loading && empty}
                  {items.map((c) => (
                    <div key={c.clientId} className="ff-staff-card" data-testid={`client-row-${c.clientId}`}>
                      <span className="ff-resource-card-head">
                        <strong>{c.name}</strong>
                        {stateTag(c)}
                      </span>
                      <span className="ff-mono ff-small ff-break">{c.clientId}</span>
                      <span className="ff-muted ff-small">
                        {t("datahub.labelled", { label: t("datahub.clients.lastUsedAt") })}
                        {c.lastUsedAt
                          ? formatDateTime(c.lastUsedAt).slice(0, 16)
                          : t("datahub.clients.never")}
                      </span>
                      <span>{disableButton(c)}</span>
                    </div>
                  ))}
                </div>
              </Spin>
            ) : (
              <Table<ClientView>
                rowKey="clientId"
                size="middle"
                loading={list.loading}
                columns={columns}
                dataSource={items}
                scroll={{ x: 1000 }}
                onRow={(c) => ({ "data-testid": `client-row-${c.clientId}` }) as HTMLAttributes<HTMLElement>}
                pagination={false}
                locale={{ emptyText: empty }}
                data-testid="clients-table"
              />
            )}
          </Card>
        </Col>
        <Col xs={24}>
          <Card
            className="ff-card"
            title={
              <span>
                <ApiOutlined /> {t("datahub.clients.howTo")}
              </span>
            }
          >
            <HowTo t={t} />
          </Card>
        </Col>
      </Row>
      <RegisterModal open={registering} onClose={() => setRegistering(false)} onRegistered={list.reload} />
    </div>
  );
}
