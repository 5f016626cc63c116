import { IdcardOutlined, RedoOutlined } from "@ant-design/icons";
import { Button, Card, Form, Input, Result, Select, Steps } from "antd";
import { useState } from "react";
import { PageHeader } from "../../../shared/components/PageHeader";
import { useRequest } from "../../../shared/hooks/useRequest";
import { useT } from "../../../shared/i18n";
import { type ApplicantType, type ApplicationView, listServices } from "../../../shared/services";
import { ApplyFlow } from "../../citizen/services/ApplyFlow";
import { Receipt } from "../../citizen/services/Receipt";
import { ServiceProblem } from "../../citizen/services/serviceParts";

const ID_NUMBER = /^\d{17}[\dXx]$/;
const USCC = /^[0-9A-HJ-NPQRTUWXY]{2}\d{6}[0-9A-HJ-NPQRTUWXY]{10}$/;

/** A person by their ID number, an enterprise by its unified social credit code. */
export function subjectKind(subject: string): ApplicantType | null {
  const s = subject.trim().toUpperCase();
  if (ID_NUMBER.test(s)) return "person";
  if (USCC.test(s)) return "legal";
  return null;
}

interface Values {
  subject: string;
  serviceId: string;
}

/** 帮办代办: the clerk applies at the window for a walk-in, prefilled from the registries. */
export function WalkInPage() {
  const t = useT();
  const [form] = Form.useForm<Values>();
  const subjectValue = Form.useWatch("subject", form) ?? "";
  const kind = subjectKind(subjectValue);
  const [query, setQuery] = useState("");
  const [started, setStarted] = useState<{ subject: string; serviceId: string; name: string } | null>(null);
  const [done, setDone] = useState<ApplicationView | null>(null);
  const services = useRequest(
    (signal) => listServices({ q: query, applicantType: kind ?? "", page: 1, pageSize: 30 }, signal),
    [query, kind],
  );
  const step = done ? 2 : started ? 1 : 0;

  const reset = () => {
    setDone(null);
    setStarted(null);
    form.resetFields();
  };

  return (
    <div data-testid="services-walk-in">
      <PageHeader title={t("services.walkIn.title")} subtitle={t("services.walkIn.subtitle")} />
      <Steps
        current={step}
        size="small"
        className="ff-svc-section"
        items={[
          { title: t("services.walkIn.step.subject") },
          { title: t("services.walkIn.step.form") },
          { title: t("services.walkIn.step.receipt") },
        ]}
      />
      {step === 0 && (
        <Card className="ff-card ff-svc-walkin-card">
          <Form<Values>
            form={form}
            layout="vertical"
            onFinish={(v) =>
              setStarted({
                subject: v.subject.trim().toUpperCase(),
                serviceId: v.serviceId,
                name: services.data?.items.find((s) => s.id === v.serviceId)?.name ?? "",
              })
            }
          >
            <Form.Item
              name="subject"
              label={t("services.walkIn.subject")}
              extra={kind ? t(`services.walkIn.kind.${kind}`) : t("services.walkIn.subjectHint")}
              rules={[
                { required: true, whitespace: true, message: t("services.walkIn.subjectRequired") },
                {
                  validator: (_, v: string | undefined) =>
                    !v || subjectKind(v)
                      ? Promise.resolve()
                      : Promise.reject(new Error(t("services.walkIn.subjectFormat"))),
                },
              ]}
            >
              <Input
                prefix={<IdcardOutlined />}
                maxLength={18}
                autoComplete="off"
                className="ff-mono"
                placeholder={t("services.walkIn.subjectPlaceholder")}
                data-testid="services-walk-in-subject"
              />
            </Form.Item>
            <Form.Item
              name="serviceId"
              label={t("services.walkIn.item")}
              rules={[{ required: true, message: t("services.walkIn.itemRequired") }]}
            >
              <Select
                showSearch={{ filterOption: false, onSearch: setQuery }}
                loading={services.loading}
                placeholder={t("services.walkIn.itemPlaceholder")}
                options={(services.data?.items ?? []).map((s) => ({
                  value: s.id,
                  label: `${s.name} · ${s.department.name}`,
                }))}
                data-testid="services-walk-in-item"
              />
            </Form.Item>
            <ServiceProblem error={services.error} onRetry={services.reload} />
            <Button type="primary" htmlType="submit" data-testid="services-walk-in-start">
              {t("services.walkIn.start")}
            </Button>
          </Form>
        </Card>
      )}
      {step === 1 && started && (
        <>
          <Card className="ff-card ff-svc-section" size="small">
            <span className="ff-muted">{t("services.walkIn.for")}</span>{" "}
            <strong className="ff-mono">{started.subject}</strong> · <strong>{started.name}</strong>{" "}
            <Button type="link" onClick={reset}>
              {t("services.walkIn.change")}
            </Button>
          </Card>
          <ApplyFlow
            key={`${started.subject}-${started.serviceId}`}
            serviceId={started.serviceId}
            subject={started.subject}
            onSubmitted={setDone}
          />
        </>
      )}
      {step === 2 && done && (
        <Card className="ff-card">
          <Result
            status="success"
            title={t("services.apply.submitted")}
            data-testid="services-walk-in-done"
          />
          <Receipt app={done} />
          <div className="ff-svc-walkin-next ff-svc-no-print">
            <Button icon={<RedoOutlined />} onClick={reset} data-testid="services-walk-in-next">
              {t("services.walkIn.next")}
            </Button>
          </div>
        </Card>
      )}
    </div>
  );
}
