import { MinusCircleOutlined, PlusOutlined } from "@ant-design/icons";
import { Button, type ButtonProps, Form, Input, Modal, Radio, Select, Space } from "antd";
import { useEffect, useRef } from "react";
import { useFormSubmit } from "../../../shared/hooks/useFormSubmit";
import { type MessageKey, useT } from "../../../shared/i18n";
import {
  type ApplicationAction,
  type ApplicationView,
  acceptApplication,
  type CorrectionItem,
  DELIVERY_METHODS,
  type DeliveryMethod,
  decideApplication,
  deliverResult,
  type FormSchema,
  finishSpecialStep,
  newIntentKey,
  rejectApplication,
  requestCorrection,
  SPECIAL_STEP_KINDS,
  type SpecialStepKind,
  type SpecialStepSpec,
  startSpecialStep,
} from "../../../shared/services";
import { ServiceProblem } from "../../citizen/services/serviceParts";

/** The actions the desk offers as buttons, in the order of the procedure. */
export const DESK_ACTIONS = [
  "accept",
  "reject",
  "request-correction",
  "decide",
  "start-special-step",
  "finish-special-step",
  "deliver",
] as const satisfies readonly ApplicationAction[];
export type DeskAction = (typeof DESK_ACTIONS)[number];

interface Values {
  opinion?: string;
  reason?: string;
  approved?: boolean;
  kind?: SpecialStepKind;
  stepId?: string;
  result?: string;
  method?: DeliveryMethod;
  note?: string;
  items?: { target?: string; note?: string }[];
}

const TITLES: Record<DeskAction, MessageKey> = {
  accept: "services.action.accept",
  reject: "services.action.reject",
  "request-correction": "services.action.request-correction",
  decide: "services.action.decide",
  "start-special-step": "services.action.start-special-step",
  "finish-special-step": "services.action.finish-special-step",
  deliver: "services.action.deliver",
};

/** What each action posts; every post carries a fresh Idempotency-Key for its click. */
async function perform(action: DeskAction, app: ApplicationView, v: Values): Promise<ApplicationView> {
  const key = newIntentKey();
  switch (action) {
    case "accept":
      return acceptApplication(app.id, v.opinion?.trim() || undefined, key);
    case "reject":
      return rejectApplication(app.id, (v.reason ?? "").trim(), key);
    case "request-correction": {
      const items: CorrectionItem[] = (v.items ?? []).map((item) => {
        const [kind, name] = (item.target ?? "").split(":", 2) as [string, string];
        const note = (item.note ?? "").trim();
        return kind === "material"
          ? { material: name, note }
          : kind === "field"
            ? { field: name, note }
            : { note };
      });
      return requestCorrection(app.id, (v.reason ?? "").trim(), items, key);
    }
    case "decide":
      return decideApplication(app.id, v.approved === true, (v.opinion ?? "").trim(), key);
    case "start-special-step":
      return startSpecialStep(app.id, v.kind ?? "site-inspection", (v.reason ?? "").trim(), key);
    case "finish-special-step":
      return finishSpecialStep(app.id, v.stepId ?? "", (v.result ?? "").trim(), key);
    case "deliver":
      return deliverResult(app.id, v.method ?? "online", v.note?.trim() || undefined, key);
  }
}

/** One action of the desk in a dialog: its fields, its post, the problem document if it fails. */
export function DeskActionModal({
  action,
  app,
  schema,
  specialSteps,
  onClose,
  onDone,
}: {
  action: DeskAction | null;
  app: ApplicationView;
  schema: FormSchema | undefined;
  specialSteps: SpecialStepSpec[];
  onClose: () => void;
  onDone: (app: ApplicationView) => void;
}) {
  const t = useT();
  const [form] = Form.useForm<Values>();
  const open = action !== null;
  const { busy, error, unmatched, run } = useFormSubmit(form, open);
  const inFlight = useRef(false);
  useEffect(() => {
    if (action === "request-correction") form.setFieldsValue({ items: [{}] });
    if (action === "deliver") form.setFieldsValue({ method: "online" });
  }, [action, form]);
  const required = (key: MessageKey) => [{ required: true, whitespace: true, message: t(key) }];

  const properties = Object.entries((schema?.properties ?? {}) as Record<string, { title?: string }>);
  const targets = [
    ...properties.map(([name, p]) => ({
      value: `field:${name}`,
      label: `${t("services.desk.targetField")} · ${p.title ?? name}`,
    })),
    ...app.requiredMaterials.map((m) => ({
      value: `material:${m.code}`,
      label: `${t("services.desk.targetMaterial")} · ${m.name}`,
    })),
  ];
  const kinds: { value: SpecialStepKind; label: string }[] = specialSteps.length
    ? specialSteps.map((s) => ({ value: s.kind, label: s.name }))
    : SPECIAL_STEP_KINDS.map((k) => ({ value: k, label: t(`services.specialKind.${k}`) }));
  const openSteps = app.specialSteps.filter((s) => !s.finishedAt);

  const submit = (values: Values) => {
    if (!action || inFlight.current) return;
    inFlight.current = true;
    void run(async () => {
      try {
        onDone(await perform(action, app, values));
      } finally {
        inFlight.current = false;
      }
    });
  };

  return (
    <Modal
      open={open}
      title={action ? t(TITLES[action]) : ""}
      onCancel={onClose}
      onOk={() => form.submit()}
      okText={t("common.ok")}
      cancelText={t("common.cancel")}
      confirmLoading={busy}
      okButtonProps={{ "data-testid": "services-action-ok" } as ButtonProps}
      destroyOnHidden
      data-testid={`services-action-modal-${action ?? "none"}`}
    >
      <Form<Values> form={form} layout="vertical" onFinish={submit} preserve={false}>
        {action === "accept" && (
          <Form.Item name="opinion" label={t("services.action.opinionOptional")}>
            <Input.TextArea rows={3} maxLength={500} data-testid="services-action-opinion" />
          </Form.Item>
        )}
        {(action === "reject" || action === "request-correction" || action === "start-special-step") && (
          <Form.Item
            name="reason"
            label={t("services.action.reason")}
            rules={required("services.action.reasonRequired")}
          >
            <Input.TextArea rows={3} maxLength={500} data-testid="services-action-reason" />
          </Form.Item>
        )}
        {action === "request-correction" && (
          <Form.List name="items">
            {(fields, { add, remove }) => (
              <div className="ff-svc-correction-items" data-testid="services-correction-items">
                {fields.map((f) => (
                  <Space key={f.key} align="start" wrap className="ff-svc-correction-item">
                    <Form.Item name={[f.name, "target"]} className="ff-svc-correction-target">
                      <Select
                        allowClear
                        placeholder={t("services.desk.target")}
                        options={targets}
                        data-testid={`services-correction-target-${f.name}`}
                      />
                    </Form.Item>
                    <Form.Item
                      name={[f.name, "note"]}
                      rules={required("services.desk.noteRequired")}
                      className="ff-svc-correction-note"
                    >
                      <Input
                        placeholder={t("services.desk.note")}
                        data-testid={`services-correction-note-${f.name}`}
                      />
                    </Form.Item>
                    {fields.length > 1 && (
                      <Button
                        type="text"
                        icon={<MinusCircleOutlined />}
                        onClick={() => remove(f.name)}
                        aria-label={t("services.materials.delete")}
                      />
                    )}
                  </Space>
                ))}
                <Button type="dashed" icon={<PlusOutlined />} onClick={() => add({})} block>
                  {t("services.desk.addItem")}
                </Button>
              </div>
            )}
          </Form.List>
        )}
        {action === "decide" && (
          <>
            <Form.Item
              name="approved"
              label={t("services.action.decision")}
              rules={[{ required: true, message: t("services.action.decisionRequired") }]}
            >
              <Radio.Group data-testid="services-action-approved">
                <Radio.Button value={true}>
                  <span data-testid="services-action-approve">{t("services.decision.approve")}</span>
                </Radio.Button>
                <Radio.Button value={false}>
                  <span data-testid="services-action-deny">{t("services.decision.deny")}</span>
                </Radio.Button>
              </Radio.Group>
            </Form.Item>
            <Form.Item
              name="opinion"
              label={t("services.action.opinion")}
              rules={required("services.action.opinionRequired")}
            >
              <Input.TextArea rows={3} maxLength={1000} data-testid="services-action-opinion" />
            </Form.Item>
          </>
        )}
        {action === "start-special-step" && (
          <Form.Item
            name="kind"
            label={t("services.action.kind")}
            rules={[{ required: true, message: t("services.action.kindRequired") }]}
          >
            <Select options={kinds} data-testid="services-action-kind" />
          </Form.Item>
        )}
        {action === "finish-special-step" && (
          <>
            <Form.Item
              name="stepId"
              label={t("services.action.step")}
              initialValue={openSteps[0]?.id}
              rules={[{ required: true, message: t("services.action.kindRequired") }]}
            >
              <Select options={openSteps.map((s) => ({ value: s.id, label: s.name }))} />
            </Form.Item>
            <Form.Item
              name="result"
              label={t("services.action.result")}
              rules={required("services.action.resultRequired")}
            >
              <Input.TextArea rows={3} maxLength={500} data-testid="services-action-result" />
            </Form.Item>
          </>
        )}
        {action === "deliver" && (
          <>
            <Form.Item name="method" label={t("services.action.method")} rules={[{ required: true }]}>
              <Radio.Group data-testid="services-action-method">
                {DELIVERY_METHODS.map((m) => (
                  <Radio.Button key={m} value={m}>
                    <span data-testid={`services-action-method-${m}`}>{t(`services.delivery.${m}`)}</span>
                  </Radio.Button>
                ))}
              </Radio.Group>
            </Form.Item>
            <Form.Item name="note" label={t("services.action.noteOptional")}>
              <Input.TextArea rows={2} maxLength={500} />
            </Form.Item>
          </>
        )}
        <ServiceProblem error={error} extra={unmatched} testId="services-action-problem" />
      </Form>
    </Modal>
  );
}
