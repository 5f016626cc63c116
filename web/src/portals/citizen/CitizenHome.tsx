import { FileSearchOutlined, RightOutlined, SafetyOutlined } from "@ant-design/icons";
import { Button, Card, Col, Descriptions, Empty, Skeleton, Tag } from "antd";
import { useEffect } from "react";
import { Link, Navigate, useNavigate } from "react-router";
import { useMe } from "../../shared/auth";
import { WelcomePage } from "../../shared/components/WelcomePage";
import { formatDateTime } from "../../shared/format";
import { useRequest } from "../../shared/hooks/useRequest";
import { type Translate, useT } from "../../shared/i18n";
import { roleName } from "../../shared/roles";
import { listMyApplications, SERVICE_APPLICANT_ROLES } from "../../shared/services";
import { DeadlineTag, StatusTag } from "./services/serviceParts";

/** 我的办件 on the home page: the latest applications, or how to make the first one. */
function LatestApplications({ t }: { t: Translate }) {
  const navigate = useNavigate();
  const list = useRequest((signal) => listMyApplications({ page: 1, pageSize: 5 }, signal), []);
  const items = list.data?.items ?? [];
  if (list.loading && !list.data) return <Skeleton active paragraph={{ rows: 3 }} />;
  if (items.length === 0)
    return (
      <Empty
        image={<FileSearchOutlined className="ff-empty-icon" />}
        description={
          <span>
            <strong className="ff-empty-title">{t("citizen.myCasesEmpty")}</strong>
            <br />
            <span className="ff-muted">{t("citizen.myCasesHint")}</span>
          </span>
        }
      >
        <Button
          type="primary"
          onClick={() => navigate("/citizen/services")}
          data-testid="citizen-cases-start"
        >
          {t("services.hall.title")}
        </Button>
      </Empty>
    );
  return (
    <div className="ff-svc-latest" data-testid="citizen-cases-list">
      {items.map((app) => (
        <Link key={app.id} to={`/citizen/applications/${app.id}`} className="ff-svc-latest-row">
          <span className="ff-svc-latest-name">
            <strong>{app.serviceName}</strong>
            <span className="ff-muted ff-small">
              {app.receiptNo} · {formatDateTime(app.submittedAt ?? app.createdAt).slice(0, 16)}
            </span>
          </span>
          <span className="ff-svc-latest-tags">
            <StatusTag status={app.status} t={t} />
            <DeadlineTag deadline={app.deadline} status={app.status} t={t} />
          </span>
        </Link>
      ))}
      <Link to="/citizen/applications" className="ff-svc-latest-more">
        {t("services.home.all")} <RightOutlined />
      </Link>
    </div>
  );
}

/** 一网通办: the citizen's and enterprise's own page. */
export function CitizenHome() {
  const me = useMe();
  const t = useT();
  const applicant = me.roles.some((r) => SERVICE_APPLICANT_ROLES.includes(r));
  return (
    <WelcomePage
      portal="citizen"
      capabilities={[
        "citizen.cap.apply",
        "citizen.cap.progress",
        "citizen.cap.materials",
        "citizen.cap.evaluate",
      ]}
    >
      <Col xs={24} lg={14}>
        <Card title={t("citizen.myCases")} className="ff-card ff-card-fill" data-testid="citizen-cases">
          {applicant ? (
            <LatestApplications t={t} />
          ) : (
            <Empty
              image={<FileSearchOutlined className="ff-empty-icon" />}
              description={<strong className="ff-empty-title">{t("citizen.myCasesEmpty")}</strong>}
            />
          )}
        </Card>
      </Col>
      <Col xs={24} lg={10}>
        <Card title={t("citizen.profile")} className="ff-card ff-card-fill" data-testid="citizen-profile">
          <Descriptions column={1} size="small" styles={{ label: { width: 96 } }}>
            <Descriptions.Item label={t("profile.displayName")}>{me.displayName}</Descriptions.Item>
            <Descriptions.Item label={t("profile.username")}>{me.username}</Descriptions.Item>
            <Descriptions.Item label={t("profile.kind")}>{t(`userKind.${me.kind}`)}</Descriptions.Item>
            <Descriptions.Item label={t("profile.roles")}>
              {me.roles.length
                ? me.roles.map((r) => (
                    <Tag key={r} color="blue">
                      {roleName(r, t)}
                    </Tag>
                  ))
                : "—"}
            </Descriptions.Item>
            {me.department && (
              <Descriptions.Item label={t("profile.department")}>{me.department.name}</Descriptions.Item>
            )}
          </Descriptions>
        </Card>
      </Col>
      {me.roles.includes("citizen") && (
        <Col xs={24}>
          <Link to="/citizen/data-uses" className="ff-section-link" data-testid="citizen-data-uses-link">
            <Card className="ff-card ff-card-fill ff-section-card" hoverable size="small">
              <div className="ff-section-card-head">
                <span className="ff-section-card-icon">
                  <SafetyOutlined />
                </span>
                <span className="ff-start-link-text">
                  <span className="ff-section-card-title">{t("datahub.dataUses.title")}</span>
                  <span className="ff-muted ff-small">{t("datahub.dataUses.linkText")}</span>
                </span>
                <RightOutlined className="ff-section-card-arrow" />
              </div>
            </Card>
          </Link>
        </Col>
      )}
    </WelcomePage>
  );
}
