import { PrinterOutlined } from "@ant-design/icons";
import { Button, QRCode } from "antd";
import { formatDateTime } from "../../../shared/format";
import { useT } from "../../../shared/i18n";
import { type ApplicationSummary, trackingPath } from "../../../shared/services";
import { daysText } from "./serviceParts";

/** The address the receipt's QR code holds: the public tracking page of this application. */
export function trackingUrl(receiptNo: string, trackingCode: string): string {
  return `${window.location.origin}${trackingPath(receiptNo, trackingCode)}`;
}

/**
 * 办件回执: what was applied for, when, by when it will be done, and a QR code to follow it. Printing
 * (window.print) shows the receipt alone: the print stylesheet hides the rest of the page.
 */
export function Receipt({ app, large = false }: { app: ApplicationSummary; large?: boolean }) {
  const t = useT();
  const rows: [string, string][] = [
    [t("services.receipt.receiptNo"), app.receiptNo],
    [t("services.receipt.item"), app.serviceName],
    [t("services.receipt.department"), app.department.name],
    [t("services.receipt.applicant"), `${app.applicant.name} ${app.applicant.idMasked}`],
    [t("services.receipt.submittedAt"), formatDateTime(app.submittedAt ?? app.createdAt).slice(0, 16)],
    [
      t("services.receipt.promised"),
      app.deadline ? daysText(app.deadline.promisedDays, t) : t("services.receipt.afterAcceptance"),
    ],
    [
      t("services.receipt.dueAt"),
      app.deadline?.dueAt
        ? formatDateTime(app.deadline.dueAt).slice(0, 16)
        : t("services.receipt.afterAcceptance"),
    ],
    [t("services.receipt.trackingCode"), app.trackingCode ?? "—"],
  ];
  const url = app.trackingCode ? trackingUrl(app.receiptNo, app.trackingCode) : null;
  return (
    <div
      className={large ? "ff-svc-receipt ff-svc-receipt-large" : "ff-svc-receipt"}
      data-testid="services-receipt"
    >
      <div className="ff-svc-receipt-title">{t("services.receipt.title")}</div>
      <div className="ff-svc-receipt-sub">{t("app.name")}</div>
      <div className="ff-svc-receipt-body">
        <dl className="ff-svc-receipt-rows">
          {rows.map(([label, value]) => (
            <div key={label} className="ff-svc-receipt-row">
              <dt>{label}</dt>
              <dd data-testid={label === t("services.receipt.receiptNo") ? "services-receipt-no" : undefined}>
                {value}
              </dd>
            </div>
          ))}
        </dl>
        {url && (
          <div className="ff-svc-receipt-qr">
            <div data-testid="services-receipt-qr" data-value={url}>
              <QRCode value={url} size={large ? 200 : 140} type="svg" bordered={false} errorLevel="M" />
            </div>
            <span className="ff-small">{t("services.receipt.scan")}</span>
          </div>
        )}
      </div>
      <div className="ff-svc-receipt-foot ff-small">{t("services.receipt.note")}</div>
      <div className="ff-svc-no-print ff-svc-receipt-print">
        <Button
          icon={<PrinterOutlined />}
          size={large ? "large" : "middle"}
          onClick={() => window.print()}
          data-testid="services-receipt-print"
        >
          {t("services.receipt.print")}
        </Button>
      </div>
    </div>
  );
}
