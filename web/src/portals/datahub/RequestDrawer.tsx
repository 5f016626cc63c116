import { SendOutlined } from "@ant-design/icons";
import { App, Button, Checkbox, DatePicker, Drawer, Form, Input, InputNumber, Space, Tag } from "antd";
import dayjs, { type Dayjs } from "dayjs";
import { useEffect, useState } from "react";
import { useNavigate } from "react-router";
import {
  createSharingRequest,
  type DataItem,
  PURPOSE_CODE_PATTERN,
  type ResourceView,
} from "../../shared/datahub";
import { useFormSubmit } from "../../shared/hooks/useFormSubmit";
import { useIsMobile } from "../../shared/hooks/useMediaQuery";
import { type Translate, useT } from "../../shared/i18n";
import { DatahubProblem, GradeTag } from "./datahubParts";

interface RequestValues {
  fields: string[];
  purposeCode: string;
  purpose: string;
  legalBasis: string;
  period: [Dayjs, Dayjs];
  expectedDailyVolume: number;
}

/** Values the gateway masks may be asked for in clear, except core data (核心数据), which never is. */
export function mayAskClear(item: Pick<DataItem, "mask" | "grade">): boolean {
  return item.mask !== "none" && item.grade !== "core";
}

/** Flags of an item that decide how it may be shared: 个人信息, 敏感, 脱敏方式. */
export function ItemFlags({ item, t }: { item: DataItem; t: Translate }) {
  return (
    <>
      {item.sensitive ? (
        <Tag color="magenta">{t("datahub.item.sensitive")}</Tag>
      ) : (
        item.personal && <Tag color="purple">{t("datahub.item.personal")}</Tag>
      )}
      {item.mask !== "none" && (
        <Tag>{t("datahub.item.maskedAs", { mask: t(`datahub.mask.${item.mask}`) })}</Tag>
      )}
    </>
  );
}

/**
 * The items to ask for, each with a 明文 (unmasked) box where that may be asked. The form holds the chosen
 * items; the unmasked ones are the drawer's own state and always a subset of them.
 */
function ItemPicker({
  items,
  value = [],
  onChange,
  clear,
  onClear,
}: {
  items: DataItem[];
  value?: string[];
  onChange?: (value: string[]) => void;
  clear: string[];
  onClear: (clear: string[]) => void;
}) {
  const t = useT();
  const chosen = new Set(value);
  const toggle = (name: string, on: boolean) => {
    onChange?.(items.map((i) => i.name).filter((n) => (n === name ? on : chosen.has(n))));
    if (!on) onClear(clear.filter((n) => n !== name));
  };
  const toggleClear = (name: string, on: boolean) =>
    onClear(items.map((i) => i.name).filter((n) => (n === name ? on : clear.includes(n))));
  const all = value.length === items.length;
  return (
    <div className="ff-item-picker">
      <div className="ff-item-picker-head">
        <Checkbox
          checked={all}
          indeterminate={value.length > 0 && !all}
          onChange={(e) => {
            onChange?.(e.target.checked ? items.map((i) => i.name) : []);
            if (!e.target.checked) onClear([]);
          }}
          data-testid="request-field-all"
        >
          {t("datahub.request.allItems", { count: items.length })}
        </Checkbox>
        <span className="ff-muted ff-small">{t("datahub.request.clearColumn")}</span>
      </div>
      {items.map((item) => (
        <div key={item.name} className="ff-item-picker-row">
          <Checkbox
            checked={chosen.has(item.name)}
            onChange={(e) => toggle(item.name, e.target.checked)}
            data-testid={`request-field-${item.name}`}
          >
            <span className="ff-item-picker-title">
              {item.title} <span className="ff-mono ff-muted ff-small">{item.name}</span>
            </span>
            <span className="ff-tag-wrap">
              <GradeTag grade={item.grade} t={t} />
              <ItemFlags item={item} t={t} />
            </span>
          </Checkbox>
          {mayAskClear(item) ? (
            <Checkbox
              checked={clear.includes(item.name)}
              disabled={!chosen.has(item.name)}
              onChange={(e) => toggleClear(item.name, e.target.checked)}
              data-testid={`request-clear-${item.name}`}
            >
              {t("datahub.request.clear")}
            </Checkbox>
          ) : (
            <span className="ff-muted ff-small">—</span>
          )}
        </div>
      ))}
    </div>
  );
}

/** The period of use, from today on; one test id around both of the range's inputs. */
function PeriodPicker({
  id,
  value,
  onChange,
}: {
  id?: string;
  value?: [Dayjs, Dayjs] | null;
  onChange?: (value: [Dayjs, Dayjs] | null) => void;
}) {
  return (
    <div data-testid="request-period">
      <DatePicker.RangePicker
        {...(id ? { id: { start: id } } : {})}
        inputReadOnly
        value={value ?? null}
        onChange={(range) => onChange?.(range?.[0] && range[1] ? [range[0], range[1]] : null)}
        disabledDate={(d) => d.isBefore(dayjs(), "day")}
      />
    </div>
  );
}

/** 申请共享: which items, why, on what legal basis, for how long and how many records a day. */
export function RequestDrawer({
  resource,
  open,
  onClose,
}: {
  resource: ResourceView;
  open: boolean;
  onClose: () => void;
}) {
  const t = useT();
  const mobile = useIsMobile();
  const navigate = useNavigate();
  const { message } = App.useApp();
  const [form] = Form.useForm<RequestValues>();
  const { busy, error, unmatched, run } = useFormSubmit(form, open);
  const [clear, setClear] = useState<string[]>([]);
  useEffect(() => {
    if (open) setClear([]);
  }, [open]);

  const submit = (values: RequestValues) =>
    run(async () => {
      const [from, to] = values.period;
      const created = await createSharingRequest({
        resourceId: resource.id,
        fields: values.fields,
        clearFields: clear.filter((n) => values.fields.includes(n)),
        purposeCode: values.purposeCode.trim(),
        purpose: values.purpose.trim(),
        legalBasis: values.legalBasis.trim(),
        periodFrom: from.format("YYYY-MM-DD"),
        periodTo: to.format("YYYY-MM-DD"),
        expectedDailyVolume: values.expectedDailyVolume,
      });
      message.success(t("datahub.request.submitted"));
      onClose();
      navigate(`/datahub/requests/${encodeURIComponent(created.id)}`);
    });

  return (
    <Drawer
      open={open}
      onClose={onClose}
      size={mobile ? "100%" : 720}
      destroyOnHidden
      title={t("datahub.request.formTitle", { name: resource.name })}
    >
      <Form<RequestValues>
        form={form}
        layout="vertical"
        initialValues={{ fields: [], expectedDailyVolume: 100 }}
        onFinish={(v) => void submit(v)}
        scrollToFirstError
        data-testid="request-form"
      >
        <Form.Item
          name="fields"
          label={t("datahub.request.fields")}
          extra={t("datahub.request.fieldsHint")}
          rules={[{ required: true, type: "array", min: 1, message: t("datahub.request.fieldsRequired") }]}
        >
          <ItemPicker items={resource.items} clear={clear} onClear={setClear} />
        </Form.Item>
        <Form.Item
          name="purposeCode"
          label={t("datahub.request.purposeCode")}
          extra={t("datahub.request.purposeCodeHint")}
          rules={[
            { required: true, message: t("field.required") },
            { pattern: PURPOSE_CODE_PATTERN, message: t("datahub.request.purposeCodePattern") },
          ]}
        >
          <Input
            maxLength={50}
            className="ff-mono"
            placeholder="subsidy-review"
            data-testid="request-purpose-code"
          />
        </Form.Item>
        <Form.Item
          name="purpose"
          label={t("datahub.request.purpose")}
          rules={[{ required: true, whitespace: true, message: t("field.required") }]}
        >
          <Input.TextArea
            autoSize={{ minRows: 2, maxRows: 6 }}
            maxLength={1000}
            data-testid="request-purpose"
          />
        </Form.Item>
        <Form.Item
          name="legalBasis"
          label={t("datahub.request.legalBasis")}
          extra={t("datahub.request.legalBasisHint")}
          rules={[{ required: true, whitespace: true, message: t("field.required") }]}
        >
          <Input.TextArea
            autoSize={{ minRows: 2, maxRows: 6 }}
            maxLength={1000}
            data-testid="request-legal-basis"
          />
        </Form.Item>
        <Space wrap size={16} align="start">
          <Form.Item
            name="period"
            label={t("datahub.request.period")}
            rules={[{ required: true, message: t("field.required") }]}
          >
            <PeriodPicker />
          </Form.Item>
          <Form.Item
            name="expectedDailyVolume"
            label={t("datahub.request.volume")}
            rules={[{ required: true, message: t("field.required") }]}
          >
            <InputNumber
              min={1}
              max={100_000_000}
              precision={0}
              suffix={t("datahub.request.volumeUnit")}
              data-testid="request-volume"
            />
          </Form.Item>
        </Space>
        <DatahubProblem error={error} extra={unmatched} testId="request-error" />
        <Space wrap className="ff-form-actions">
          <Button
            type="primary"
            htmlType="submit"
            icon={<SendOutlined />}
            loading={busy}
            data-testid="request-submit"
          >
            {t("datahub.request.submit")}
          </Button>
          <Button onClick={onClose}>{t("common.cancel")}</Button>
        </Space>
      </Form>
    </Drawer>
  );
}
