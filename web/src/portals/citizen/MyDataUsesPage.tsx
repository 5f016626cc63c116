import { ArrowLeftOutlined, SafetyOutlined } from "@ant-design/icons";
import { Button, Card, Empty, Pagination, Spin, Tag } from "antd";
import { useNavigate, useSearchParams } from "react-router";
import { PageHeader } from "../../shared/components/PageHeader";
import { ProblemAlert } from "../../shared/components/ProblemAlert";
import { type DataUse, listMyDataUses } from "../../shared/datahub";
import { formatDateTime } from "../../shared/format";
import { useIsMobile } from "../../shared/hooks/useMediaQuery";
import { useRequest } from "../../shared/hooks/useRequest";
import { type Translate, useT } from "../../shared/i18n";
import { positiveInt, useUpdateParams } from "../../shared/params";
import "../datahub/datahub.css";

const PAGE_SIZE = 20;

function UseItem({ use, t }: { use: DataUse; t: Translate }) {
  return (
    <li className="ff-data-use" data-testid={`data-use-${use.id}`}>
      <div className="ff-data-use-head">
        <strong>{use.departmentName}</strong>
        <Tag color={use.channel === "prefill" ? "cyan" : "blue"}>
          {t(`datahub.dataUses.channel.${use.channel}`)}
        </Tag>
      </div>
      <div className="ff-small">{t("datahub.dataUses.used", { resource: use.resourceName })}</div>
      <div className="ff-tag-wrap ff-data-use-fields">
        {use.fields.map((f) => (
          <Tag key={f}>{f}</Tag>
        ))}
      </div>
      <div className="ff-small">
        <span className="ff-muted">{t("datahub.labelled", { label: t("datahub.dataUses.purpose") })}</span>
        {use.purpose}
      </div>
      <div className="ff-muted ff-small">{formatDateTime(use.at).slice(0, 16)}</div>
    </li>
  );
}

/** 我的数据使用记录: which departments used my personal data, when, which items, and why (PIPL art. 44). */
export function MyDataUsesPage() {
  const t = useT();
  const mobile = useIsMobile();
  const navigate = useNavigate();
  const [params] = useSearchParams();
  const update = useUpdateParams();
  const page = positiveInt(params.get("page"), 1);
  const list = useRequest((signal) => listMyDataUses({ page, pageSize: PAGE_SIZE }, signal), [page]);
  const items = list.data?.items ?? [];
  const total = list.data?.total ?? 0;

  return (
    <div data-testid="citizen-data-uses">
      <PageHeader
        title={t("datahub.dataUses.title")}
        subtitle={t("datahub.dataUses.subtitle")}
        extra={
          <Button
            icon={<ArrowLeftOutlined />}
            onClick={() => navigate("/citizen")}
            aria-label={t("datahub.back")}
          >
            {!mobile && t("datahub.back")}
          </Button>
        }
      />
      <ProblemAlert error={list.error} onRetry={list.reload} style={{ marginBottom: 16 }} />
      <Card className="ff-card" styles={{ body: mobile ? { padding: 8 } : undefined }}>
        <Spin spinning={list.loading}>
          {items.length === 0 && !list.loading ? (
            <Empty
              image={<SafetyOutlined className="ff-empty-icon" />}
              description={t("datahub.dataUses.empty")}
            />
          ) : (
            <ul className="ff-data-uses" data-testid="data-uses-list">
              {items.map((use) => (
                <UseItem key={use.id} use={use} t={t} />
              ))}
            </ul>
          )}
        </Spin>
        {total > PAGE_SIZE && (
          <Pagination
            className="ff-pagination"
            size="small"
            current={page}
            pageSize={PAGE_SIZE}
            total={total}
            showSizeChanger={false}
            onChange={(p) => update({ page: p === 1 ? null : p })}
          />
        )}
      </Card>
    </div>
  );
}
