import { App, Form, Input, Modal, Select, TreeSelect } from "antd";
import { useEffect, useState } from "react";
import { ApiError, api } from "../../shared/api";
import { ProblemAlert } from "../../shared/components/ProblemAlert";
import { applyFieldErrors } from "../../shared/errors";
import { useT } from "../../shared/i18n";
import { DEPARTMENT_KINDS, type Department, type DepartmentKind } from "../../shared/types";
import type { DepartmentIndex } from "./departmentTree";
import { departmentKindName, treeSelectData } from "./useDepartments";

/** The kind a new department most likely has under a parent of the given kind. */
const CHILD_KIND: Record<DepartmentKind, DepartmentKind> = {
  government: "bureau",
  bureau: "office",
  office: "office",
  subdistrict: "community",
  community: "grid",
  grid: "grid",
};

interface CreateValues {
  code: string;
  name: string;
  nameEn?: string;
  kind: DepartmentKind;
  parentId?: string | null;
}

export function CreateDepartmentModal({
  open,
  index,
  parent,
  onClose,
  onCreated,
}: {
  open: boolean;
  index: DepartmentIndex | null;
  parent: Department | null;
  onClose: () => void;
  onCreated: (department: Department) => void;
}) {
  const t = useT();
  const { message } = App.useApp();
  const [form] = Form.useForm<CreateValues>();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [unmatched, setUnmatched] = useState<{ field: string; message: string }[]>([]);

  useEffect(() => {
    if (!open) return;
    setError(null);
    setUnmatched([]);
    form.resetFields();
    form.setFieldsValue({ parentId: parent?.id ?? null, kind: parent ? CHILD_KIND[parent.kind] : "bureau" });
  }, [open, parent, form]);

  const submit = async (values: CreateValues) => {
    setBusy(true);
    setError(null);
    try {
      const nameEn = values.nameEn?.trim();
      const created = await api.post<Department>("/api/admin/departments", {
        code: values.code.trim(),
        name: values.name.trim(),
        ...(nameEn ? { nameEn } : {}),
        kind: values.kind,
        parentId: values.parentId ?? null,
      });
      message.success(t("dept.created", { name: created.name }));
      onCreated(created);
    } catch (e) {
      const rest = applyFieldErrors(form, e, t);
      if (!(e instanceof ApiError && e.errors.length > 0 && rest.length === 0)) {
        setError(e);
        setUnmatched(rest);
      }
    } finally {
      setBusy(false);
    }
  };

  return (
    <Modal
      open={open}
      title={parent ? t("dept.createChildTitle", { parent: parent.name }) : t("dept.createTitle")}
      okText={t("common.create")}
      cancelText={t("common.cancel")}
      onOk={() => form.submit()}
      onCancel={onClose}
      confirmLoading={busy}
      destroyOnHidden
      okButtonProps={{ "data-testid": "dept-form-submit" } as Record<string, string>}
    >
      <Form form={form} layout="vertical" onFinish={(v) => void submit(v)} data-testid="dept-create-form">
        <Form.Item name="parentId" label={t("dept.parent")}>
          <TreeSelect
            allowClear
            showSearch={{ treeNodeFilterProp: "title" }}
            treeData={treeSelectData(index)}
            treeNodeLabelProp="label"
            placeholder={t("dept.parentNone")}
            data-testid="dept-form-parent"
            listHeight={320}
          />
        </Form.Item>
        <Form.Item
          name="code"
          label={t("dept.code")}
          extra={t("dept.codeHint")}
          rules={[
            { required: true, whitespace: true, message: t("field.required") },
            { pattern: /^[0-9A-Za-z-]{2,40}$/, message: t("dept.codeFormat") },
          ]}
        >
          <Input maxLength={40} data-testid="dept-form-code" />
        </Form.Item>
        <Form.Item
          name="name"
          label={t("dept.name")}
          rules={[{ required: true, whitespace: true, message: t("field.required") }]}
        >
          <Input maxLength={100} data-testid="dept-form-name" />
        </Form.Item>
        <Form.Item name="nameEn" label={t("dept.nameEn")}>
          <Input maxLength={200} data-testid="dept-form-name-en" />
        </Form.Item>
        <Form.Item
          name="kind"
          label={t("dept.kind")}
          rules={[{ required: true, message: t("field.required") }]}
        >
          <Select
            data-testid="dept-form-kind"
            options={DEPARTMENT_KINDS.map((k) => ({ value: k, label: departmentKindName(k, t) }))}
          />
        </Form.Item>
      </Form>
      <ProblemAlert error={error} extra={unmatched} />
    </Modal>
  );
}

interface RenameValues {
  name: string;
  nameEn?: string;
}

export function RenameDepartmentModal({
  department,
  onClose,
  onRenamed,
}: {
  department: Department | null;
  onClose: () => void;
  onRenamed: (department: Department) => void;
}) {
  const t = useT();
  const { message } = App.useApp();
  const [form] = Form.useForm<RenameValues>();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);

  useEffect(() => {
    if (!department) return;
    setError(null);
    form.resetFields();
    form.setFieldsValue({ name: department.name, nameEn: department.nameEn ?? "" });
  }, [department, form]);

  const submit = async (values: RenameValues) => {
    if (!department) return;
    setBusy(true);
    setError(null);
    try {
      // An emptied English name is cleared (null); an untouched empty one is left alone.
      const nameEn = values.nameEn?.trim() ?? "";
      const clear = !nameEn && department.nameEn !== null;
      const updated = await api.patch<Department>(
        `/api/admin/departments/${encodeURIComponent(department.id)}`,
        { name: values.name.trim(), ...(nameEn ? { nameEn } : clear ? { nameEn: null } : {}) },
      );
      message.success(t("dept.renamed"));
      onRenamed(updated);
    } catch (e) {
      const rest = applyFieldErrors(form, e, t);
      if (!(e instanceof ApiError && e.errors.length > 0 && rest.length === 0)) setError(e);
    } finally {
      setBusy(false);
    }
  };

  return (
    <Modal
      open={department !== null}
      title={t("dept.renameTitle")}
      okText={t("common.save")}
      cancelText={t("common.cancel")}
      onOk={() => form.submit()}
      onCancel={onClose}
      confirmLoading={busy}
      destroyOnHidden
      okButtonProps={{ "data-testid": "dept-rename-submit" } as Record<string, string>}
    >
      <Form form={form} layout="vertical" onFinish={(v) => void submit(v)} data-testid="dept-rename-form">
        <Form.Item
          name="name"
          label={t("dept.name")}
          rules={[{ required: true, whitespace: true, message: t("field.required") }]}
        >
          <Input maxLength={100} data-testid="dept-rename-name" />
        </Form.Item>
        <Form.Item name="nameEn" label={t("dept.nameEn")}>
          <Input maxLength={200} data-testid="dept-rename-name-en" />
        </Form.Item>
      </Form>
      <ProblemAlert error={error} />
    </Modal>
  );
}
