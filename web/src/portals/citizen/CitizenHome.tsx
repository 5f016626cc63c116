import { FileSearchOutlined, RightOutlined, SafetyOutlined } from "@ant-design/icons";
import { Card, Col, Descriptions, Empty, Tag } from "antd";
import { Link } from "react-router";
import { useMe } from "../../shared/auth";
import { WelcomePage } from "../../shared/components/WelcomePage";
import { useT } from "../../shared/i18n";
import { roleName } from "../../shared/roles";

/** 一网通办: the citizen's and enterprise's own page. */
export function CitizenHome() {
  const me = useMe();
  const t = useT();
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
          <Empty
            image={<FileSearchOutlined className="ff-empty-icon" />}
            description={
              <span>
                <strong className="ff-empty-title">{t("citizen.myCasesEmpty")}</strong>
                <br />
                <span className="ff-muted">{t("citizen.myCasesHint")}</span>
              </span>
            }
          />
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
