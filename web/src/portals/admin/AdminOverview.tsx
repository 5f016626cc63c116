import { RightOutlined } from "@ant-design/icons";
import { Card, Col } from "antd";
import { Link } from "react-router";
import { WelcomePage } from "../../shared/components/WelcomePage";
import { type MessageKey, useT } from "../../shared/i18n";
import { PORTALS } from "../../shared/portals";

const DESCRIPTIONS: Record<string, MessageKey> = {
  departments: "admin.desc.departments",
  staff: "admin.desc.staff",
  roles: "admin.desc.roles",
  audit: "admin.desc.audit",
  calendar: "admin.desc.calendar",
  "twin-clients": "admin.desc.twinClients",
  processes: "admin.desc.processes",
};

/** 系统管理 home: the sections of the administration portal. */
export function AdminOverview() {
  const t = useT();
  const sections = PORTALS.admin.nav.filter((item) => item.key in DESCRIPTIONS);
  return (
    <WelcomePage portal="admin" capabilities={[]}>
      {sections.map((item) => {
        const description = DESCRIPTIONS[item.key];
        return (
          <Col key={item.key} xs={24} sm={12} xl={8}>
            <Link to={item.path} className="ff-section-link" data-testid={`admin-overview-${item.key}`}>
              <Card className="ff-card ff-card-fill ff-section-card" hoverable>
                <div className="ff-section-card-head">
                  <span className="ff-section-card-icon">{item.icon}</span>
                  <span className="ff-section-card-title">{t(item.label)}</span>
                  <RightOutlined className="ff-section-card-arrow" />
                </div>
                {description && <p className="ff-muted ff-section-card-text">{t(description)}</p>}
              </Card>
            </Link>
          </Col>
        );
      })}
    </WelcomePage>
  );
}
