import {
  ArrowLeftOutlined,
  BarChartOutlined,
  EditOutlined,
  ExceptionOutlined,
  KeyOutlined,
  SendOutlined,
  StopOutlined,
} from "@ant-design/icons";
import {
  Alert,
  App,
  Button,
  Card,
  Col,
  Descriptions,
  Empty,
  Row,
  Space,
  Spin,
  Table,
  Tag,
  Tooltip,
} from "antd";
import type { ColumnsType } from "antd/es/table";
import { type HTMLAttributes, useState } from "react";
import { Link, useNavigate, useParams } from "react-router";
import { PageHeader } from "../../shared/components/PageHeader";
import { ProblemAlert } from "../../shared/components/ProblemAlert";
import { type DataItem, getResource, type ResourceDetail, withdrawResource } from "../../shared/datahub";
import { formatDate, formatDateTime, formatNumber } from "../../shared/format";
import { useIsMobile } from "../../shared/hooks/useMediaQuery";
import { useRequest } from "../../shared/hooks/useRequest";
import { type Translate, useLocale, useT } from "../../shared/i18n";
import { categoryName, GradeTag, GrantStatusTag, relativeTime, SharingTypeTag } from "./datahubParts";
import { ErrorReportModal } from "./ErrorReportModal";
import { ReasonModal } from "./ReasonModal";
import { ItemFlags, RequestDrawer } from "./RequestDrawer";
import { ResourceFormDrawer } from "./ResourceFormDrawer";

function typeText(item: DataItem, t: Translate): string {
  const type = t(`datahub.itemType.${item.type}`);
  return item.length === null ? type : `${type}(${item.length})`;
}

function Facts({ resource }: { resource: ResourceDetail }) {
  const t = useT();
  const mobile = useIsMobile();
  const locale = useLocale();
  const keyItem = resource.items.find((i) => i.name === resource.keyItem);
  return (
    <Descriptions
      size="small"
      bordered
      column={mobile ? 1 : 2}
      className="ff-resource-facts"
      data-testid="resource-detail"
    >
      <Descriptions.Item label={t("datahub.resource.code")}>
        <span className="ff-mono">{resource.code}</span>
      </Descriptions.Item>
      <Descriptions.Item label={t("datahub.resource.category")}>
        {categoryName(resource.categoryCode, resource.categoryName, t)}
      </Descriptions.Item>
      <Descriptions.Item label={t("datahub.resource.provider")}>
        {resource.providerDepartmentName}{" "}
        <span className="ff-mono ff-muted ff-small">{resource.providerDepartmentCode}</span>
      </Descriptions.Item>
      <Descriptions.Item label={t("datahub.resource.version")}>
        <span data-testid="resource-version">v{resource.version}</span>
        <span className="ff-muted ff-small"> · {formatDateTime(resource.updatedAt).slice(0, 16)}</span>
      </Descriptions.Item>
      <Descriptions.Item label={t("datahub.resource.sharingType")}>
        <SharingTypeTag type={resource.sharingType} t={t} />
      </Descriptions.Item>
      <Descriptions.Item label={t("datahub.resource.sharingMethod")}>
        {t(`datahub.sharingMethod.${resource.sharingMethod}`)}
      </Descriptions.Item>
      {resource.sharingCondition && (
        <Descriptions.Item label={t("datahub.resource.sharingCondition")} span={mobile ? 1 : 2}>
          {resource.sharingCondition}
        </Descriptions.Item>
      )}
      {resource.sharingBasis && (
        <Descriptions.Item label={t("datahub.resource.sharingBasis")} span={mobile ? 1 : 2}>
          {resource.sharingBasis}
        </Descriptions.Item>
      )}
      <Descriptions.Item label={t("datahub.resource.openType")}>
        {t(`datahub.openType.${resource.openType}`)}
      </Descriptions.Item>
      <Descriptions.Item label={t("datahub.resource.updateCycle")}>
        {t(`datahub.updateCycle.${resource.updateCycle}`)}
      </Descriptions.Item>
      <Descriptions.Item label={t("datahub.resource.format")}>{resource.format}</Descriptions.Item>
      <Descriptions.Item label={t("datahub.resource.keyItem")}>
        {keyItem ? keyItem.title : resource.keyItem}{" "}
        <span className="ff-mono ff-muted ff-small">{resource.keyItem}</span>
      </Descriptions.Item>
      <Descriptions.Item label={t("datahub.resource.publishedOn")}>
        {formatDate(resource.publishedOn)}
      </Descriptions.Item>
      <Descriptions.Item label={t("datahub.resource.records")}>
        {formatNumber(resource.recordCount, locale)}
      </Descriptions.Item>
      <Descriptions.Item label={t("datahub.resource.shared")}>
        <span data-testid="resource-shared-count">
          {t("datahub.resource.sharedTimes", { count: formatNumber(resource.sharedCount, locale) })}
        </span>
      </Descriptions.Item>
      {resource.relatedCodes.length > 0 && (
        <Descriptions.Item label={t("datahub.resource.related")}>
          <span className="ff-tag-wrap">
            {resource.relatedCodes.map((c) => (
              <Tag key={c} className="ff-mono">
                {c}
              </Tag>
            ))}
          </span>
        </Descriptions.Item>
      )}
    </Descriptions>
  );
}

/** The 信息项: a table, or a list on phones. */
function Items({ resource }: { resource: ResourceDetail }) {
  const t = useT();
  const mobile = useIsMobile();
  const keyMark = (item: DataItem) =>
    item.name === resource.keyItem && (
      <Tooltip title={t("datahub.resource.keyItem")}>
        <KeyOutlined className="ff-key-mark" aria-label={t("datahub.resource.keyItem")} />
      </Tooltip>
    );
  if (mobile) {
    return (
      <div className="ff-card-list" data-testid="resource-items">
        {resource.items.map((item) => (
          <div key={item.name} className="ff-staff-card" data-testid={`resource-item-row-${item.name}`}>
            <span className="ff-staff-card-head">
              <strong>{item.title}</strong>
              {keyMark(item)}
              <span className="ff-mono ff-muted ff-small">{item.name}</span>
            </span>
            <span className="ff-tag-wrap">
              <GradeTag grade={item.grade} t={t} />
              <ItemFlags item={item} t={t} />
            </span>
            <span className="ff-muted ff-small">
              {typeText(item, t)}
              {item.baseField ? ` · ${item.baseField}` : ""}
            </span>
          </div>
        ))}
      </div>
    );
  }
  const columns: ColumnsType<DataItem> = [
    {
      title: t("datahub.item.title"),
      dataIndex: "title",
      render: (v: string, item) => (
        <span>
          <strong>{v}</strong> {keyMark(item)}
        </span>
      ),
    },
    {
      title: t("datahub.item.name"),
      dataIndex: "name",
      width: 160,
      render: (v: string) => <span className="ff-mono">{v}</span>,
    },
    { title: t("datahub.item.type"), key: "type", width: 120, render: (_, item) => typeText(item, t) },
    {
      title: t("datahub.item.grade"),
      dataIndex: "grade",
      width: 110,
      render: (_, item) => <GradeTag grade={item.grade} t={t} />,
    },
    {
      title: t("datahub.item.protection"),
      key: "flags",
      width: 220,
      render: (_, item) => (
        <span className="ff-tag-wrap">
          <ItemFlags item={item} t={t} />
        </span>
      ),
    },
    {
      title: t("datahub.item.baseField"),
      dataIndex: "baseField",
      width: 150,
      render: (v: string | null) => <span className="ff-mono ff-small">{v ?? "—"}</span>,
    },
  ];
  return (
    <Table<DataItem>
      rowKey="name"
      size="small"
      columns={columns}
      dataSource={resource.items}
      pagination={false}
      scroll={{ x: 860 }}
      onRow={(item) => ({ "data-testid": `resource-item-row-${item.name}` }) as HTMLAttributes<HTMLElement>}
      data-testid="resource-items"
    />
  );
}

function MyGrants({ resource }: { resource: ResourceDetail }) {
  const t = useT();
  const locale = useLocale();
  if (resource.myGrants.length === 0)
    return <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t("datahub.resource.noGrants")} />;
  return (
    <ul className="ff-todo-list" data-testid="resource-grants">
      {resource.myGrants.map((g) => (
        <li key={g.id} className="ff-resource-grant" data-testid={`resource-grant-${g.id}`}>
          <span className="ff-staff-card-head">
            <GrantStatusTag status={g.status} t={t} />
            <span className="ff-mono">{g.purposeCode}</span>
            <span className="ff-muted ff-small">
              {t("datahub.grant.expires", { when: relativeTime(g.expiresAt, locale) })}
            </span>
          </span>
          <span className="ff-small">{g.purpose}</span>
          <span className="ff-muted ff-small">
            {t("datahub.grant.fieldCount", { count: g.fields.length })}
            {g.clearFields.length > 0 &&
              ` · ${t("datahub.grant.clearCount", { count: g.clearFields.length })}`}
            {` · ${t("datahub.grant.calls", { count: formatNumber(g.calls, locale) })}`}
          </span>
        </li>
      ))}
    </ul>
  );
}

/** One catalog entry: what the resource holds, who provides it, and asking for it or reporting an error in it. */
export function ResourcePage() {
  const t = useT();
  const mobile = useIsMobile();
  const navigate = useNavigate();
  const { message } = App.useApp();
  const { id = "" } = useParams();
  const resource = useRequest((signal) => getResource(id, signal), [id]);
  const [requesting, setRequesting] = useState(false);
  const [reporting, setReporting] = useState(false);
  const [editing, setEditing] = useState(false);
  const [withdrawing, setWithdrawing] = useState(false);
  const data = resource.data && resource.data.id === id ? resource.data : null;

  const notShareable = data?.sharingType === "none";
  const withdrawn = data?.status === "withdrawn";
  const requestBlocked = notShareable
    ? t("datahub.resource.notShareable")
    : withdrawn
      ? t("datahub.resource.withdrawnHint")
      : null;

  return (
    <div data-testid="datahub-resource">
      <PageHeader
        title={data ? data.name : t("datahub.resource.detail")}
        subtitle={
          data && (
            <Space wrap size={[8, 4]}>
              <span className="ff-mono">{data.code}</span>
              <GradeTag grade={data.grade} t={t} />
              <SharingTypeTag type={data.sharingType} t={t} />
              {withdrawn && <Tag data-testid="resource-withdrawn">{t("datahub.resource.withdrawn")}</Tag>}
            </Space>
          )
        }
        extra={
          <Space wrap>
            <Button
              icon={<ArrowLeftOutlined />}
              onClick={() => navigate("/datahub/catalog")}
              data-testid="resource-back"
            >
              {!mobile && t("datahub.back")}
            </Button>
            {data && (
              <>
                <Tooltip title={requestBlocked}>
                  <Button
                    type="primary"
                    icon={<SendOutlined />}
                    disabled={requestBlocked !== null}
                    onClick={() => setRequesting(true)}
                    data-testid="resource-request"
                  >
                    {t("datahub.resource.request")}
                  </Button>
                </Tooltip>
                <Button
                  icon={<ExceptionOutlined />}
                  disabled={withdrawn}
                  onClick={() => setReporting(true)}
                  data-testid="error-report-open"
                >
                  {t("datahub.resource.reportError")}
                </Button>
                <Button
                  icon={<BarChartOutlined />}
                  onClick={() => navigate(`/datahub/usage?resourceId=${encodeURIComponent(data.id)}`)}
                  aria-label={t("datahub.nav.usage")}
                  data-testid="resource-usage"
                >
                  {!mobile && t("datahub.nav.usage")}
                </Button>
                {data.canEdit && (
                  <Button
                    icon={<EditOutlined />}
                    onClick={() => setEditing(true)}
                    data-testid="resource-edit"
                  >
                    {t("datahub.resource.edit")}
                  </Button>
                )}
                {data.canEdit && !withdrawn && (
                  <Button
                    danger
                    icon={<StopOutlined />}
                    onClick={() => setWithdrawing(true)}
                    data-testid="resource-withdraw"
                  >
                    {!mobile && t("datahub.resource.withdraw")}
                  </Button>
                )}
              </>
            )}
          </Space>
        }
      />
      <ProblemAlert error={resource.error} onRetry={resource.reload} style={{ marginBottom: 16 }} />
      {resource.loading && !data && <Spin className="ff-block-spin" />}
      {data && (
        <>
          {requestBlocked && (
            <Alert
              type={notShareable ? "warning" : "info"}
              showIcon
              className="ff-resource-alert"
              title={requestBlocked}
              description={
                notShareable && data.sharingBasis
                  ? t("datahub.resource.basisIs", { basis: data.sharingBasis })
                  : undefined
              }
              data-testid="resource-request-blocked"
            />
          )}
          <Row gutter={[16, 16]}>
            <Col xs={24} xl={16}>
              <Space orientation="vertical" size={16} className="ff-full-width">
                <Card className="ff-card" title={t("datahub.resource.facts")}>
                  <p className="ff-resource-summary">{data.summary}</p>
                  <Facts resource={data} />
                </Card>
                <Card
                  className="ff-card"
                  title={t("datahub.resource.itemsCount", { count: data.items.length })}
                  styles={{ body: mobile ? { padding: 8 } : undefined }}
                >
                  <Items resource={data} />
                </Card>
              </Space>
            </Col>
            <Col xs={24} xl={8}>
              <Card
                className="ff-card"
                title={t("datahub.resource.myGrants")}
                extra={<Link to="/datahub/grants">{t("datahub.home.all")}</Link>}
              >
                <MyGrants resource={data} />
              </Card>
            </Col>
          </Row>
          <RequestDrawer resource={data} open={requesting} onClose={() => setRequesting(false)} />
          <ErrorReportModal resource={data} open={reporting} onClose={() => setReporting(false)} />
          {data.canEdit && (
            <ReasonModal
              open={withdrawing}
              title={t("datahub.resource.withdrawTitle", { name: data.name })}
              text={t("datahub.resource.withdrawText")}
              label={t("datahub.resource.withdrawReason")}
              okText={t("datahub.resource.withdraw")}
              danger
              maxLength={1000}
              testId="resource-withdraw"
              onClose={() => setWithdrawing(false)}
              onSubmit={async (reason) => {
                await withdrawResource(data.id, reason);
                setWithdrawing(false);
                message.success(t("datahub.resource.withdrawnDone"));
                resource.reload();
              }}
            />
          )}
          {data.canEdit && (
            <ResourceFormDrawer
              open={editing}
              resource={data}
              onClose={() => setEditing(false)}
              onSaved={(saved) => {
                resource.setData({ ...data, ...saved });
                resource.reload();
              }}
            />
          )}
        </>
      )}
    </div>
  );
}
