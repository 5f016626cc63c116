import { CheckSquareOutlined } from "@ant-design/icons";
import { Card, Col, Empty } from "antd";
import { WelcomePage } from "../../shared/components/WelcomePage";
import { useT } from "../../shared/i18n";

/** 一网协同: the civil servant's desk. */
export function OfficeHome() {
  const t = useT();
  return (
    <WelcomePage
      portal="office"
      capabilities={[
        "office.cap.documents",
        "office.cap.approvals",
        "office.cap.meetings",
        "office.cap.supervision",
      ]}
    >
      <Col xs={24}>
        <Card title={t("office.todo")} className="ff-card" data-testid="office-todo">
          <Empty
            image={<CheckSquareOutlined className="ff-empty-icon" />}
            description={
              <span>
                <strong className="ff-empty-title">{t("office.todoEmpty")}</strong>
                <br />
                <span className="ff-muted">{t("office.todoHint")}</span>
              </span>
            }
          />
        </Card>
      </Col>
    </WelcomePage>
  );
}
