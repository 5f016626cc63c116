import { ApiOutlined, PlusOutlined, ReloadOutlined } from "@ant-design/icons";
import { App, Button, Card, Empty, Popover, Select, Space, Spin, Table, Tag } from "antd";
import type { ColumnsType } from "antd/es/table";
import { type HTMLAttributes, useState } from "react";
import { useSearchParams } from "react-router";
import { HowToCall } from "../../shared/components/HowToCall";
import { PageHeader } from "../../shared/components/PageHeader";
import { ProblemAlert } from "../../shared/components/ProblemAlert";
import { errorMessage } from "../../shared/errors";
import { formatDateTime } from "../../shared/format";
import { useIsMobile } from "../../shared/hooks/useMediaQuery";
import { useRequest } from "../../shared/hooks/useRequest";
import { type Translate, useT } from "../../shared/i18n";
import { useUpdateParams } from "../../shared/params";
import {
  listTwinClients,
  rotateTwinClientSecret,
  TWIN_CLIENT_KINDS,
  type TwinClient,
  type TwinClientWithSecret,
  updateTwinClient,
} from "../../shared/twinClients";
import { EditTwinClientModal, NewSecretModal, RegisterTwinClientModal } from "./TwinClientForms";

const STATUSES = ["active", "disabled"] as const;

function KindTag({ client, t }: { client: TwinClient; t: Translate }) {
  return (
    <Tag color={client.kind === "device" ? "geekblue" : "purple"}>{t(`twinClients.kind.${client.kind}`)}</Tag>
  );
}

function StatusTag({ client, t }: { client: TwinClient; t: Translate }) {
  return client.disabled ? (
    <Tag data-testid={`twin-client-status-${client.id}`}>{t("twinClients.stateDisabled")}</Tag>
  ) : (
    <Tag color="success" data-testid={`twin-client-status-${client.id}`}>
      {t("twinClients.stateActive")}
    </Tag>
  );
}

/** A device's entities: how many, their ids on hover or tap; a system reads the whole twin. */
function BoundEntities({ client, t }: { client: TwinClient; t: Translate }) {
  if (client.kind === "system") return <span className="ff-muted">{t("twinClients.wholeTwin")}</span>;
  return (
    <Popover
      title={t("twinClients.entities")}
      trigger={["hover", "click"]}
      content={
        <ul className="ff-entity-ids" data-testid={`twin-client-entities-${client.id}`}>
          {client.entityIds.map((id) => (
            <li key={id} className="ff-mono ff-small ff-break">
              {id}
            </li>
          ))}
        </ul>
      }
    >
      <button type="button" className="ff-link-button" data-testid={`twin-client-entity-count-${client.id}`}>
        {t("twinClients.entityCount", { count: client.entityIds.length })}
      </button>
    </Popover>
  );
}

/** How a registered device or system calls the twin: NGSI-LD over HTTP Basic, or MQTT. */
function HowTo({ t }: { t: Translate }) {
  const { origin, hostname } = window.location;
  const ws = `${origin.replace(/^http/, "ws")}/mqtt`;
  const http = `curl -u "<id>:<secret>" -X PATCH -H "content-type: application/json" -d '{"value": 812}' "${origin}/ngsi-ld/v1/entities/<entityId>/attrs/peopleCount"`;
  const mqtt = `mosquitto_pub -h ${hostname} -p 1883 -u "<id>" -P "<secret>" -t "fourfold/twin/<entityId>/attrs" -m '{"peopleCount": 812}'`;
  return (
    <HowToCall
      testId="twin-client-howto"
      steps={[
        { text: t("twinClients.howHttp"), code: http },
        { text: t("twinClients.howMqtt", { ws }), code: mqtt },
      ]}
      note={t("twinClients.howNote")}
    />
  );
}

/**
 * 设备与系统接入: the devices that report to the digital twin and the systems that read it, with their
 * registration, entity binding, secrets and disabling.
 */
export function TwinClientsPage() {
  const t = useT();
  const mobile = useIsMobile();
  const { message, modal } = App.useApp();
  const [params] = useSearchParams();
  const updateParams = useUpdateParams();
  const kind = params.get("kind");
  const status = params.get("status");
  const list = useRequest((signal) => listTwinClients(signal), []);
  const [registering, setRegistering] = useState(false);
  const [editing, setEditing] = useState<TwinClient | null>(null);
  const [rotated, setRotated] = useState<TwinClientWithSecret | null>(null);

  const items = (list.data ?? []).filter(
    (c) => (!kind || c.kind === kind) && (!status || (status === "disabled") === c.disabled),
  );
  const replaceRow = (client: TwinClient) =>
    list.setData((current) => current?.map((c) => (c.id === client.id ? client : c)));

  const rotate = (client: TwinClient) =>
    modal.confirm({
      title: t("twinClients.rotateTitle", { name: client.name }),
      content: t("twinClients.rotateText"),
      okText: t("twinClients.rotate"),
      okButtonProps: { danger: true, "data-testid": "twin-client-rotate-confirm" },
      cancelText: t("common.cancel"),
      onOk: async () => {
        try {
          const fresh = await rotateTwinClientSecret(client.id);
          const { secret: _, ...view } = fresh;
          replaceRow(view);
          setRotated(fresh);
        } catch (e) {
          message.error(errorMessage(e, t));
        }
      },
    });

  const toggle = (client: TwinClient) => {
    const disabling = !client.disabled;
    modal.confirm({
      title: t(disabling ? "twinClients.disableTitle" : "twinClients.enableTitle", { name: client.name }),
      content: t(disabling ? "twinClients.disableText" : "twinClients.enableText"),
      okText: t(disabling ? "twinClients.disable" : "twinClients.enable"),
      okButtonProps: { danger: disabling, "data-testid": "twin-client-toggle-confirm" },
      cancelText: t("common.cancel"),
      onOk: async () => {
        try {
          replaceRow(await updateTwinClient(client.id, { disabled: disabling }));
          message.success(
            t(disabling ? "twinClients.disabled" : "twinClients.enabled", { name: client.name }),
          );
        } catch (e) {
          message.error(errorMessage(e, t));
        }
      },
    });
  };

  const actions = (c: TwinClient) => (
    <Space size={4} wrap>
      <Button size="small" onClick={() => setEditing(c)} data-testid={`twin-client-edit-${c.id}`}>
        {t("twinClients.edit")}
      </Button>
      <Button size="small" onClick={() => rotate(c)} data-testid={`twin-client-rotate-${c.id}`}>
        {t("twinClients.rotate")}
      </Button>
      <Button
        size="small"
        danger={!c.disabled}
        onClick={() => toggle(c)}
        data-testid={`twin-client-toggle-${c.id}`}
      >
        {t(c.disabled ? "twinClients.enable" : "twinClients.disable")}
      </Button>
    </Space>
  );
  const created = (v: string) => <span className="ff-nowrap">{formatDateTime(v).slice(0, 16)}</span>;

  const columns: ColumnsType<TwinClient> = [
    { title: t("twinClients.name"), dataIndex: "name", render: (v: string) => <strong>{v}</strong> },
    { title: t("twinClients.kind"), key: "kind", width: 90, render: (_, c) => <KindTag client={c} t={t} /> },
    {
      title: t("twinClients.entities"),
      key: "entities",
      width: 130,
      render: (_, c) => <BoundEntities client={c} t={t} />,
    },
    {
      title: t("twinClients.mayWrite"),
      dataIndex: "mayWrite",
      width: 120,
      render: (v: boolean) => (v ? t("common.yes") : <span className="ff-muted">{t("common.no")}</span>),
    },
    {
      title: t("twinClients.status"),
      key: "status",
      width: 90,
      render: (_, c) => <StatusTag client={c} t={t} />,
    },
    { title: t("twinClients.createdAt"), dataIndex: "createdAt", width: 150, render: created },
    { title: t("common.actions"), key: "actions", width: 230, render: (_, c) => actions(c) },
  ];
  const empty = <Empty description={t("twinClients.empty")} />;

  return (
    <div data-testid="admin-twin-clients">
      <PageHeader
        title={t("nav.admin.twinClients")}
        subtitle={t("twinClients.subtitle")}
        extra={
          <Space wrap>
            <Button icon={<ReloadOutlined />} onClick={list.reload} aria-label={t("common.reload")}>
              {!mobile && t("common.reload")}
            </Button>
            <Button
              type="primary"
              icon={<PlusOutlined />}
              onClick={() => setRegistering(true)}
              data-testid="twin-client-register"
            >
              {t("twinClients.register")}
            </Button>
          </Space>
        }
      />
      <Card className="ff-card ff-filter-card">
        <div className="ff-filters">
          <Select
            allowClear
            value={kind ?? undefined}
            onChange={(v: string | undefined) => updateParams({ kind: v ?? null })}
            placeholder={t("twinClients.filterKind")}
            options={TWIN_CLIENT_KINDS.map((k) => ({ value: k, label: t(`twinClients.kind.${k}`) }))}
            className="ff-filter-kind"
            data-testid="twin-client-filter-kind"
          />
          <Select
            allowClear
            value={status ?? undefined}
            onChange={(v: string | undefined) => updateParams({ status: v ?? null })}
            placeholder={t("twinClients.filterStatus")}
            options={STATUSES.map((s) => ({
              value: s,
              label: t(s === "active" ? "twinClients.stateActive" : "twinClients.stateDisabled"),
            }))}
            className="ff-filter-kind"
            data-testid="twin-client-filter-status"
          />
        </div>
      </Card>
      <ProblemAlert error={list.error} onRetry={list.reload} style={{ marginBottom: 16 }} />
      <Card className="ff-card" styles={{ body: mobile ? { padding: 8 } : undefined }}>
        {mobile ? (
          <Spin spinning={list.loading}>
            <div className="ff-card-list" data-testid="twin-clients-list">
              {items.length === 0 && !list.loading && empty}
              {items.map((c) => (
                <div key={c.id} className="ff-staff-card" data-testid={`twin-client-row-${c.id}`}>
                  <div className="ff-staff-card-head">
                    <strong>{c.name}</strong>
                    <KindTag client={c} t={t} />
                    <span className="ff-staff-card-status">
                      <StatusTag client={c} t={t} />
                    </span>
                  </div>
                  <div className="ff-muted ff-small">
                    <BoundEntities client={c} t={t} />
                    {" · "}
                    {t(c.mayWrite ? "twinClients.mayWrite" : "twinClients.readOnly")}
                    {" · "}
                    {created(c.createdAt)}
                  </div>
                  <span>{actions(c)}</span>
                </div>
              ))}
            </div>
          </Spin>
        ) : (
          <Table<TwinClient>
            rowKey="id"
            size="middle"
            loading={list.loading}
            columns={columns}
            dataSource={items}
            scroll={{ x: 1000 }}
            onRow={(c) => ({ "data-testid": `twin-client-row-${c.id}` }) as HTMLAttributes<HTMLElement>}
            pagination={false}
            locale={{ emptyText: empty }}
            data-testid="twin-clients-table"
          />
        )}
      </Card>
      <Card
        className="ff-card ff-twin-clients-howto"
        title={
          <span>
            <ApiOutlined /> {t("twinClients.howTo")}
          </span>
        }
      >
        <HowTo t={t} />
      </Card>
      <RegisterTwinClientModal
        open={registering}
        onClose={() => setRegistering(false)}
        onRegistered={list.reload}
      />
      <EditTwinClientModal
        client={editing}
        onClose={() => setEditing(null)}
        onSaved={(client) => {
          replaceRow(client);
          setEditing(null);
          message.success(t("twinClients.saved"));
        }}
      />
      <NewSecretModal client={rotated} onClose={() => setRotated(null)} />
    </div>
  );
}
