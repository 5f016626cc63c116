import { Card, Descriptions, Input, Result, Skeleton } from "antd";
import { useState } from "react";
import { useParams, useSearchParams } from "react-router";
import { BrandMark } from "../../../shared/components/BrandMark";
import { LanguageSwitcher } from "../../../shared/components/LanguageSwitcher";
import { formatDateTime } from "../../../shared/format";
import { useRequest } from "../../../shared/hooks/useRequest";
import { useT } from "../../../shared/i18n";
import { trackApplication } from "../../../shared/services";
import { ServiceProblem, StatusTag } from "./serviceParts";

/** The public page a receipt's QR code opens: status and dates, nothing personal. */
export function TrackPage() {
  const t = useT();
  const { receiptNo = "" } = useParams();
  const [params, setParams] = useSearchParams();
  const code = params.get("code") ?? "";
  const [draft, setDraft] = useState(code);
  const track = useRequest(
    (signal) => (code ? trackApplication(receiptNo, code, signal) : Promise.resolve(null)),
    [receiptNo, code],
  );
  const at = (v: string | null | undefined) => (v ? formatDateTime(v).slice(0, 16) : "—");
  return (
    <div className="ff-svc-track" data-testid="services-track">
      <div className="ff-svc-track-head">
        <BrandMark size={32} />
        <span className="ff-svc-track-brand">{t("app.name")}</span>
        <LanguageSwitcher compact />
      </div>
      <Card className="ff-card ff-svc-track-card" title={t("services.track.title")}>
        <p className="ff-muted">
          {t("services.receipt.receiptNo")} <span className="ff-mono">{receiptNo}</span>
        </p>
        {!code && (
          <Input.Search
            value={draft}
            onChange={(e) => setDraft(e.target.value)}
            onSearch={(v) => setParams(v.trim() ? { code: v.trim() } : {}, { replace: true })}
            placeholder={t("services.track.codePlaceholder")}
            enterButton={t("common.search")}
            data-testid="services-track-code"
          />
        )}
        <ServiceProblem error={track.error} onRetry={track.reload} />
        {track.loading && code && !track.data && <Skeleton active />}
        {track.data && (
          <>
            <Result
              status={
                ["not-accepted", "denied", "withdrawn"].includes(track.data.status) ? "warning" : "info"
              }
              title={<StatusTag status={track.data.status} t={t} />}
              subTitle={track.data.serviceName}
              className="ff-svc-track-result"
            />
            <Descriptions column={1} size="small" data-testid="services-track-dates">
              <Descriptions.Item label={t("services.step.submit")}>
                {at(track.data.submittedAt)}
              </Descriptions.Item>
              <Descriptions.Item label={t("services.step.accept")}>
                {at(track.data.acceptedAt)}
              </Descriptions.Item>
              <Descriptions.Item label={t("services.step.decide")}>
                {at(track.data.decidedAt)}
              </Descriptions.Item>
              <Descriptions.Item label={t("services.step.deliver")}>
                {at(track.data.deliveredAt)}
              </Descriptions.Item>
              {track.data.dueAt && (
                <Descriptions.Item label={t("services.receipt.dueAt")}>
                  {at(track.data.dueAt)}
                </Descriptions.Item>
              )}
            </Descriptions>
          </>
        )}
      </Card>
    </div>
  );
}
