import { ArrowLeftOutlined, FormOutlined } from "@ant-design/icons";
import { Button, Card, Descriptions, Skeleton, Table, Tag } from "antd";
import type { ColumnsType } from "antd/es/table";
import type { ReactNode } from "react";
import { Link, useNavigate, useParams } from "react-router";
import { useAuth } from "../../../shared/auth";
import { PageHeader } from "../../../shared/components/PageHeader";
import { formatDate } from "../../../shared/format";
import { useIsMobile } from "../../../shared/hooks/useMediaQuery";
import { useRequest } from "../../../shared/hooks/useRequest";
import { type Translate, useT } from "../../../shared/i18n";
import { getService, type MaterialSpec, type ServiceDetail } from "../../../shared/services";
import { daysText, feeText, ServiceProblem } from "./serviceParts";

function List({ items, testId }: { items: string[]; testId: string }) {
  if (items.length === 0) return <span className="ff-muted">—</span>;
  return (
    <ol className="ff-svc-list" data-testid={testId}>
      {items.map((item) => (
        <li key={item}>{item}</li>
      ))}
    </ol>
  );
}

function MaterialTags({ m, t }: { m: MaterialSpec; t: Translate }) {
  return (
    <span className="ff-svc-material-tags">
      {m.mandatory ? (
        <Tag color="red">{t("services.materials.mandatory")}</Tag>
      ) : (
        <Tag>{t("services.materials.optional")}</Tag>
      )}
      {m.sharedData && (
        <Tag color="green" data-testid="services-guide-shared">
          {t("services.materials.shared")}
        </Tag>
      )}
      {m.certificateType && (
        <Tag color="blue" data-testid="services-guide-certificate">
          {t("services.materials.certificate")}
        </Tag>
      )}
    </span>
  );
}

const RESULT_KINDS = [
  "licence",
  "permit",
  "registration",
  "certificate",
  "decision",
  "payment",
  "other",
] as const;

function resultKindName(kind: string, t: Translate): string {
  return (RESULT_KINDS as readonly string[]).includes(kind)
    ? t(`services.resultKind.${kind as (typeof RESULT_KINDS)[number]}`)
    : kind;
}

function Section({ title, children, testId }: { title: string; children: ReactNode; testId: string }) {
  return (
    <Card title={title} className="ff-card ff-svc-section" size="small" data-testid={testId}>
      {children}
    </Card>
  );
}

/** 办事指南: every national guide field of the published item. */
export function ServiceGuide({ service, large = false }: { service: ServiceDetail; large?: boolean }) {
  const t = useT();
  const mobile = useIsMobile();
  const columns: ColumnsType<MaterialSpec> = [
    {
      title: t("services.guide.materialName"),
      dataIndex: "name",
      render: (name: string, m) => (
        <div>
          <strong>{name}</strong>
          <div>
            <MaterialTags m={m} t={t} />
          </div>
          {m.note && <div className="ff-muted ff-small">{m.note}</div>}
        </div>
      ),
    },
    {
      title: t("services.guide.materialForm"),
      key: "form",
      width: 120,
      render: (_, m) => `${t(`services.materialForm.${m.form}`)} × ${m.copies}`,
    },
    {
      title: t("services.guide.materialSource"),
      dataIndex: "source",
      width: 120,
      render: (s: MaterialSpec["source"]) => t(`services.materialSource.${s}`),
    },
  ];
  return (
    <div className={large ? "ff-svc-guide ff-svc-guide-large" : "ff-svc-guide"} data-testid="services-guide">
      <Section title={t("services.guide.basic")} testId="services-guide-basic">
        <Descriptions column={mobile ? 1 : 2} size="small" styles={{ label: { width: 120 } }}>
          <Descriptions.Item label={t("services.guide.code")}>
            <span className="ff-mono">{service.code}</span>
          </Descriptions.Item>
          <Descriptions.Item label={t("services.guide.basicCode")}>
            <span className="ff-mono">{service.basicCode}</span>
          </Descriptions.Item>
          <Descriptions.Item label={t("services.guide.itemType")}>{service.itemType}</Descriptions.Item>
          <Descriptions.Item label={t("services.guide.department")}>
            {service.department.name}
          </Descriptions.Item>
          <Descriptions.Item label={t("services.guide.authority")}>
            {t(`services.authority.${service.authority}`)}
          </Descriptions.Item>
          <Descriptions.Item label={t("services.guide.applicants")}>
            {service.applicantTypes.map((a) => t(`services.applicant.${a}`)).join(t("common.listSeparator"))}
          </Descriptions.Item>
          <Descriptions.Item label={t("services.guide.promised")}>
            <strong data-testid="services-guide-promised">{daysText(service.promisedDays, t)}</strong>
          </Descriptions.Item>
          <Descriptions.Item label={t("services.guide.statutory")}>
            {daysText(service.statutoryDays, t)}
          </Descriptions.Item>
          <Descriptions.Item label={t("services.guide.handlingForm")}>
            {t(`services.handlingForm.${service.handlingForm}`)}
            {service.fullyOnline && (
              <Tag color="green" className="ff-svc-inline-tag">
                {t("services.card.fullyOnline")}
              </Tag>
            )}
          </Descriptions.Item>
          <Descriptions.Item label={t("services.guide.visits")}>
            {t("services.card.visits", { count: service.visits })}
          </Descriptions.Item>
          <Descriptions.Item label={t("services.guide.courier")}>
            {service.courier ? t("common.yes") : t("common.no")}
          </Descriptions.Item>
          <Descriptions.Item label={t("services.guide.crossRegion")}>
            {t(`services.crossRegion.${service.crossRegion}`)}
          </Descriptions.Item>
          {service.quantityLimit && (
            <Descriptions.Item label={t("services.guide.quantityLimit")}>
              {service.quantityLimit}
            </Descriptions.Item>
          )}
          <Descriptions.Item label={t("services.guide.version")}>
            {t("services.guide.versionText", {
              version: service.version,
              date: service.publishedAt ? formatDate(service.publishedAt) : "—",
            })}
          </Descriptions.Item>
        </Descriptions>
      </Section>
      <Section title={t("services.guide.conditions")} testId="services-guide-conditions">
        <List items={service.conditions} testId="services-guide-conditions-list" />
      </Section>
      <Section title={t("services.guide.materials")} testId="services-guide-materials">
        {mobile ? (
          <div className="ff-card-list">
            {service.materials.map((m) => (
              <div key={m.code} className="ff-staff-card">
                <strong>{m.name}</strong>
                <MaterialTags m={m} t={t} />
                <span className="ff-muted ff-small">
                  {t(`services.materialForm.${m.form}`)} × {m.copies} ·{" "}
                  {t(`services.materialSource.${m.source}`)}
                </span>
                {m.note && <span className="ff-muted ff-small">{m.note}</span>}
              </div>
            ))}
          </div>
        ) : (
          <Table<MaterialSpec>
            rowKey="code"
            size="small"
            pagination={false}
            columns={columns}
            dataSource={service.materials}
            data-testid="services-guide-materials-table"
          />
        )}
      </Section>
      <Section title={t("services.guide.legalBasis")} testId="services-guide-legal">
        <List items={service.legalBasis} testId="services-guide-legal-list" />
      </Section>
      <Section title={t("services.guide.specialSteps")} testId="services-guide-special">
        {service.specialSteps.length === 0 ? (
          <span className="ff-muted">{t("services.guide.noSpecialSteps")}</span>
        ) : (
          <ul className="ff-svc-list">
            {service.specialSteps.map((s) => (
              <li key={s.kind}>
                {s.name}
                <span className="ff-muted">（{t("services.guide.specialMax", { days: s.maxDays })}）</span>
                {s.legalBasis && <div className="ff-muted ff-small">{s.legalBasis}</div>}
              </li>
            ))}
          </ul>
        )}
      </Section>
      <Section title={t("services.guide.fee")} testId="services-guide-fee">
        <div>
          <strong>{feeText(service.fee.amountFen ?? service.feeFen, t)}</strong>
        </div>
        {service.fee.basis && <div className="ff-muted ff-small">{service.fee.basis}</div>}
        {service.fee.note && <div className="ff-muted ff-small">{service.fee.note}</div>}
      </Section>
      <Section title={t("services.guide.result")} testId="services-guide-result">
        {service.result.name}
        <Tag className="ff-svc-inline-tag">{resultKindName(service.result.kind, t)}</Tag>
      </Section>
      <Section title={t("services.guide.consultation")} testId="services-guide-consultation">
        {service.consultation || "—"}
      </Section>
      <Section title={t("services.guide.complaint")} testId="services-guide-complaint">
        {service.complaint || "—"}
      </Section>
    </div>
  );
}

/** Whether the signed-in account may apply for the item: a person's items for citizens, a legal person's for enterprises. */
export function useCanApply(service: ServiceDetail | undefined): boolean {
  const { me } = useAuth();
  if (!service || !me) return true;
  if (me.kind === "enterprise") return service.applicantTypes.includes("legal");
  if (me.kind === "citizen") return service.applicantTypes.includes("person");
  return true;
}

export function ServiceGuidePage() {
  const t = useT();
  const { id = "" } = useParams();
  const navigate = useNavigate();
  const service = useRequest((signal) => getService(id, signal), [id]);
  const canApply = useCanApply(service.data);
  const apply = (
    <Button
      type="primary"
      size="large"
      icon={<FormOutlined />}
      disabled={!canApply}
      onClick={() => navigate(`/citizen/services/${id}/apply`)}
      data-testid="services-guide-apply"
    >
      {t("services.guide.apply")}
    </Button>
  );
  return (
    <div data-testid="services-guide-page">
      <Link to="/citizen/services" className="ff-svc-back">
        <ArrowLeftOutlined /> {t("services.hall.title")}
      </Link>
      <PageHeader
        title={service.data?.name ?? t("services.guide.title")}
        subtitle={service.data ? `${service.data.department.name} · ${t("services.guide.title")}` : undefined}
        extra={service.data && apply}
      />
      <ServiceProblem error={service.error} onRetry={service.reload} />
      {!canApply && <p className="ff-muted">{t("services.guide.notForYou")}</p>}
      {service.loading && !service.data && <Skeleton active paragraph={{ rows: 10 }} />}
      {service.data && <ServiceGuide service={service.data} />}
      {service.data && <div className="ff-svc-guide-bottom">{apply}</div>}
    </div>
  );
}
