import {
  ApiOutlined,
  AuditOutlined,
  BarChartOutlined,
  CheckSquareOutlined,
  DatabaseOutlined,
  ExceptionOutlined,
  RightOutlined,
  SafetyCertificateOutlined,
  SearchOutlined,
  SendOutlined,
} from "@ant-design/icons";
import { Card, Col, Input, Spin } from "antd";
import type { ReactNode } from "react";
import { Link, useNavigate } from "react-router";
import { ProblemAlert } from "../../shared/components/ProblemAlert";
import { WelcomePage } from "../../shared/components/WelcomePage";
import { getUsageStats, listGrants, listSharingRequests, OPEN_REQUEST_STATUSES } from "../../shared/datahub";
import { formatNumber, shanghaiToday } from "../../shared/format";
import { type RequestState, useRequest } from "../../shared/hooks/useRequest";
import { type MessageKey, useLocale, useT } from "../../shared/i18n";
import "./datahub.css";

/** One number on the home page, a link to the list it counts. */
function StatCard({
  to,
  icon,
  label,
  hint,
  count,
  testId,
}: {
  to: string;
  icon: ReactNode;
  label: string;
  hint: string;
  count: RequestState<number>;
  testId: string;
}) {
  const locale = useLocale();
  return (
    <>
      <Link to={to} className="ff-section-link" data-testid={`datahub-stat-${testId}`}>
        <Card className="ff-card ff-card-fill ff-datahub-stat" hoverable size="small">
          <div className="ff-section-card-head">
            <span className="ff-section-card-icon">{icon}</span>
            <span className="ff-start-link-text">
              <span className="ff-muted ff-small">{label}</span>
              {count.data !== undefined ? (
                <span className="ff-datahub-stat-count" data-testid={`datahub-stat-${testId}-count`}>
                  {formatNumber(count.data, locale)}
                </span>
              ) : count.loading ? (
                <Spin size="small" />
              ) : (
                <span className="ff-datahub-stat-count ff-muted">—</span>
              )}
              <span className="ff-muted ff-small">{hint}</span>
            </span>
            <RightOutlined className="ff-section-card-arrow" />
          </div>
        </Card>
      </Link>
      {count.error !== null && <ProblemAlert error={count.error} onRetry={count.reload} />}
    </>
  );
}

/** The ways into the console, each with what it is for. */
const SHORTCUTS: { to: string; icon: ReactNode; title: MessageKey; text: MessageKey; testId: string }[] = [
  {
    to: "/datahub/catalog",
    icon: <DatabaseOutlined />,
    title: "datahub.nav.catalog",
    text: "datahub.home.catalogText",
    testId: "catalog",
  },
  {
    to: "/datahub/responsibilities",
    icon: <AuditOutlined />,
    title: "datahub.nav.responsibilities",
    text: "datahub.home.responsibilitiesText",
    testId: "responsibilities",
  },
  {
    to: "/datahub/error-reports",
    icon: <ExceptionOutlined />,
    title: "datahub.nav.errors",
    text: "datahub.home.errorsText",
    testId: "errors",
  },
  {
    to: "/datahub/clients",
    icon: <ApiOutlined />,
    title: "datahub.nav.clients",
    text: "datahub.home.clientsText",
    testId: "clients",
  },
];

/** 一网共享: what waits for my department — its requests, reviews, grants and today's gateway calls. */
export function DatahubHome() {
  const t = useT();
  const navigate = useNavigate();
  const today = shanghaiToday();
  const myOpen = useRequest(
    (signal) =>
      listSharingRequests({ box: "mine" }, signal).then(
        (items) => items.filter((r) => OPEN_REQUEST_STATUSES.includes(r.status)).length,
      ),
    [],
  );
  const review = useRequest(
    (signal) =>
      listSharingRequests({ box: "review" }, signal).then(
        (items) => items.filter((r) => OPEN_REQUEST_STATUSES.includes(r.status)).length,
      ),
    [],
  );
  const grants = useRequest(
    (signal) => listGrants({ box: "consumer", status: "active" }, signal).then((items) => items.length),
    [],
  );
  const calls = useRequest(
    (signal) => getUsageStats({ from: today, to: today }, signal).then((s) => s.total.calls),
    [today],
  );

  return (
    <WelcomePage portal="datahub" capabilities={[]}>
      <Col xs={24}>
        <Card className="ff-card">
          <Input.Search
            size="large"
            allowClear
            enterButton={<SearchOutlined />}
            placeholder={t("datahub.catalog.searchPlaceholder")}
            onSearch={(q) =>
              navigate(q.trim() ? `/datahub/catalog?q=${encodeURIComponent(q.trim())}` : "/datahub/catalog")
            }
            data-testid="datahub-home-search"
          />
        </Card>
      </Col>
      <Col xs={24} sm={12} xl={6}>
        <StatCard
          to="/datahub/requests"
          icon={<SendOutlined />}
          label={t("datahub.home.myOpen")}
          hint={t("datahub.home.myOpenHint")}
          count={myOpen}
          testId="mine"
        />
      </Col>
      <Col xs={24} sm={12} xl={6}>
        <StatCard
          to="/datahub/requests?box=review"
          icon={<CheckSquareOutlined />}
          label={t("datahub.home.review")}
          hint={t("datahub.home.reviewHint")}
          count={review}
          testId="review"
        />
      </Col>
      <Col xs={24} sm={12} xl={6}>
        <StatCard
          to="/datahub/grants?status=active"
          icon={<SafetyCertificateOutlined />}
          label={t("datahub.home.grants")}
          hint={t("datahub.home.grantsHint")}
          count={grants}
          testId="grants"
        />
      </Col>
      <Col xs={24} sm={12} xl={6}>
        <StatCard
          to="/datahub/usage"
          icon={<BarChartOutlined />}
          label={t("datahub.home.callsToday")}
          hint={t("datahub.home.callsTodayHint")}
          count={calls}
          testId="calls"
        />
      </Col>
      {SHORTCUTS.map((s) => (
        <Col key={s.to} xs={24} md={12}>
          <Link to={s.to} className="ff-section-link" data-testid={`datahub-shortcut-${s.testId}`}>
            <Card className="ff-card ff-card-fill ff-section-card" hoverable size="small">
              <div className="ff-section-card-head">
                <span className="ff-section-card-icon">{s.icon}</span>
                <span className="ff-start-link-text">
                  <span className="ff-section-card-title">{t(s.title)}</span>
                  <span className="ff-muted ff-small">{t(s.text)}</span>
                </span>
                <RightOutlined className="ff-section-card-arrow" />
              </div>
            </Card>
          </Link>
        </Col>
      ))}
    </WelcomePage>
  );
}
