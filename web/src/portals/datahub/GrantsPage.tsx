import { ReloadOutlined, StopOutlined } from "@ant-design/icons";
import { App, Button, Card, Empty, Select, Spin, Table, Tabs, Tooltip } from "antd";
import type { ColumnsType } from "antd/es/table";
import { type HTMLAttributes, useState } from "react";
import { Link, useSearchParams } from "react-router";
import { PageHeader } from "../../shared/components/PageHeader";
import { ProblemAlert } from "../../shared/components/ProblemAlert";
import {
  GRANT_STATUSES,
  type GrantBox,
  type GrantStatus,
  type GrantView,
  listGrants,
  revokeGrant,
} from "../../shared/datahub";
import { formatDateTime, formatNumber } from "../../shared/format";
import { useIsMobile } from "../../shared/hooks/useMediaQuery";
import { useRequest } from "../../shared/hooks/useRequest";
import { type Locale, type Translate, useLocale, useT } from "../../shared/i18n";
import { useUpdateParams } from "../../shared/params";
import { GrantStatusTag, relativeTime, useDatahubRoles } from "./datahubParts";
import { ReasonModal } from "./ReasonModal";

const PAGE_SIZE = 20;

/** When the grant ends: "in 12 days" while active, the date otherwise. */
function Expiry({ grant, locale }: { grant: GrantView; locale: Locale }) {
  const date = formatDateTime(grant.expiresAt).slice(0, 10);
  if (grant.status !== "active") return <span className="ff-muted ff-nowrap">{date}</span>;
  const soon = Date.parse(grant.expiresAt) - Date.now() < 7 * 86_400_000;
  return (
    <Tooltip title={formatDateTime(grant.expiresAt).slice(0, 16)}>
      <span className={soon ? "ff-grant-expiring ff-nowrap" : "ff-nowrap"} data-testid="grant-expiry">
        {relativeTime(grant.expiresAt, locale)}
      </span>
    </Tooltip>
  );
}

function GrantCard({
  grant,
  box,
  mayRevoke,
  onRevoke,
  t,
  locale,
}: {
  grant: GrantView;
  box: GrantBox;
  mayRevoke: boolean;
  onRevoke: () => void;
  t: Translate;
  locale: Locale;
}) {
  return (
    <div className="ff-staff-card" data-testid={`grant-row-${grant.id}`}>
      <span className="ff-resource-card-head">
        <Link to={`/datahub/catalog/${encodeURIComponent(grant.resourceId)}`}>
          <strong>{grant.resourceName}</strong>
        </Link>
        <GrantStatusTag status={grant.status} t={t} />
      </span>
      <span className="ff-muted ff-small">
        {box === "consumer" ? grant.providerDepartmentName : grant.consumerDepartmentName} ·{" "}
        <span className="ff-mono">{grant.purposeCode}</span>
      </span>
      <span className="ff-resource-card-meta ff-small">
        <span>
          {t("datahub.labelled", { label: t("datahub.grant.expiresLabel") })}
          <Expiry grant={grant} locale={locale} />
        </span>
        <span className="ff-muted">
          {t("datahub.grant.calls", { count: formatNumber(grant.calls, locale) })}
        </span>
      </span>
      {grant.revokedReason && <span className="ff-small ff-muted">{grant.revokedReason}</span>}
      {mayRevoke && (
        <span>
          <Button
            size="small"
            danger
            icon={<StopOutlined />}
            onClick={onRevoke}
            data-testid={`grant-revoke-${grant.id}`}
          >
            {t("datahub.grant.revoke")}
          </Button>
        </span>
      )}
    </div>
  );
}

/** 授权管理: grants my department holds (我方获得) and gives (我方提供); the provider may revoke. */
export function GrantsPage() {
  const t = useT();
  const locale = useLocale();
  const mobile = useIsMobile();
  const { message } = App.useApp();
  const { bureau, officer } = useDatahubRoles();
  const [params] = useSearchParams();
  const update = useUpdateParams();
  const boxes: GrantBox[] = bureau ? ["consumer", "provider", "all"] : ["consumer", "provider"];
  const boxParam = params.get("box") as GrantBox | null;
  const box: GrantBox = boxParam && boxes.includes(boxParam) ? boxParam : "consumer";
  const statusParam = params.get("status") ?? "";
  const status = (GRANT_STATUSES as readonly string[]).includes(statusParam)
    ? (statusParam as GrantStatus)
    : "";
  const [revoking, setRevoking] = useState<GrantView | null>(null);

  const list = useRequest((signal) => listGrants({ box, status }, signal), [box, status]);
  const items = list.data ?? [];
  // The provider's officers or the data bureau end a grant; the server checks which department gave it.
  const mayRevoke = (g: GrantView) => g.status === "active" && ((box === "provider" && officer) || bureau);

  const columns: ColumnsType<GrantView> = [
    {
      title: t("datahub.request.resource"),
      key: "resource",
      render: (_, g) => (
        <span>
          <Link
            to={`/datahub/catalog/${encodeURIComponent(g.resourceId)}`}
            onClick={(e) => e.stopPropagation()}
          >
            <strong>{g.resourceName}</strong>
          </Link>
          <div className="ff-mono ff-muted ff-small">{g.resourceCode}</div>
        </span>
      ),
    },
    ...(box !== "consumer"
      ? [
          {
            title: t("datahub.request.consumer"),
            dataIndex: "consumerDepartmentName",
            width: 160,
            ellipsis: true,
          },
        ]
      : []),
    ...(box !== "provider"
      ? [
          {
            title: t("datahub.request.provider"),
            dataIndex: "providerDepartmentName",
            width: 160,
            ellipsis: true,
          },
        ]
      : []),
    {
      title: t("datahub.request.purpose"),
      key: "purpose",
      ellipsis: true,
      render: (_, g) => (
        <Tooltip title={g.purpose}>
          <span className="ff-mono">{g.purposeCode}</span>
        </Tooltip>
      ),
    },
    {
      title: t("datahub.request.fields"),
      key: "fields",
      width: 110,
      render: (_, g) => (
        <Tooltip title={g.fields.join("、")}>
          <span>
            {g.fields.length}
            {g.clearFields.length > 0 && (
              <span className="ff-muted ff-small">
                {" "}
                ({t("datahub.grant.clearCount", { count: g.clearFields.length })})
              </span>
            )}
          </span>
        </Tooltip>
      ),
    },
    {
      title: t("datahub.grant.expiresLabel"),
      key: "expires",
      width: 120,
      render: (_, g) => <Expiry grant={g} locale={locale} />,
    },
    {
      title: t("datahub.grant.callsLabel"),
      dataIndex: "calls",
      width: 90,
      align: "right",
      render: (v: number) => formatNumber(v, locale),
    },
    {
      title: t("datahub.request.statusLabel"),
      key: "status",
      width: 100,
      render: (_, g) =>
        g.revokedReason ? (
          <Tooltip title={g.revokedReason}>
            <span>
              <GrantStatusTag status={g.status} t={t} />
            </span>
          </Tooltip>
        ) : (
          <GrantStatusTag status={g.status} t={t} />
        ),
    },
    {
      title: t("common.actions"),
      key: "actions",
      width: 100,
      render: (_, g) =>
        mayRevoke(g) ? (
          <Button size="small" danger onClick={() => setRevoking(g)} data-testid={`grant-revoke-${g.id}`}>
            {t("datahub.grant.revoke")}
          </Button>
        ) : null,
    },
  ];
  const empty = <Empty description={t(`datahub.grant.empty.${box}`)} />;

  return (
    <div data-testid="datahub-grants">
      <PageHeader
        title={t("datahub.nav.grants")}
        subtitle={t("datahub.grant.subtitle")}
        extra={
          <Button icon={<ReloadOutlined />} onClick={list.reload} aria-label={t("common.reload")}>
            {!mobile && t("common.reload")}
          </Button>
        }
      />
      <Tabs
        activeKey={box}
        onChange={(key) => update({ box: key === "consumer" ? null : key })}
        items={boxes.map((b) => ({
          key: b,
          label: <span data-testid={`grants-tab-${b}`}>{t(`datahub.grant.tab.${b}`)}</span>,
        }))}
        className="ff-inbox-tabs"
      />
      <Card className="ff-card ff-filter-card ff-inbox-filters">
        <div className="ff-filters">
          <Select
            allowClear
            value={status || undefined}
            onChange={(v: string | undefined) => update({ status: v ?? null })}
            placeholder={t("datahub.request.filterStatus")}
            options={GRANT_STATUSES.map((s) => ({ value: s, label: t(`datahub.grant.status.${s}`) }))}
            className="ff-filter-process"
            data-testid="grants-filter-status"
          />
        </div>
      </Card>
      <ProblemAlert error={list.error} onRetry={list.reload} style={{ marginBottom: 16 }} />
      <Card className="ff-card" styles={{ body: mobile ? { padding: 8 } : undefined }}>
        {mobile ? (
          <Spin spinning={list.loading}>
            <div className="ff-card-list" data-testid="grants-list">
              {items.length === 0 && !list.loading && empty}
              {items.map((g) => (
                <GrantCard
                  key={g.id}
                  grant={g}
                  box={box}
                  mayRevoke={mayRevoke(g)}
                  onRevoke={() => setRevoking(g)}
                  t={t}
                  locale={locale}
                />
              ))}
            </div>
          </Spin>
        ) : (
          <Table<GrantView>
            rowKey="id"
            size="middle"
            loading={list.loading}
            columns={columns}
            dataSource={items}
            scroll={{ x: 1100 }}
            onRow={(g) => ({ "data-testid": `grant-row-${g.id}` }) as HTMLAttributes<HTMLElement>}
            pagination={items.length > PAGE_SIZE ? { pageSize: PAGE_SIZE, showSizeChanger: false } : false}
            locale={{ emptyText: empty }}
            data-testid="grants-table"
          />
        )}
      </Card>
      <ReasonModal
        open={revoking !== null}
        title={revoking ? t("datahub.grant.revokeTitle", { name: revoking.resourceName }) : ""}
        text={
          revoking
            ? t("datahub.grant.revokeText", {
                consumer: revoking.consumerDepartmentName,
                calls: revoking.calls,
              })
            : undefined
        }
        label={t("datahub.grant.revokeReason")}
        okText={t("datahub.grant.revoke")}
        danger
        maxLength={1000}
        testId="grant-revoke"
        onClose={() => setRevoking(null)}
        onSubmit={async (reason) => {
          if (!revoking) return;
          await revokeGrant(revoking.id, reason);
          setRevoking(null);
          message.success(t("datahub.grant.revoked"));
          list.reload();
        }}
      />
    </div>
  );
}
