import { Button, Form, Input } from "antd";
import { useEffect, useMemo, useRef } from "react";
import type { BpmnElement, BpmnFactory, Canvas, ElementRegistry, Modeling } from "../../shared/bpmn/services";
import { type MessageKey, useT } from "../../shared/i18n";
import {
  declareNamespaces,
  type FieldKey,
  fieldsFor,
  ID_PATTERN,
  type ModdleElement,
  propertyChanges,
  readFields,
} from "./bpmnModel";
import type { Modeler } from "./ProcessModeler";

type Values = Partial<Record<FieldKey, string>>;

const LABELS: Record<FieldKey, MessageKey> = {
  id: "modeler.field.id",
  name: "modeler.field.name",
  assignee: "modeler.field.assignee",
  candidateGroups: "modeler.field.candidateGroups",
  dueDate: "modeler.field.dueDate",
  formKey: "modeler.field.formKey",
  condition: "modeler.field.condition",
  handler: "modeler.field.handler",
};

const HINTS: Partial<Record<FieldKey, MessageKey>> = {
  id: "modeler.hint.id",
  assignee: "modeler.hint.assignee",
  candidateGroups: "modeler.hint.candidateGroups",
  dueDate: "modeler.hint.dueDate",
  formKey: "modeler.hint.formKey",
  condition: "modeler.hint.condition",
  handler: "modeler.hint.handler",
};

/** Expression examples for the hints, in the engine's `${…}` syntax. */
const EXAMPLES: Partial<Record<FieldKey, string>> = {
  assignee: `\${starter}`,
  condition: `\${approved == true}`,
};

const TEST_IDS: Record<FieldKey, string> = {
  id: "element-id",
  name: "element-name",
  assignee: "element-assignee",
  candidateGroups: "element-candidate-groups",
  dueDate: "element-due-date",
  formKey: "element-form-key",
  condition: "element-condition",
  handler: "element-handler",
};

/**
 * The most used attributes of the selected element (or of the process when nothing is selected),
 * written back through `modeling.updateProperties`, so each change can be undone.
 */
export function ElementForm({
  modeler,
  element,
  revision,
}: {
  modeler: Modeler;
  element: BpmnElement | null;
  /** Changes on every edit, so the form shows the element's current values. */
  revision: number;
}) {
  const t = useT();
  const [form] = Form.useForm<Values>();
  const target = element ?? modeler.get<Canvas>("canvas").getRootElement();
  const bo = target.businessObject as ModdleElement | undefined;
  const definitions = modeler.getDefinitions() as ModdleElement | undefined;
  const isRoot = element === null;
  const fields = useMemo(() => (bo ? fieldsFor(bo.$type, isRoot) : []), [bo, isRoot]);
  // biome-ignore lint/correctness/useExhaustiveDependencies: revision says when the element's values changed
  const current = useMemo<Values>(
    () => (bo && definitions ? readFields(bo, definitions, fields) : {}),
    [bo, definitions, fields, revision],
  );

  // Another element: show its values. The same element changed (an edit, undo, redo): update only the
  // fields whose stored value changed, so a field being typed in is not reset by applying another.
  const shown = useRef<{ target: BpmnElement; values: Values } | null>(null);
  useEffect(() => {
    const before = shown.current;
    shown.current = { target, values: current };
    if (before?.target !== target) {
      form.resetFields();
      form.setFieldsValue(current);
      return;
    }
    const changed = fields.filter((f) => current[f] !== before.values[f]);
    if (changed.length) form.setFieldsValue(Object.fromEntries(changed.map((f) => [f, current[f]])));
  }, [form, target, current, fields]);

  const apply = async () => {
    if (!bo || !definitions) return;
    let values: Values;
    try {
      values = await form.validateFields();
    } catch {
      return;
    }
    const changes = propertyChanges(current, values, definitions, (body) =>
      modeler.get<BpmnFactory>("bpmnFactory").create("bpmn:FormalExpression", { body }),
    );
    if (Object.keys(changes).length === 0) return;
    declareNamespaces(definitions);
    modeler.get<Modeling>("modeling").updateProperties(target, changes);
  };

  // The id hint speaks of the process key, so only the process shows it.
  const hint = (field: FieldKey) => {
    const key = field === "id" && !isRoot ? undefined : HINTS[field];
    return key ? t(key, { example: EXAMPLES[field] ?? "" }) : undefined;
  };

  if (!bo || fields.length === 0) return <p className="ff-muted">{t("modeler.nothingToEdit")}</p>;

  return (
    <Form
      form={form}
      layout="vertical"
      size="small"
      onFinish={() => void apply()}
      onBlur={() => void apply()}
      data-testid="element-form"
    >
      <div className="ff-muted ff-small ff-element-type" data-testid="element-type">
        {element === null ? t("modeler.processProperties") : bo.$type.replace(/^bpmn:/, "")}
      </div>
      {fields.map((field) => (
        <Form.Item
          key={field}
          name={field}
          label={t(LABELS[field])}
          extra={hint(field)}
          rules={
            field === "id"
              ? [
                  { required: true, message: t("field.required") },
                  { pattern: ID_PATTERN, message: t("modeler.idFormat") },
                  {
                    validator: async (_, value: string) => {
                      const other = modeler.get<ElementRegistry>("elementRegistry").get(value?.trim() ?? "");
                      if (other && other !== target && value.trim() !== bo.id)
                        throw new Error(t("modeler.idTaken"));
                    },
                  },
                ]
              : []
          }
        >
          {field === "condition" ? (
            <Input.TextArea
              autoSize={{ minRows: 2, maxRows: 6 }}
              className="ff-mono"
              data-testid={TEST_IDS[field]}
            />
          ) : (
            <Input
              className={field === "name" ? undefined : "ff-mono"}
              autoComplete="off"
              data-testid={TEST_IDS[field]}
            />
          )}
        </Form.Item>
      ))}
      <Button htmlType="submit" type="primary" block data-testid="element-apply">
        {t("modeler.apply")}
      </Button>
    </Form>
  );
}
