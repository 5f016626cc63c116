import { FlagOutlined, ReloadOutlined } from "@ant-design/icons";
import { Button, Card, Col, Empty, Progress, Row, Segmented, Space, Spin, Table } from "antd";
import type { ColumnsType } from "antd/es/table";
import type { HTMLAttributes } from "react";
import { Link, useNavigate, useSearchParams } from "react-router";
import { useMe } from "../../../shared/auth";
import { PageHeader } from "../../../shared/components/PageHeader";
import { ProblemAlert } from "../../../shared/components/ProblemAlert";
import { formatDateTime } from "../../../shared/format";
import { useIsMobile } from "../../../shared/hooks/useMediaQuery";
import { useRequest } from "../../../shared/hooks/useRequest";
import { type Translate, useT } from "../../../shared/i18n";
import {
  getSupervisionBoard,
  LIGHTS,
  type Light,
  listSupervision,
  SUPERVISION_ASSIGNING_ROLES,
  type SupervisionBoard,
  type SupervisionItem,
} from "../../../shared/office";
import { useUpdateParams } from "../../../shared/params";
import { SupervisionCreateDrawer } from "./SupervisionCreateDrawer";
import { LightBar, LightDot } from "./supParts";

/** The leaders' board: how many items are red, yellow, green or done, overall and per lead department. */
function Board({
  board,
  light,
  onLight,
}: {
  board: SupervisionBoard;
  light: Light | null;
  onLight: (light: Light | null) => void;
}) {
  const t = useT();
  const total = LIGHTS.reduce((sum, l) => sum + board.totals[l], 0);
  return (
    <Row gutter={[16, 16]} className="ff-sup-board" data-testid="sup-board">
      <Col xs={24} lg={10}>
        <Card className="ff-card ff-card-fill" title={t("office.sup.board")}>
          <div className="ff-sup-totals">
            {LIGHTS.map((l) => (
              <button
                type="button"
                key={l}
                className={`ff-sup-total ff-sup-total-${l}${light === l ? " ff-sup-total-active" : ""}`}
                onClick={() => onLight(light === l ? null : l)}
                aria-pressed={light === l}
                data-testid={`sup-total-${l}`}
              >
                <span className="ff-sup-total-count">{board.totals[l]}</span>
                <span className="ff-sup-total-label">
                  <LightDot light={l} t={t} /> {t(`office.sup.light.${l}`)}
                </span>
              </button>
            ))}
          </div>
          <LightBar counts={board.totals} t={t} />
          <div className="ff-muted ff-small ff-sup-total-line">{t("office.sup.totalItems", { total })}</div>
        </Card>
      </Col>
      <Col xs={24} lg={14}>
        <Card className="ff-card ff-card-fill" title={t("office.sup.byDepartment")}>
          {board.departments.length === 0 ? (
            <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t("office.sup.empty")} />
          ) : (
            <ul className="ff-sup-depts">
              {board.departments.map((d) => (
                <li key={d.departmentId} data-testid={`sup-dept-${d.departmentId}`}>
                  <span className="ff-sup-dept-name">{d.departmentName}</span>
                  <LightBar counts={d} t={t} />
                  <span className="ff-sup-dept-counts ff-small">
                    {LIGHTS.filter((l) => d[l] > 0).map((l) => (
                      <span key={l}>
                        <LightDot light={l} t={t} />
                        {d[l]}
                      </span>
                    ))}
                  </span>
                </li>
              ))}
            </ul>
          )}
        </Card>
      </Col>
    </Row>
  );
}

function ItemCard({ item, t }: { item: SupervisionItem; t: Translate }) {
  return (
    <Link
      to={`/office/supervision/${encodeURIComponent(item.id)}`}
      className="ff-sup-card"
      data-testid={`sup-row-${item.id}`}
      data-light={item.light}
    >
      <span className="ff-sup-card-head">
        <LightDot light={item.light} t={t} />
        <strong>{item.title}</strong>
      </span>
      <span className="ff-sup-card-meta ff-small ff-muted">
        <span>{item.leadDepartmentName}</span>
        <span>{t("office.sup.dueOn", { date: formatDateTime(item.dueAt).slice(0, 10) })}</span>
      </span>
      <Progress percent={item.progress} size="small" />
    </Link>
  );
}

/** 督查督办: the red/yellow/green board and the items, filtered by light. */
export function SupervisionPage() {
  const t = useT();
  const me = useMe();
  const mobile = useIsMobile();
  const navigate = useNavigate();
  const [params] = useSearchParams();
  const update = useUpdateParams();
  const lightParam = params.get("light");
  const light = LIGHTS.includes(lightParam as Light) ? (lightParam as Light) : null;
  const creating = params.get("new") === "1";
  const mayAssign = me.roles.some((r) => SUPERVISION_ASSIGNING_ROLES.includes(r));

  const board = useRequest((signal) => getSupervisionBoard(signal), []);
  const list = useRequest(
    (signal) => listSupervision({ ...(light ? { light } : {}), limit: 200 }, signal),
    [light],
  );
  const reload = () => {
    board.reload();
    list.reload();
  };
  const setLight = (l: Light | null) => update({ light: l });
  const items = list.data ?? [];
  const open = (item: SupervisionItem) => navigate(`/office/supervision/${encodeURIComponent(item.id)}`);

  const columns: ColumnsType<SupervisionItem> = [
    {
      title: t("office.sup.field.light"),
      dataIndex: "light",
      width: 70,
      align: "center",
      render: (l: Light) => <LightDot light={l} t={t} />,
    },
    { title: t("office.sup.field.title"), dataIndex: "title", render: (v: string) => <strong>{v}</strong> },
    { title: t("office.sup.field.lead"), dataIndex: "leadDepartmentName", width: 180, ellipsis: true },
    {
      title: t("office.sup.field.due"),
      dataIndex: "dueAt",
      width: 130,
      render: (v: string) => <span className="ff-nowrap">{formatDateTime(v).slice(0, 10)}</span>,
    },
    {
      title: t("office.sup.field.progress"),
      dataIndex: "progress",
      width: 180,
      render: (v: number) => <Progress percent={v} size="small" />,
    },
  ];

  return (
    <div data-testid="office-supervision">
      <PageHeader
        title={t("office.sup.title")}
        subtitle={t("office.sup.subtitle")}
        extra={
          <Space wrap>
            <Button icon={<ReloadOutlined />} onClick={reload} aria-label={t("common.reload")}>
              {!mobile && t("common.reload")}
            </Button>
            {mayAssign && (
              <Button
                type="primary"
                icon={<FlagOutlined />}
                onClick={() => update({ new: "1" }, true)}
                data-testid="sup-new"
              >
                {t("office.sup.new")}
              </Button>
            )}
          </Space>
        }
      />
      <ProblemAlert error={board.error} onRetry={board.reload} style={{ marginBottom: 16 }} />
      {board.loading && !board.data && <Spin className="ff-block-spin" />}
      {board.data && <Board board={board.data} light={light} onLight={setLight} />}
      <Card
        className="ff-card ff-sup-list-card"
        title={t("office.sup.items")}
        styles={{ body: mobile ? { padding: 8 } : undefined }}
        extra={
          !mobile && (
            <Segmented
              value={light ?? "all"}
              onChange={(v) => setLight(v === "all" ? null : (v as Light))}
              options={[
                { value: "all", label: t("office.sup.all") },
                ...LIGHTS.map((l) => ({ value: l, label: t(`office.sup.light.${l}`) })),
              ]}
              data-testid="sup-filter-light"
            />
          )
        }
      >
        {mobile && (
          <Segmented
            block
            value={light ?? "all"}
            onChange={(v) => setLight(v === "all" ? null : (v as Light))}
            options={[
              { value: "all", label: t("office.sup.all") },
              ...LIGHTS.map((l) => ({ value: l, label: t(`office.sup.light.${l}`) })),
            ]}
            className="ff-sup-filter-phone"
            data-testid="sup-filter-light"
          />
        )}
        <ProblemAlert error={list.error} onRetry={list.reload} style={{ marginBottom: 12 }} />
        {mobile ? (
          <Spin spinning={list.loading}>
            <div className="ff-card-list" data-testid="sup-list">
              {items.length === 0 && !list.loading && <Empty description={t("office.sup.empty")} />}
              {items.map((item) => (
                <ItemCard key={item.id} item={item} t={t} />
              ))}
            </div>
          </Spin>
        ) : (
          <Table<SupervisionItem>
            rowKey="id"
            size="middle"
            loading={list.loading}
            columns={columns}
            dataSource={items}
            rowClassName="ff-clickable-row"
            onRow={(item) =>
              ({
                onClick: () => open(item),
                "data-testid": `sup-row-${item.id}`,
                "data-light": item.light,
              }) as HTMLAttributes<HTMLElement>
            }
            pagination={items.length > 20 ? { pageSize: 20, showSizeChanger: false } : false}
            locale={{ emptyText: <Empty description={t("office.sup.empty")} /> }}
            data-testid="sup-table"
          />
        )}
      </Card>
      {mayAssign && <SupervisionCreateDrawer open={creating} onClose={() => update({ new: null })} />}
    </div>
  );
}
