import { ApartmentOutlined, ClockCircleOutlined, EnvironmentOutlined } from "@ant-design/icons";
import { Tag } from "antd";
import { Link } from "react-router";
import { useT } from "../../../shared/i18n";
import type { ServiceSummary } from "../../../shared/services";
import { daysText } from "./serviceParts";

/** A result of the 办事大厅 search: name, department, 承诺时限, 到现场次数, 全程网办. */
export function ServiceCard({
  service,
  to,
  large = false,
}: {
  service: ServiceSummary;
  to: string;
  large?: boolean;
}) {
  const t = useT();
  return (
    <Link
      to={to}
      className={large ? "ff-svc-card ff-svc-card-large" : "ff-svc-card"}
      data-testid={`services-card-${service.id}`}
      data-name={service.name}
    >
      <span className="ff-svc-card-name">{service.name}</span>
      <span className="ff-svc-card-meta">
        <span>
          <ApartmentOutlined /> {service.department.name}
        </span>
      </span>
      <span className="ff-svc-card-tags">
        <Tag color={service.promisedDays === 0 ? "green" : "blue"} icon={<ClockCircleOutlined />}>
          {service.promisedDays === 0
            ? t("services.days.instant")
            : t("services.card.promised", { days: daysText(service.promisedDays, t) })}
        </Tag>
        <Tag icon={<EnvironmentOutlined />} color={service.visits === 0 ? "cyan" : "default"}>
          {t("services.card.visits", { count: service.visits })}
        </Tag>
        {service.fullyOnline && (
          <Tag color="green" data-testid="services-card-online">
            {t("services.card.fullyOnline")}
          </Tag>
        )}
        <Tag>{service.itemType}</Tag>
      </span>
    </Link>
  );
}
