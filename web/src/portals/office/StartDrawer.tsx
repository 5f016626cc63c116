import { SendOutlined } from "@ant-design/icons";
import { App, Button, Drawer, Form, Input, Space, Spin, Tag } from "antd";
import { useState } from "react";
import { useNavigate } from "react-router";
import { ProblemAlert } from "../../shared/components/ProblemAlert";
import { useIsMobile } from "../../shared/hooks/useMediaQuery";
import { useRequest } from "../../shared/hooks/useRequest";
import { useT } from "../../shared/i18n";
import { getProcess, type ProcessDetail, startProcess } from "../../shared/workflow";
import {
  clearFieldErrors,
  type FormValues,
  initialValues,
  NO_PROBLEM,
  SchemaFields,
  type SubmitProblem,
  submitProblem,
  toVariables,
} from "./SchemaFields";

/**
 * The business key's form field: a name apart from the start form's own fields, so a process whose form
 * has a `businessKey` variable keeps the two apart.
 */
const BUSINESS_KEY = "$businessKey";
const BUSINESS_KEY_POINTER = "/body/businessKey";

function StartForm({ process }: { process: ProcessDetail }) {
  const t = useT();
  const navigate = useNavigate();
  const { message } = App.useApp();
  const [form] = Form.useForm<FormValues>();
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState<SubmitProblem>(NO_PROBLEM);

  const submit = async ({ [BUSINESS_KEY]: businessKey, ...values }: FormValues) => {
    setBusy(true);
    setProblem(NO_PROBLEM);
    clearFieldErrors(form);
    const key = typeof businessKey === "string" ? businessKey.trim() : "";
    try {
      const started = await startProcess(process.key, {
        variables: toVariables(values, process.startForm),
        ...(key ? { businessKey: key } : {}),
      });
      message.success(t("start.started", { name: process.name }));
      // Replacing the open form: going back leads to the list, not to a second start.
      navigate(`/office/instances/${encodeURIComponent(started.id)}`, { replace: true });
    } catch (e) {
      const { error, unmatched } = submitProblem(form, e, t);
      const keyErrors = unmatched.filter((u) => u.field === BUSINESS_KEY_POINTER);
      if (keyErrors.length) form.setFields([{ name: BUSINESS_KEY, errors: keyErrors.map((u) => u.message) }]);
      const rest = unmatched.filter((u) => u.field !== BUSINESS_KEY_POINTER);
      setProblem({ error: rest.length || !keyErrors.length ? error : null, unmatched: rest });
      setBusy(false);
    }
  };

  return (
    <Form
      form={form}
      layout="vertical"
      initialValues={initialValues(process.startForm)}
      onFinish={(v) => void submit(v)}
      data-testid="start-form"
      scrollToFirstError
    >
      <Form.Item name={BUSINESS_KEY} label={t("task.businessKey")} extra={t("start.businessKeyHint")}>
        <Input maxLength={200} placeholder={t("start.optional")} data-testid="start-business-key" />
      </Form.Item>
      {process.startForm ? (
        <SchemaFields schema={process.startForm} testIdPrefix="start-field" />
      ) : (
        <p className="ff-muted" data-testid="start-no-form">
          {t("start.noForm")}
        </p>
      )}
      <ProblemAlert
        error={problem.error}
        extra={problem.unmatched}
        style={{ marginBottom: 16 }}
        testId="start-error"
      />
      <Space wrap>
        <Button
          type="primary"
          htmlType="submit"
          icon={<SendOutlined />}
          loading={busy}
          data-testid="start-submit"
        >
          {t("start.submit")}
        </Button>
      </Space>
    </Form>
  );
}

/** 发起: a process's start form in a drawer; a started instance opens on its own page. */
export function StartDrawer({ processKey, onClose }: { processKey: string | null; onClose: () => void }) {
  const t = useT();
  const mobile = useIsMobile();
  const process = useRequest(
    (signal) => (processKey ? getProcess(processKey, undefined, signal) : Promise.resolve(null)),
    [processKey],
  );
  const data = process.data && process.data.key === processKey ? process.data : null;

  return (
    <Drawer
      open={processKey !== null}
      onClose={onClose}
      size={mobile ? "100%" : 560}
      placement="right"
      destroyOnHidden
      title={data ? t("start.title", { name: data.name }) : t("nav.office.start")}
    >
      <div data-testid="start-drawer">
        <ProblemAlert
          error={process.error}
          onRetry={process.reload}
          style={{ marginBottom: 16 }}
          testId="start-error"
        />
        {process.loading && !data && <Spin className="ff-block-spin" />}
        {data && (
          <>
            <div className="ff-start-meta">
              <span className="ff-mono ff-muted ff-small ff-break">{data.key}</span>
              <Tag>{t("process.versionTag", { version: data.version })}</Tag>
            </div>
            <StartForm key={`${data.key}@${data.version}`} process={data} />
          </>
        )}
      </div>
    </Drawer>
  );
}
