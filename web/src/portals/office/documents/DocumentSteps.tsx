import { CheckOutlined, CloseOutlined, FormOutlined } from "@ant-design/icons";
import { Button, Card, Form, Popconfirm, Space, Spin, Tag } from "antd";
import { useMemo, useState } from "react";
import { ProblemAlert } from "../../../shared/components/ProblemAlert";
import { useIsMobile } from "../../../shared/hooks/useMediaQuery";
import { useRequest } from "../../../shared/hooks/useRequest";
import { type MessageKey, useT } from "../../../shared/i18n";
import type { DocumentStep } from "../../../shared/office";
import { completeTask, type FormSchema, getTask, type TaskDetail } from "../../../shared/workflow";
import {
  clearFieldErrors,
  type FormValues,
  initialValues,
  NO_PROBLEM,
  SchemaFields,
  type SubmitProblem,
  submitProblem,
  toVariables,
} from "../SchemaFields";
import { TaskForm } from "../TaskForm";

/** The two answers of the flows' yes/no steps, by element id (核稿, 会签, 签发, 修改). */
const ANSWERS: Record<string, { yes: MessageKey; no: MessageKey }> = {
  review: { yes: "office.doc.step.review.yes", no: "office.doc.step.review.no" },
  countersign: { yes: "office.doc.step.countersign.yes", no: "office.doc.step.countersign.no" },
  signOff: { yes: "office.doc.step.signOff.yes", no: "office.doc.step.signOff.no" },
  revise: { yes: "office.doc.step.revise.yes", no: "office.doc.step.revise.no" },
};
const DEFAULT_ANSWERS = { yes: "office.doc.step.yes", no: "office.doc.step.no" } as const;

/**
 * A form asking one required yes/no question (approve? agree?) among optional remarks is answered
 * with two buttons: the question's field, and the form without it.
 */
export function decisionOf(form: FormSchema | null): { field: string; rest: FormSchema } | null {
  const properties = form?.properties ?? {};
  const booleans = Object.entries(properties).filter(([, f]) => f.type === "boolean");
  const only = booleans.length === 1 ? booleans[0] : undefined;
  if (!form || !only || !(form.required ?? []).includes(only[0])) return null;
  const [field] = only;
  const { [field]: _question, ...others } = properties;
  return {
    field,
    rest: { ...form, properties: others, required: (form.required ?? []).filter((r) => r !== field) },
  };
}

/** The few-taps path: remarks (e.g. 核稿意见), then 通过 or 退回. */
function DecisionForm({
  task,
  decision,
  onDone,
}: {
  task: TaskDetail;
  decision: { field: string; rest: FormSchema };
  onDone: () => void;
}) {
  const t = useT();
  const mobile = useIsMobile();
  const [form] = Form.useForm<FormValues>();
  const [busy, setBusy] = useState<"yes" | "no" | null>(null);
  const [problem, setProblem] = useState<SubmitProblem>(NO_PROBLEM);
  const initial = useMemo(() => initialValues(decision.rest, task.variables), [decision, task]);
  const answers = ANSWERS[task.elementId] ?? DEFAULT_ANSWERS;

  const answer = async (yes: boolean) => {
    let values: FormValues;
    try {
      values = await form.validateFields();
    } catch {
      return;
    }
    setBusy(yes ? "yes" : "no");
    setProblem(NO_PROBLEM);
    clearFieldErrors(form);
    try {
      await completeTask(task.id, { ...toVariables(values, decision.rest), [decision.field]: yes });
      onDone();
    } catch (e) {
      setProblem(submitProblem(form, e, t));
      setBusy(null);
    }
  };

  return (
    <Form form={form} layout="vertical" initialValues={initial} data-testid="doc-step-form">
      <SchemaFields schema={decision.rest} testIdPrefix="doc-step-field" />
      <ProblemAlert
        error={problem.error}
        extra={problem.unmatched}
        style={{ marginBottom: 16 }}
        testId="doc-step-error"
      />
      <div className="ff-doc-decision">
        <Button
          type="primary"
          size="large"
          icon={<CheckOutlined />}
          loading={busy === "yes"}
          disabled={busy !== null}
          block={mobile}
          onClick={() => void answer(true)}
          data-testid="doc-step-yes"
        >
          {t(answers.yes)}
        </Button>
        <Button
          danger
          size="large"
          icon={<CloseOutlined />}
          loading={busy === "no"}
          disabled={busy !== null}
          block={mobile}
          onClick={() => void answer(false)}
          data-testid="doc-step-no"
        >
          {t(answers.no)}
        </Button>
      </div>
    </Form>
  );
}

/** A step without a form (签收, 用印): one button, confirmed. */
function PlainStep({ task, onDone }: { task: TaskDetail; onDone: () => void }) {
  const t = useT();
  const mobile = useIsMobile();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const run = async () => {
    setBusy(true);
    setError(null);
    try {
      await completeTask(task.id, {});
      onDone();
    } catch (e) {
      setError(e);
      setBusy(false);
    }
  };
  return (
    <>
      <ProblemAlert error={error} style={{ marginBottom: 12 }} testId="doc-step-error" />
      <Popconfirm
        title={t("office.doc.step.confirm", { name: task.name })}
        onConfirm={() => void run()}
        okButtonProps={{ "data-testid": "doc-step-confirm" }}
      >
        <Button
          type="primary"
          size="large"
          icon={<CheckOutlined />}
          loading={busy}
          block={mobile}
          data-testid="doc-step-do"
        >
          {task.name}
        </Button>
      </Popconfirm>
    </>
  );
}

/** A step the caller holds, with the way to complete it that suits its form. */
function MyStep({ step, onDone }: { step: DocumentStep; onDone: (name: string) => void }) {
  const t = useT();
  const task = useRequest((signal) => getTask(step.taskId, signal), [step.taskId]);
  const [formOpen, setFormOpen] = useState(false);
  const data = task.data;
  const decision = data ? decisionOf(data.form) : null;
  const done = () => onDone(step.name);
  return (
    <Card
      size="small"
      className="ff-card ff-doc-step"
      title={
        <span className="ff-card-title-wrap">
          <Tag color="blue">{t("office.doc.step.mine")}</Tag>
          {step.name}
        </span>
      }
      data-testid={`doc-step-${step.elementId}`}
    >
      <ProblemAlert error={task.error} onRetry={task.reload} />
      {task.loading && !data && <Spin className="ff-block-spin" />}
      {data && decision && <DecisionForm task={data} decision={decision} onDone={done} />}
      {data && !decision && !data.form && <PlainStep task={data} onDone={done} />}
      {data &&
        !decision &&
        data.form &&
        (formOpen ? (
          <TaskForm task={data} onCompleted={done} onCancel={() => setFormOpen(false)} />
        ) : (
          <Button
            type="primary"
            size="large"
            icon={<FormOutlined />}
            onClick={() => setFormOpen(true)}
            data-testid="doc-step-open-form"
          >
            {t("office.doc.step.handle", { name: step.name })}
          </Button>
        ))}
    </Card>
  );
}

/**
 * Where the document's flow stands: the steps the caller can act on, each with its form, and the
 * steps others hold.
 */
export function DocumentSteps({ steps, onDone }: { steps: DocumentStep[]; onDone: (name: string) => void }) {
  const t = useT();
  const mine = steps.filter((s) => s.mine);
  const others = steps.filter((s) => !s.mine);
  if (steps.length === 0) return null;
  return (
    <div className="ff-doc-steps" data-testid="doc-steps">
      {mine.map((step) => (
        <MyStep key={step.taskId} step={step} onDone={onDone} />
      ))}
      {others.length > 0 && (
        <div className="ff-doc-steps-others" data-testid="doc-steps-others">
          <span className="ff-muted">{t("office.doc.step.waiting")}</span>
          <Space wrap size={[4, 4]}>
            {others.map((s) => (
              <Tag key={s.taskId} color="processing">
                {s.name}
              </Tag>
            ))}
          </Space>
        </div>
      )}
    </div>
  );
}
