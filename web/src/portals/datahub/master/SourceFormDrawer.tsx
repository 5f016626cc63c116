import { DeleteOutlined, FileSearchOutlined, PlusOutlined, SaveOutlined } from "@ant-design/icons";
import {
  App,
  AutoComplete,
  Button,
  Col,
  Drawer,
  Form,
  type FormInstance,
  Input,
  InputNumber,
  Radio,
  Row,
  Select,
  Space,
} from "antd";
import { useRef } from "react";
import { BASES, type Base } from "../../../shared/datahub";
import { useFormSubmit } from "../../../shared/hooks/useFormSubmit";
import { useIsMobile } from "../../../shared/hooks/useMediaQuery";
import { type Translate, useT } from "../../../shared/i18n";
import {
  defineSource,
  fieldsOf,
  SOURCE_CODE,
  type Source,
  type SourceInput,
} from "../../../shared/masterdata";
import { DepartmentPicker } from "../../office/documents/DepartmentPicker";
import { guessField, guessKeyColumn, readColumns } from "./header";
import { BASE_NAMES, fieldTitle, MasterProblem, useMasterRoles } from "./masterParts";

interface MappingRow {
  column: string;
  field?: string | null;
}

interface SourceValues {
  code: string;
  name: string;
  base: Base;
  department?: string;
  keyColumn: string;
  mapping: MappingRow[];
  pullUrl?: string | null;
  pullEveryMinutes?: number | null;
  updateCycleDays: number;
}

const DEFAULTS: Partial<SourceValues> = {
  base: "population",
  mapping: [{ column: "", field: null }],
  updateCycleDays: 30,
  pullEveryMinutes: 60,
};

function valuesOf(source: Source): SourceValues {
  return {
    code: source.code,
    name: source.name,
    base: source.base,
    keyColumn: source.keyColumn,
    mapping: Object.entries(source.mapping).map(([column, field]) => ({ column, field })),
    pullUrl: source.pullUrl,
    pullEveryMinutes: source.pullEveryMinutes ?? 60,
    updateCycleDays: source.updateCycleDays,
  };
}

function inputOf(v: SourceValues): SourceInput {
  const pullUrl = v.pullUrl?.trim() || null;
  return {
    code: v.code.trim(),
    name: v.name.trim(),
    base: v.base,
    ...(v.department ? { department: v.department } : {}),
    keyColumn: v.keyColumn.trim(),
    // A column without a field is not loaded.
    mapping: Object.fromEntries(
      v.mapping.filter((r) => r?.column?.trim() && r.field).map((r) => [r.column.trim(), r.field as string]),
    ),
    pullUrl,
    pullEveryMinutes: pullUrl ? (v.pullEveryMinutes ?? 60) : null,
    updateCycleDays: v.updateCycleDays,
  };
}

/** 字段映射: rows of source column → base field; on phones each row is a small card. */
function MappingEditor({ form, base, t }: { form: FormInstance<SourceValues>; base: Base; t: Translate }) {
  const rows = Form.useWatch("mapping", form) ?? [];
  const used = new Set(rows.map((r) => r?.field).filter(Boolean));
  return (
    <Form.List
      name="mapping"
      rules={[
        {
          validator: async (_, value: MappingRow[] | undefined) => {
            const mapped = (value ?? []).filter((r) => r?.column?.trim() && r.field);
            if (mapped.length === 0) throw new Error(t("master.form.mappingRequired"));
            const columns = (value ?? []).map((r) => r?.column?.trim()).filter(Boolean);
            if (new Set(columns).size !== columns.length) throw new Error(t("master.form.columnsUnique"));
          },
        },
      ]}
    >
      {(fields, { add, remove }, { errors }) => (
        <div className="ff-master-mapping" data-testid="master-mapping">
          <div className="ff-master-mapping-row ff-master-mapping-head" aria-hidden>
            <span>{t("master.form.column")}</span>
            <span />
            <span>{t("master.form.field")}</span>
            <span />
          </div>
          {fields.map((field, i) => (
            <div key={field.key} className="ff-master-mapping-row" data-testid={`master-mapping-${i}`}>
              <Form.Item
                name={[field.name, "column"]}
                label={t("master.form.column")}
                rules={[{ required: true, whitespace: true, message: t("field.required") }]}
              >
                <Input maxLength={100} data-testid={`master-mapping-${i}-column`} />
              </Form.Item>
              <span className="ff-master-mapping-arrow" aria-hidden>
                →
              </span>
              <Form.Item name={[field.name, "field"]} label={t("master.form.field")}>
                <Select
                  allowClear
                  placeholder={t("master.form.fieldNone")}
                  showSearch={{ optionFilterProp: "label" }}
                  options={fieldsOf(base).map((f) => ({
                    value: f,
                    label: `${fieldTitle(base, f, t)} · ${f}`,
                    disabled: used.has(f) && rows[field.name]?.field !== f,
                  }))}
                  data-testid={`master-mapping-${i}-field`}
                />
              </Form.Item>
              <Button
                type="text"
                danger
                icon={<DeleteOutlined />}
                aria-label={t("master.form.removeColumn")}
                disabled={fields.length <= 1}
                onClick={() => remove(field.name)}
                data-testid={`master-mapping-remove-${i}`}
              />
            </div>
          ))}
          <Form.ErrorList errors={errors} />
          <Button
            type="dashed"
            block
            icon={<PlusOutlined />}
            onClick={() => add({ column: "", field: null })}
            data-testid="master-mapping-add"
          >
            {t("master.form.addColumn")}
          </Button>
        </div>
      )}
    </Form.List>
  );
}

/** 登记数据源 / 修改映射: a department dataset, the base it feeds and which column carries which field. */
export function SourceFormDrawer({
  open,
  source,
  onClose,
  onSaved,
}: {
  open: boolean;
  /** the source to change, or null to register one */
  source: Source | null;
  onClose: () => void;
  onSaved: (saved: Source) => void;
}) {
  const t = useT();
  const mobile = useIsMobile();
  const { message } = App.useApp();
  const { bureau } = useMasterRoles();
  const [form] = Form.useForm<SourceValues>();
  const { busy, error, unmatched, run } = useFormSubmit(form, open);
  const base: Base = Form.useWatch("base", form) ?? source?.base ?? "population";
  const mapping = Form.useWatch("mapping", form) ?? [];
  const pullUrl = Form.useWatch("pullUrl", form);
  const sample = useRef<HTMLInputElement>(null);
  const editing = source !== null;

  const submit = (values: SourceValues) =>
    run(async () => {
      const saved = await defineSource(inputOf(values));
      message.success(editing ? t("master.form.changed") : t("master.form.created"));
      onClose();
      onSaved(saved);
    });

  // The columns of a sample file fill the mapping, each with the field it probably carries.
  const readSample = async (file: File | undefined) => {
    if (!file) return;
    const columns = await readColumns(file);
    if (columns.length === 0) {
      message.warning(t("master.form.sampleUnreadable"));
      return;
    }
    const fields = fieldsOf(base);
    const taken = new Set<string>();
    const rows = columns.map((column) => {
      const field = guessField(base, column, fields);
      if (!field || taken.has(field)) return { column, field: null };
      taken.add(field);
      return { column, field };
    });
    form.setFieldValue("mapping", rows);
    const mapped = new Set(rows.filter((r) => r.field).map((r) => r.column));
    if (!form.getFieldValue("keyColumn")) form.setFieldValue("keyColumn", guessKeyColumn(columns, mapped));
    message.success(t("master.form.sampleRead", { columns: columns.length, mapped: mapped.size }));
  };

  const keyOptions = mapping
    .map((r) => r?.column?.trim())
    .filter((c): c is string => Boolean(c))
    .map((c) => ({ value: c }));

  return (
    <Drawer
      open={open}
      onClose={onClose}
      size={mobile ? "100%" : 760}
      destroyOnHidden
      title={editing ? t("master.form.editTitle", { name: source.name }) : t("master.sources.register")}
      data-testid="master-source-form-drawer"
    >
      <Form<SourceValues>
        form={form}
        layout="vertical"
        initialValues={source ? valuesOf(source) : DEFAULTS}
        onFinish={(v) => void submit(v)}
        onValuesChange={(changed: Partial<SourceValues>) => {
          // Fields of the other base do not apply any more.
          if (changed.base) {
            const allowed = new Set(fieldsOf(changed.base));
            form.setFieldValue(
              "mapping",
              (form.getFieldValue("mapping") as MappingRow[]).map((r) => ({
                ...r,
                field: r?.field && allowed.has(r.field) ? r.field : null,
              })),
            );
          }
        }}
        scrollToFirstError
        data-testid="master-source-form"
      >
        <Row gutter={12}>
          <Col xs={24} md={14}>
            <Form.Item
              name="name"
              label={t("master.source.name")}
              rules={[{ required: true, whitespace: true, message: t("field.required") }]}
            >
              <Input
                maxLength={100}
                placeholder={t("master.form.namePlaceholder")}
                data-testid="master-source-field-name"
              />
            </Form.Item>
          </Col>
          <Col xs={24} md={10}>
            <Form.Item
              name="code"
              label={t("master.source.code")}
              extra={editing ? undefined : t("master.form.codeHint")}
              rules={[
                { required: true, message: t("field.required") },
                { pattern: SOURCE_CODE, message: t("master.form.codePattern") },
              ]}
            >
              <Input
                maxLength={64}
                disabled={editing}
                className="ff-mono"
                placeholder="ca-residents"
                data-testid="master-source-field-code"
              />
            </Form.Item>
          </Col>
        </Row>
        <Form.Item
          name="base"
          label={t("master.source.base")}
          extra={editing ? t("master.form.baseFixed") : undefined}
        >
          <Radio.Group disabled={editing} data-testid="master-source-field-base">
            {BASES.map((b) => (
              <Radio.Button key={b} value={b} data-testid={`master-source-base-${b}`}>
                {t(BASE_NAMES[b])}
              </Radio.Button>
            ))}
          </Radio.Group>
        </Form.Item>
        {bureau && !editing && (
          <Form.Item
            name="department"
            label={t("master.source.department")}
            extra={t("master.form.departmentHint")}
          >
            <DepartmentPicker testId="master-source-field-department" />
          </Form.Item>
        )}
        <div className="ff-master-mapping-title">
          <span className="ff-form-section">{t("master.form.mapping")}</span>
          <input
            ref={sample}
            type="file"
            accept=".csv,.ndjson,.jsonl,.json"
            style={{ display: "none" }}
            data-testid="master-source-sample-file"
            onChange={(e) => {
              void readSample(e.target.files?.[0]);
              e.target.value = "";
            }}
          />
          <Button
            size="small"
            icon={<FileSearchOutlined />}
            onClick={() => sample.current?.click()}
            data-testid="master-source-sample"
          >
            {t("master.form.readSample")}
          </Button>
        </div>
        <p className="ff-muted ff-small">{t("master.form.mappingHint")}</p>
        <MappingEditor form={form} base={base} t={t} />
        <Form.Item
          name="keyColumn"
          label={t("master.source.keyColumn")}
          extra={t("master.form.keyColumnHint")}
          rules={[{ required: true, whitespace: true, message: t("field.required") }]}
        >
          <AutoComplete options={keyOptions} data-testid="master-source-field-keyColumn">
            <Input maxLength={100} />
          </AutoComplete>
        </Form.Item>
        <Row gutter={12}>
          <Col xs={24} md={16}>
            <Form.Item
              name="pullUrl"
              label={t("master.source.pullUrl")}
              extra={t("master.form.pullHint")}
              rules={[{ pattern: /^https?:\/\//, message: t("master.form.pullPattern") }]}
            >
              <Input
                maxLength={2000}
                allowClear
                className="ff-mono"
                placeholder="https://"
                data-testid="master-source-field-pullUrl"
              />
            </Form.Item>
          </Col>
          <Col xs={12} md={8}>
            <Form.Item name="pullEveryMinutes" label={t("master.source.pullEvery")}>
              <InputNumber
                min={5}
                max={10_080}
                precision={0}
                disabled={!pullUrl}
                suffix={t("master.unit.minutes")}
                className="ff-full-width"
                data-testid="master-source-field-pullEveryMinutes"
              />
            </Form.Item>
          </Col>
          <Col xs={12} md={8}>
            <Form.Item
              name="updateCycleDays"
              label={t("master.source.updateCycle")}
              tooltip={t("master.form.updateCycleHint")}
              rules={[{ required: true, message: t("field.required") }]}
            >
              <InputNumber
                min={1}
                max={3650}
                precision={0}
                suffix={t("master.unit.days")}
                className="ff-full-width"
                data-testid="master-source-field-updateCycleDays"
              />
            </Form.Item>
          </Col>
        </Row>
        <MasterProblem error={error} extra={unmatched} testId="master-source-error" />
        <Space className="ff-form-actions">
          <Button
            type="primary"
            htmlType="submit"
            icon={<SaveOutlined />}
            loading={busy}
            data-testid="master-source-submit"
          >
            {editing ? t("common.save") : t("master.sources.register")}
          </Button>
          <Button onClick={onClose}>{t("common.cancel")}</Button>
        </Space>
      </Form>
    </Drawer>
  );
}
