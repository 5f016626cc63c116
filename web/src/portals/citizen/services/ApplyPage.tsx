import { ArrowLeftOutlined } from "@ant-design/icons";
import { Link, useNavigate, useParams } from "react-router";
import { PageHeader } from "../../../shared/components/PageHeader";
import { useRequest } from "../../../shared/hooks/useRequest";
import { useT } from "../../../shared/i18n";
import { getService } from "../../../shared/services";
import { ApplyFlow } from "./ApplyFlow";

/** 在线办理 of an item: a new application. */
export function ApplyPage() {
  const t = useT();
  const { id = "" } = useParams();
  const navigate = useNavigate();
  const service = useRequest((signal) => getService(id, signal), [id]);
  return (
    <div data-testid="services-apply-page">
      <Link to={`/citizen/services/${id}`} className="ff-svc-back">
        <ArrowLeftOutlined /> {t("services.guide.title")}
      </Link>
      <PageHeader
        title={service.data?.name ?? t("services.apply.title")}
        subtitle={service.data ? `${service.data.department.name} · ${t("services.apply.title")}` : undefined}
      />
      <ApplyFlow
        serviceId={id}
        onSubmitted={(app) => navigate(`/citizen/applications/${app.id}?submitted=1`, { replace: true })}
      />
    </div>
  );
}

/** A draft, or an application sent back for correction (补正), edited and submitted again. */
export function EditApplicationPage() {
  const t = useT();
  const { id = "" } = useParams();
  const navigate = useNavigate();
  return (
    <div data-testid="services-edit-page">
      <Link to={`/citizen/applications/${id}`} className="ff-svc-back">
        <ArrowLeftOutlined /> {t("services.my.detail")}
      </Link>
      <PageHeader title={t("services.apply.editTitle")} />
      <ApplyFlow
        applicationId={id}
        onSubmitted={(app) => navigate(`/citizen/applications/${app.id}?submitted=1`, { replace: true })}
      />
    </div>
  );
}
