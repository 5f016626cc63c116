import { SaveOutlined, SendOutlined } from "@ant-design/icons";
import type Form from "@rjsf/core";
import type { ErrorSchema, RJSFSchema, UiSchema } from "@rjsf/utils";
import { Alert, App, Button, Card, Skeleton, Space } from "antd";
import { useEffect, useMemo, useRef, useState } from "react";
import { isApiError } from "../../../shared/api";
import { useRequest } from "../../../shared/hooks/useRequest";
import { useT } from "../../../shared/i18n";
import {
  type ApplicationView,
  type Channel,
  createApplication,
  getApplication,
  getService,
  getServiceForm,
  newIntentKey,
  prefillServiceForm,
  submitApplication,
  updateApplication,
} from "../../../shared/services";
import { CorrectionList } from "./applicationParts";
import { MaterialsPanel } from "./MaterialsPanel";
import { errorSchemaFrom, type FormData, SchemaForm } from "./SchemaForm";
import { ServiceProblem } from "./serviceParts";

interface Props {
  /** A new application of this item… */
  serviceId?: string;
  /** …or an existing draft or one sent back for correction. */
  applicationId?: string;
  /** The self-service terminal: large controls, channel `kiosk`. */
  kiosk?: boolean;
  /** A clerk applying for a walk-in (帮办代办): the ID number or USCC; channel `window`. */
  subject?: string;
  onSubmitted: (application: ApplicationView) => void;
}

/** The channel the applicant uses; a clerk's walk-in application is `window`, set by the server. */
function channelOf(props: Props): Exclude<Channel, "window"> | undefined {
  if (props.subject) return undefined;
  if (props.kiosk) return "kiosk";
  return window.matchMedia("(max-width: 767.98px)").matches ? "mobile" : "web";
}

/** Drops the one field's server error once the applicant changes it. */
function withoutField(errors: ErrorSchema | undefined, field: string | undefined): ErrorSchema | undefined {
  if (!errors || !field || !(field in errors)) return errors;
  const next = { ...(errors as Record<string, unknown>) };
  delete next[field];
  return next as ErrorSchema;
}

/**
 * 在线申报: the item's form with its prefilled fields, the materials, 保存草稿 and 提交. Used by the citizen
 * portal, the kiosk and the clerk's window (帮办代办) alike.
 */
export function ApplyFlow(props: Props) {
  const { applicationId, kiosk, subject, onSubmitted } = props;
  const t = useT();
  const { message } = App.useApp();
  const formRef = useRef<Form>(null);
  const existing = useRequest(
    (signal) => (applicationId ? getApplication(applicationId, signal) : Promise.resolve(null)),
    [applicationId],
  );
  const serviceId = props.serviceId ?? existing.data?.serviceId;
  const service = useRequest(
    (signal) => (serviceId ? getService(serviceId, signal) : Promise.resolve(null)),
    [serviceId],
  );
  const version = existing.data?.serviceVersion;
  const form = useRequest(
    (signal) => (serviceId ? getServiceForm(serviceId, version, signal) : Promise.resolve(null)),
    [serviceId, version],
  );
  const prefill = useRequest(
    (signal) =>
      !applicationId && serviceId ? prefillServiceForm(serviceId, subject, signal) : Promise.resolve(null),
    [serviceId, applicationId, subject],
  );

  const [draft, setDraft] = useState<ApplicationView | null>(null);
  const [data, setData] = useState<FormData | null>(null);
  const [extraErrors, setExtraErrors] = useState<ErrorSchema | undefined>(undefined);
  const [problem, setProblem] = useState<{
    error: unknown;
    unmatched: { field: string; message: string }[];
  }>();
  const [busy, setBusy] = useState<"save" | "submit" | null>(null);
  const [validated, setValidated] = useState(false);
  const inFlight = useRef(false);

  // The form starts from the draft's data, or from what the registries supplied.
  useEffect(() => {
    if (data !== null) return;
    if (existing.data) {
      setDraft(existing.data);
      setData(existing.data.data ?? {});
    } else if (!applicationId && !prefill.loading) {
      setData({ ...(prefill.data?.values ?? {}) });
    }
  }, [existing.data, prefill.data, prefill.loading, applicationId, data]);

  const prefilled = useMemo<Record<string, string>>(() => {
    if (draft) return draft.prefilled ?? {};
    const sources = prefill.data?.sources ?? {};
    return Object.fromEntries(Object.entries(sources).map(([field, s]) => [field, s.departmentName]));
  }, [draft, prefill.data]);
  const readOnly = draft?.readOnly ?? prefill.data?.readOnly ?? [];

  const correction = draft?.status === "correction-requested" ? draft.correction : null;
  const fieldNotes = useMemo(
    () => Object.fromEntries((correction?.items ?? []).filter((i) => i.field).map((i) => [i.field, i.note])),
    [correction],
  );
  const materialNotes = useMemo(
    () =>
      Object.fromEntries(
        (correction?.items ?? []).filter((i) => i.material).map((i) => [i.material, i.note]),
      ),
    [correction],
  );

  const editable = !draft || draft.actions.includes("update");

  const showProblem = (error: unknown) => {
    if (isApiError(error) && error.errors.length > 0) {
      const mapped = errorSchemaFrom(error.errors, t);
      setExtraErrors(mapped.errors);
      setProblem({ error, unmatched: mapped.unmatched });
    } else setProblem({ error, unmatched: [] });
  };

  /** The draft as the form now stands: created on first need, updated after. */
  const save = async (createKey?: string): Promise<ApplicationView> => {
    const values = data ?? {};
    if (draft) {
      const updated = await updateApplication(draft.id, values);
      setDraft(updated);
      return updated;
    }
    const channel = channelOf(props);
    const created = await createApplication(
      {
        serviceId: serviceId ?? "",
        data: values,
        ...(channel ? { channel } : {}),
        ...(subject ? { subject } : {}),
      },
      createKey ?? newIntentKey(),
    );
    setDraft(created);
    return created;
  };

  const ensureDraft = async () => draft ?? save();

  const saveDraft = async () => {
    if (inFlight.current) return;
    inFlight.current = true;
    setBusy("save");
    setProblem(undefined);
    setExtraErrors(undefined);
    try {
      await save();
      message.success(t("services.apply.saved"));
    } catch (error) {
      showProblem(error);
    } finally {
      inFlight.current = false;
      setBusy(null);
    }
  };

  const submit = async () => {
    if (inFlight.current) return;
    setProblem(undefined);
    setExtraErrors(undefined);
    setValidated(true);
    if (!formRef.current?.validateForm()) {
      message.error(t("services.apply.fixErrors"));
      return;
    }
    const missing = (draft?.requiredMaterials ?? []).filter((m) => m.mandatory && !m.uploaded);
    const noDraftYet =
      !draft && (service.data?.materials ?? []).some((m) => m.mandatory && m.sharedData !== true);
    if (missing.length > 0 || noDraftYet) {
      setProblem({
        error: new Error(
          missing.length
            ? t("services.apply.missingMaterials", { names: missing.map((m) => m.name).join("、") })
            : t("services.apply.uploadFirst"),
        ),
        unmatched: [],
      });
      return;
    }
    // One intent, one pair of keys: the server answers a repeated request with the first answer.
    inFlight.current = true;
    setBusy("submit");
    const createKey = newIntentKey();
    const submitKey = newIntentKey();
    try {
      const saved = await save(createKey);
      const submitted = await submitApplication(saved.id, submitKey);
      setDraft(submitted);
      onSubmitted(submitted);
    } catch (error) {
      showProblem(error);
    } finally {
      inFlight.current = false;
      setBusy(null);
    }
  };

  const loadError = existing.error ?? service.error ?? form.error;
  if (loadError)
    return (
      <ServiceProblem
        error={loadError}
        onRetry={() => {
          existing.reload();
          service.reload();
          form.reload();
        }}
      />
    );
  if (!form.data || !service.data || data === null) return <Skeleton active paragraph={{ rows: 8 }} />;

  return (
    <div className={kiosk ? "ff-svc-apply ff-svc-apply-kiosk" : "ff-svc-apply"} data-testid="services-apply">
      {correction && (
        <Alert
          type="warning"
          showIcon
          className="ff-svc-section"
          data-testid="services-apply-correction"
          title={t("services.correction.title")}
          description={
            <CorrectionList
              correction={correction}
              schema={form.data.schema}
              materials={draft?.requiredMaterials ?? []}
            />
          }
        />
      )}
      {prefill.error !== null && prefill.error !== undefined && (
        <Alert
          type="info"
          showIcon
          className="ff-svc-section"
          data-testid="services-prefill-unavailable"
          title={t("services.apply.prefillUnavailable")}
        />
      )}
      {Object.keys(prefilled).length > 0 && (
        <Alert
          type="success"
          showIcon
          className="ff-svc-section"
          data-testid="services-prefill-note"
          title={t("services.apply.prefillNote", { count: Object.keys(prefilled).length })}
        />
      )}
      <Card title={t("services.apply.formTitle")} className="ff-card ff-svc-section">
        <SchemaForm
          formRef={formRef}
          schema={form.data.schema as RJSFSchema}
          uiSchema={form.data.uiSchema as UiSchema}
          data={data}
          onChange={(next, field) => {
            setData(next);
            setExtraErrors((current) => withoutField(current, field));
          }}
          prefilled={prefilled}
          readOnly={readOnly}
          corrections={fieldNotes}
          {...(extraErrors ? { extraErrors } : {})}
          disabled={!editable || busy !== null}
          liveValidate={validated}
        />
      </Card>
      <Card title={t("services.apply.materialsTitle")} className="ff-card ff-svc-section">
        <MaterialsPanel
          application={draft}
          specs={service.data.materials}
          ensureDraft={ensureDraft}
          onChanged={setDraft}
          editable={editable}
          corrections={materialNotes}
        />
      </Card>
      {problem && (
        <ServiceProblem error={problem.error} extra={problem.unmatched} testId="services-apply-problem" />
      )}
      <div className="ff-svc-apply-actions">
        <Space wrap>
          {editable && (
            <Button
              size={kiosk ? "large" : "middle"}
              icon={<SaveOutlined />}
              onClick={() => void saveDraft()}
              loading={busy === "save"}
              disabled={busy === "submit"}
              data-testid="services-apply-save"
            >
              {t("services.apply.saveDraft")}
            </Button>
          )}
          <Button
            type="primary"
            size={kiosk ? "large" : "middle"}
            icon={<SendOutlined />}
            onClick={() => void submit()}
            loading={busy === "submit"}
            disabled={busy === "save" || (draft !== null && !draft.actions.includes("submit"))}
            data-testid="services-apply-submit"
          >
            {correction ? t("services.apply.resubmit") : t("services.apply.submit")}
          </Button>
        </Space>
        {draft && (
          <span className="ff-muted ff-small" data-testid="services-apply-draft">
            {draft.status === "draft"
              ? t("services.apply.draftNo", { no: draft.receiptNo })
              : `${t("services.receipt.receiptNo")} ${draft.receiptNo}`}
          </span>
        )}
      </div>
    </div>
  );
}
