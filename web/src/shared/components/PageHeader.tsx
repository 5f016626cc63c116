import { Typography } from "antd";
import type { ReactNode } from "react";

/** Title row of a page: title, an optional one-line explanation, and actions on the right. */
export function PageHeader({
  title,
  subtitle,
  extra,
}: {
  title: ReactNode;
  subtitle?: ReactNode;
  extra?: ReactNode;
}) {
  return (
    <div className="ff-page-header">
      <div className="ff-page-header-text">
        <Typography.Title level={3} className="ff-page-title">
          {title}
        </Typography.Title>
        {subtitle && <div className="ff-page-subtitle">{subtitle}</div>}
      </div>
      {extra && <div className="ff-page-header-extra">{extra}</div>}
    </div>
  );
}
