import { DeleteOutlined, PlusOutlined, SaveOutlined } from "@ant-design/icons";
import type { FormInstance } from "antd";
import { App, Button, Checkbox, Col, Drawer, Form, Input, InputNumber, Row, Select, Space } from "antd";
import {
  CATEGORIES,
  createResource,
  type DataItem,
  GRADES,
  type Grade,
  ITEM_TYPES,
  type ItemType,
  MASKS,
  type Mask,
  OPEN_TYPES,
  type OpenType,
  type ResourceInput,
  type ResourceView,
  SHARING_METHODS,
  SHARING_TYPES,
  type SharingMethod,
  type SharingType,
  UPDATE_CYCLES,
  type UpdateCycle,
  updateResource,
} from "../../shared/datahub";
import { useFormSubmit } from "../../shared/hooks/useFormSubmit";
import { useIsMobile } from "../../shared/hooks/useMediaQuery";
import { type Translate, useT } from "../../shared/i18n";
import { DepartmentPicker } from "../office/documents/DepartmentPicker";
import { categoryName, DatahubProblem, useDatahubRoles } from "./datahubParts";

interface ItemValues {
  name: string;
  title: string;
  type: ItemType;
  length?: number | null;
  grade: Grade;
  personal?: boolean;
  sensitive?: boolean;
  mask: Mask;
  baseField?: string | null;
}

interface ResourceValues {
  name: string;
  code?: string;
  summary: string;
  categoryCode: string;
  format: string;
  sharingType: SharingType;
  sharingCondition?: string | null;
  sharingBasis?: string | null;
  sharingMethod: SharingMethod;
  openType: OpenType;
  updateCycle: UpdateCycle;
  keyItem: string;
  relatedCodes?: string[];
  items: ItemValues[];
  providerDepartmentId?: string;
}

const ITEM_NAME = /^[a-z][a-zA-Z0-9_]{0,63}$/;
/** The base pool field an item carries (数源责任清单): person.name, enterprise.uscc. */
const ITEM_BASE_FIELD = /^(person|enterprise)\.[a-zA-Z][a-zA-Z0-9]{0,63}$/;
const RESOURCE_CODE = /^\d{3}\/\d{6}$/;

const NEW_ITEM: ItemValues = {
  name: "",
  title: "",
  type: "string",
  length: null,
  grade: "general",
  personal: false,
  sensitive: false,
  mask: "none",
  baseField: null,
};

const DEFAULTS: Partial<ResourceValues> = {
  format: "数据库",
  sharingType: "conditional",
  sharingMethod: "api",
  openType: "closed",
  updateCycle: "daily",
  items: [NEW_ITEM],
};

function valuesOf(resource: ResourceView): ResourceValues {
  return {
    name: resource.name,
    code: resource.code,
    summary: resource.summary,
    categoryCode: resource.categoryCode,
    format: resource.format,
    sharingType: resource.sharingType,
    sharingCondition: resource.sharingCondition,
    sharingBasis: resource.sharingBasis,
    sharingMethod: resource.sharingMethod,
    openType: resource.openType,
    updateCycle: resource.updateCycle,
    keyItem: resource.keyItem,
    relatedCodes: resource.relatedCodes,
    items: resource.items.map((item) => ({ ...item })),
  };
}

const trimmedOrNull = (value: string | null | undefined) => value?.trim() || null;

function inputOf(v: ResourceValues): ResourceInput {
  const items: DataItem[] = v.items.map((item) => ({
    name: item.name.trim(),
    title: item.title.trim(),
    type: item.type,
    length: typeof item.length === "number" ? item.length : null,
    grade: item.grade,
    personal: Boolean(item.personal || item.sensitive),
    sensitive: Boolean(item.sensitive),
    mask: item.mask,
    baseField: trimmedOrNull(item.baseField),
  }));
  const code = v.code?.trim();
  return {
    name: v.name.trim(),
    // Left out, the platform assigns the next code of the category; an edit sends the code it keeps.
    ...(code ? { code } : {}),
    summary: v.summary.trim(),
    categoryCode: v.categoryCode,
    format: v.format.trim(),
    sharingType: v.sharingType,
    sharingCondition: v.sharingType === "conditional" ? trimmedOrNull(v.sharingCondition) : null,
    sharingBasis: trimmedOrNull(v.sharingBasis),
    sharingMethod: v.sharingMethod,
    openType: v.openType,
    updateCycle: v.updateCycle,
    keyItem: v.keyItem,
    relatedCodes: (v.relatedCodes ?? []).map((c) => c.trim()).filter(Boolean),
    items,
    ...(v.providerDepartmentId ? { providerDepartmentId: v.providerDepartmentId } : {}),
  };
}

function enumOptions<T extends string>(values: readonly T[], label: (value: T) => string) {
  return values.map((value) => ({ value, label: label(value) }));
}

/** The 信息项 table: one row per item (stacked on phones), added and removed in place. */
function ItemsEditor({ form, t }: { form: FormInstance<ResourceValues>; t: Translate }) {
  const columns = [
    "name",
    "title",
    "type",
    "length",
    "grade",
    "personal",
    "sensitive",
    "mask",
    "baseField",
  ] as const;
  return (
    <Form.List
      name="items"
      rules={[
        {
          validator: async (_, items: ItemValues[] | undefined) => {
            if (!items || items.length === 0) throw new Error(t("datahub.form.itemsRequired"));
            const names = items.map((i) => i?.name?.trim()).filter(Boolean);
            if (new Set(names).size !== names.length) throw new Error(t("datahub.form.itemsUnique"));
          },
        },
      ]}
    >
      {(fields, { add, remove }, { errors }) => (
        <div className="ff-items-editor" data-testid="resource-items-editor">
          <div className="ff-item-row ff-item-head" aria-hidden>
            {columns.map((c) => (
              <span key={c}>{t(`datahub.item.${c}`)}</span>
            ))}
            <span />
          </div>
          {fields.map((field, i) => (
            <div key={field.key} className="ff-item-row" data-testid={`resource-item-${i}`}>
              <Form.Item
                name={[field.name, "name"]}
                label={t("datahub.item.name")}
                rules={[
                  { required: true, message: t("field.required") },
                  { pattern: ITEM_NAME, message: t("datahub.form.itemNamePattern") },
                ]}
              >
                <Input maxLength={64} className="ff-mono" data-testid={`resource-item-${i}-name`} />
              </Form.Item>
              <Form.Item
                name={[field.name, "title"]}
                label={t("datahub.item.title")}
                rules={[{ required: true, whitespace: true, message: t("field.required") }]}
              >
                <Input maxLength={100} data-testid={`resource-item-${i}-title`} />
              </Form.Item>
              <Form.Item name={[field.name, "type"]} label={t("datahub.item.type")}>
                <Select
                  options={enumOptions(ITEM_TYPES, (v) => t(`datahub.itemType.${v}`))}
                  data-testid={`resource-item-${i}-type`}
                />
              </Form.Item>
              <Form.Item name={[field.name, "length"]} label={t("datahub.item.length")}>
                <InputNumber
                  min={1}
                  max={100000}
                  precision={0}
                  className="ff-full-width"
                  data-testid={`resource-item-${i}-length`}
                />
              </Form.Item>
              <Form.Item name={[field.name, "grade"]} label={t("datahub.item.grade")}>
                <Select
                  options={enumOptions(GRADES, (v) => t(`datahub.grade.${v}`))}
                  data-testid={`resource-item-${i}-grade`}
                />
              </Form.Item>
              <Form.Item
                name={[field.name, "personal"]}
                label={t("datahub.item.personal")}
                valuePropName="checked"
              >
                <Checkbox data-testid={`resource-item-${i}-personal`} />
              </Form.Item>
              <Form.Item
                name={[field.name, "sensitive"]}
                label={t("datahub.item.sensitive")}
                valuePropName="checked"
              >
                <Checkbox
                  data-testid={`resource-item-${i}-sensitive`}
                  onChange={(e) => {
                    // 敏感个人信息 is personal information by definition.
                    if (e.target.checked) form.setFieldValue(["items", field.name, "personal"], true);
                  }}
                />
              </Form.Item>
              <Form.Item name={[field.name, "mask"]} label={t("datahub.item.mask")}>
                <Select
                  options={enumOptions(MASKS, (v) => t(`datahub.mask.${v}`))}
                  data-testid={`resource-item-${i}-mask`}
                />
              </Form.Item>
              <Form.Item
                name={[field.name, "baseField"]}
                label={t("datahub.item.baseField")}
                rules={[{ pattern: ITEM_BASE_FIELD, message: t("datahub.form.baseFieldPattern") }]}
              >
                <Input
                  maxLength={100}
                  className="ff-mono"
                  placeholder="person.name"
                  data-testid={`resource-item-${i}-baseField`}
                />
              </Form.Item>
              <Button
                type="text"
                danger
                icon={<DeleteOutlined />}
                aria-label={t("datahub.form.removeItem")}
                disabled={fields.length <= 1}
                onClick={() => remove(field.name)}
                data-testid={`resource-item-remove-${i}`}
              />
            </div>
          ))}
          <Form.ErrorList errors={errors} />
          <Button
            type="dashed"
            block
            icon={<PlusOutlined />}
            onClick={() => add({ ...NEW_ITEM })}
            data-testid="resource-item-add"
          >
            {t("datahub.form.addItem")}
          </Button>
        </div>
      )}
    </Form.List>
  );
}

/** 登记资源 / 编辑: a resource's catalog entry and its 信息项; saving an edit publishes a new version. */
export function ResourceFormDrawer({
  open,
  resource,
  onClose,
  onSaved,
}: {
  open: boolean;
  /** the resource to edit, or null to register a new one */
  resource: ResourceView | null;
  onClose: () => void;
  onSaved: (saved: ResourceView) => void;
}) {
  const t = useT();
  const mobile = useIsMobile();
  const { message } = App.useApp();
  const { bureau } = useDatahubRoles();
  const [form] = Form.useForm<ResourceValues>();
  const { busy, error, unmatched, run } = useFormSubmit(form, open);
  const sharingType = Form.useWatch("sharingType", form);
  const items = Form.useWatch("items", form);
  const editing = resource !== null;

  const submit = (values: ResourceValues) =>
    run(async () => {
      const input = inputOf(values);
      const saved = resource ? await updateResource(resource.id, input) : await createResource(input);
      message.success(
        editing ? t("datahub.form.updated", { version: saved.version }) : t("datahub.form.created"),
      );
      onClose();
      onSaved(saved);
    });

  const keyOptions = (items ?? [])
    .filter((i) => i?.name && ITEM_NAME.test(i.name))
    .map((i) => ({ value: i.name, label: i.title ? `${i.title} (${i.name})` : i.name }));

  return (
    <Drawer
      open={open}
      onClose={onClose}
      size={mobile ? "100%" : 1080}
      destroyOnHidden
      title={editing ? t("datahub.form.editTitle", { name: resource.name }) : t("datahub.catalog.register")}
    >
      <Form<ResourceValues>
        form={form}
        layout="vertical"
        initialValues={resource ? valuesOf(resource) : DEFAULTS}
        onFinish={(v) => void submit(v)}
        scrollToFirstError
        data-testid="resource-form"
      >
        <Row gutter={12}>
          <Col xs={24} md={12}>
            <Form.Item
              name="name"
              label={t("datahub.resource.name")}
              rules={[{ required: true, whitespace: true, message: t("field.required") }]}
            >
              <Input maxLength={200} data-testid="resource-field-name" />
            </Form.Item>
          </Col>
          <Col xs={24} md={6}>
            <Form.Item
              name="categoryCode"
              label={t("datahub.resource.category")}
              rules={[{ required: true, message: t("field.required") }]}
            >
              <Select
                disabled={editing}
                showSearch={{ optionFilterProp: "label" }}
                options={CATEGORIES.map((c) => ({
                  value: c.code,
                  label: `${c.code} ${categoryName(c.code, c.name, t)}`,
                }))}
                data-testid="resource-field-categoryCode"
              />
            </Form.Item>
          </Col>
          <Col xs={24} md={6}>
            <Form.Item
              name="code"
              label={t("datahub.resource.code")}
              extra={editing ? undefined : t("datahub.form.codeHint")}
              rules={[{ pattern: RESOURCE_CODE, message: t("datahub.form.codePattern") }]}
            >
              <Input
                maxLength={10}
                disabled={editing}
                className="ff-mono"
                placeholder="101/000001"
                data-testid="resource-field-code"
              />
            </Form.Item>
          </Col>
        </Row>
        <Form.Item
          name="summary"
          label={t("datahub.resource.summary")}
          rules={[{ required: true, whitespace: true, message: t("field.required") }]}
        >
          <Input.TextArea
            autoSize={{ minRows: 2, maxRows: 6 }}
            maxLength={4000}
            data-testid="resource-field-summary"
          />
        </Form.Item>
        {bureau && !editing && (
          <Form.Item
            name="providerDepartmentId"
            label={t("datahub.resource.provider")}
            extra={t("datahub.form.providerHint")}
          >
            <DepartmentPicker testId="resource-field-providerDepartmentId" />
          </Form.Item>
        )}
        <Row gutter={12}>
          <Col xs={12} md={6}>
            <Form.Item name="sharingType" label={t("datahub.resource.sharingType")}>
              <Select
                options={enumOptions(SHARING_TYPES, (v) => t(`datahub.sharingType.${v}`))}
                data-testid="resource-field-sharingType"
              />
            </Form.Item>
          </Col>
          <Col xs={12} md={6}>
            <Form.Item name="sharingMethod" label={t("datahub.resource.sharingMethod")}>
              <Select
                options={enumOptions(SHARING_METHODS, (v) => t(`datahub.sharingMethod.${v}`))}
                data-testid="resource-field-sharingMethod"
              />
            </Form.Item>
          </Col>
          <Col xs={12} md={6}>
            <Form.Item name="openType" label={t("datahub.resource.openType")}>
              <Select
                options={enumOptions(OPEN_TYPES, (v) => t(`datahub.openType.${v}`))}
                data-testid="resource-field-openType"
              />
            </Form.Item>
          </Col>
          <Col xs={12} md={6}>
            <Form.Item name="updateCycle" label={t("datahub.resource.updateCycle")}>
              <Select
                options={enumOptions(UPDATE_CYCLES, (v) => t(`datahub.updateCycle.${v}`))}
                data-testid="resource-field-updateCycle"
              />
            </Form.Item>
          </Col>
        </Row>
        {sharingType === "conditional" && (
          <Form.Item
            name="sharingCondition"
            label={t("datahub.resource.sharingCondition")}
            rules={[{ required: true, whitespace: true, message: t("field.required") }]}
          >
            <Input.TextArea
              autoSize={{ minRows: 2, maxRows: 5 }}
              maxLength={2000}
              data-testid="resource-field-sharingCondition"
            />
          </Form.Item>
        )}
        <Form.Item
          name="sharingBasis"
          label={t("datahub.resource.sharingBasis")}
          extra={t("datahub.form.basisHint")}
          rules={[
            { required: sharingType !== "unconditional", whitespace: true, message: t("field.required") },
          ]}
        >
          <Input.TextArea
            autoSize={{ minRows: 1, maxRows: 4 }}
            maxLength={2000}
            data-testid="resource-field-sharingBasis"
          />
        </Form.Item>
        <Row gutter={12}>
          <Col xs={24} md={8}>
            <Form.Item
              name="format"
              label={t("datahub.resource.format")}
              rules={[{ required: true, whitespace: true, message: t("field.required") }]}
            >
              <Input maxLength={50} data-testid="resource-field-format" />
            </Form.Item>
          </Col>
          <Col xs={24} md={8}>
            <Form.Item
              name="keyItem"
              label={t("datahub.resource.keyItem")}
              rules={[{ required: true, message: t("field.required") }]}
            >
              <Select
                options={keyOptions}
                notFoundContent={t("datahub.form.keyItemEmpty")}
                data-testid="resource-field-keyItem"
              />
            </Form.Item>
          </Col>
          <Col xs={24} md={8}>
            <Form.Item
              name="relatedCodes"
              label={t("datahub.resource.related")}
              rules={[
                {
                  validator: async (_, codes: string[] | undefined) => {
                    if ((codes ?? []).some((c) => !RESOURCE_CODE.test(c.trim())))
                      throw new Error(t("datahub.form.codePattern"));
                  },
                },
              ]}
            >
              <Select
                mode="tags"
                tokenSeparators={[",", "，", " "]}
                open={false}
                suffixIcon={null}
                data-testid="resource-field-relatedCodes"
              />
            </Form.Item>
          </Col>
        </Row>
        <div className="ff-form-section">{t("datahub.resource.items")}</div>
        <ItemsEditor form={form} t={t} />
        <DatahubProblem error={error} extra={unmatched} testId="resource-form-error" />
        <Space wrap className="ff-form-actions">
          <Button
            type="primary"
            htmlType="submit"
            icon={<SaveOutlined />}
            loading={busy}
            data-testid="resource-submit"
          >
            {editing ? t("datahub.form.saveVersion") : t("datahub.form.publish")}
          </Button>
          <Button onClick={onClose}>{t("common.cancel")}</Button>
        </Space>
      </Form>
    </Drawer>
  );
}
