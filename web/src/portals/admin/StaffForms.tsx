import { Alert, App, Checkbox, Descriptions, Form, Input, Modal, QRCode, TreeSelect, Typography } from "antd";
import { useEffect, useState } from "react";
import { ApiError, api } from "../../shared/api";
import { ProblemAlert } from "../../shared/components/ProblemAlert";
import { applyFieldErrors } from "../../shared/errors";
import { useT } from "../../shared/i18n";
import { roleName } from "../../shared/roles";
import type { CreatedStaff, Staff } from "../../shared/types";
import type { DepartmentIndex } from "./departmentTree";
import { treeSelectData } from "./useDepartments";

function RoleCheckboxes({
  codes,
  value,
  onChange,
  testId,
}: {
  codes: string[];
  value?: string[];
  onChange?: (value: string[]) => void;
  testId: string;
}) {
  const t = useT();
  return (
    <Checkbox.Group
      className="ff-role-grid"
      value={value ?? []}
      onChange={(v) => onChange?.(v.map(String))}
      data-testid={testId}
      options={codes.map((code) => ({
        value: code,
        label: (
          <span data-testid={`${testId}-${code}`}>
            {roleName(code, t)} <span className="ff-muted ff-small">{code}</span>
          </span>
        ),
      }))}
    />
  );
}

interface CreateValues {
  username: string;
  displayName: string;
  departmentId: string;
  position: string;
  roles: string[];
}

export function CreateStaffModal({
  open,
  index,
  roleCodes,
  defaultDepartmentId,
  onClose,
  onCreated,
}: {
  open: boolean;
  index: DepartmentIndex | null;
  roleCodes: string[];
  defaultDepartmentId: string | null;
  onClose: () => void;
  onCreated: (created: CreatedStaff) => void;
}) {
  const t = useT();
  const [form] = Form.useForm<CreateValues>();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [unmatched, setUnmatched] = useState<{ field: string; message: string }[]>([]);

  useEffect(() => {
    if (!open) return;
    setError(null);
    setUnmatched([]);
    form.resetFields();
    form.setFieldsValue({
      roles: ["officer"],
      ...(defaultDepartmentId ? { departmentId: defaultDepartmentId } : {}),
    });
  }, [open, defaultDepartmentId, form]);

  const submit = async (values: CreateValues) => {
    setBusy(true);
    setError(null);
    try {
      const created = await api.post<CreatedStaff>("/api/admin/staff", {
        username: values.username.trim(),
        displayName: values.displayName.trim(),
        departmentId: values.departmentId,
        position: values.position.trim(),
        roles: values.roles,
      });
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
      title={t("staff.createTitle")}
      okText={t("common.create")}
      cancelText={t("common.cancel")}
      onOk={() => form.submit()}
      onCancel={onClose}
      confirmLoading={busy}
      destroyOnHidden
      width={600}
      okButtonProps={{ "data-testid": "staff-form-submit" } as Record<string, string>}
    >
      <Form form={form} layout="vertical" onFinish={(v) => void submit(v)} data-testid="staff-create-form">
        <Form.Item
          name="username"
          label={t("staff.username")}
          extra={t("staff.usernameHint")}
          rules={[
            { required: true, whitespace: true, message: t("field.required") },
            { pattern: /^[a-z][a-z0-9._-]{2,31}$/, message: t("staff.usernameFormat") },
          ]}
        >
          <Input maxLength={32} autoComplete="off" data-testid="staff-form-username" />
        </Form.Item>
        <Form.Item
          name="displayName"
          label={t("staff.displayName")}
          rules={[{ required: true, whitespace: true, message: t("field.required") }]}
        >
          <Input maxLength={50} data-testid="staff-form-display-name" />
        </Form.Item>
        <Form.Item
          name="departmentId"
          label={t("staff.department")}
          rules={[{ required: true, message: t("field.required") }]}
        >
          <TreeSelect
            showSearch={{ treeNodeFilterProp: "title" }}
            treeData={treeSelectData(index)}
            treeNodeLabelProp="label"
            placeholder={t("staff.departmentPlaceholder")}
            listHeight={320}
            data-testid="staff-form-department"
          />
        </Form.Item>
        <Form.Item
          name="position"
          label={t("staff.position")}
          rules={[{ required: true, whitespace: true, message: t("field.required") }]}
        >
          <Input maxLength={50} data-testid="staff-form-position" />
        </Form.Item>
        <Form.Item
          name="roles"
          label={t("staff.roles")}
          rules={[{ required: true, type: "array", min: 1, message: t("staff.rolesRequired") }]}
        >
          <RoleCheckboxes codes={roleCodes} testId="staff-form-roles" />
        </Form.Item>
      </Form>
      <ProblemAlert error={error} extra={unmatched} />
    </Modal>
  );
}

/** Shows the new account's initial password and TOTP secret; they are never shown again. */
export function CreatedStaffModal({
  created,
  onClose,
}: {
  created: CreatedStaff | null;
  onClose: () => void;
}) {
  const t = useT();
  return (
    <Modal
      open={created !== null}
      title={t("staff.createdTitle")}
      onCancel={onClose}
      onOk={onClose}
      okText={t("staff.createdDone")}
      cancelButtonProps={{ style: { display: "none" } }}
      maskClosable={false}
      keyboard={false}
      width={620}
      data-testid="staff-created"
    >
      {created && (
        <>
          <Alert type="warning" showIcon title={t("staff.createdWarning")} style={{ marginBottom: 16 }} />
          <div className="ff-credentials">
            <Descriptions column={1} size="small" bordered className="ff-credentials-table">
              <Descriptions.Item label={t("staff.username")}>
                <Typography.Text copyable data-testid="staff-created-username">
                  {created.staff.username}
                </Typography.Text>
              </Descriptions.Item>
              <Descriptions.Item label={t("staff.initialPassword")}>
                <Typography.Text code copyable data-testid="staff-created-password">
                  {created.initialPassword}
                </Typography.Text>
              </Descriptions.Item>
              <Descriptions.Item label={t("staff.totpSecret")}>
                <Typography.Text code copyable className="ff-break" data-testid="staff-created-totp-secret">
                  {created.totpSecret}
                </Typography.Text>
              </Descriptions.Item>
            </Descriptions>
            <div className="ff-qr">
              <QRCode value={created.totpUri} size={168} bordered={false} errorLevel="M" />
              <div className="ff-muted ff-small">{t("staff.totpScan")}</div>
            </div>
          </div>
          <div className="ff-muted ff-small" style={{ marginTop: 12 }}>
            {t("staff.totpUri")}
          </div>
          <Typography.Paragraph
            copyable
            className="ff-mono ff-break ff-small"
            data-testid="staff-created-totp-uri"
          >
            {created.totpUri}
          </Typography.Paragraph>
        </>
      )}
    </Modal>
  );
}

export function EditRolesModal({
  staff,
  roleCodes,
  onClose,
  onSaved,
}: {
  staff: Staff | null;
  roleCodes: string[];
  onClose: () => void;
  onSaved: (staff: Staff) => void;
}) {
  const t = useT();
  const { message } = App.useApp();
  const [form] = Form.useForm<{ roles: string[] }>();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);

  useEffect(() => {
    if (!staff) return;
    setError(null);
    form.setFieldsValue({ roles: staff.roles });
  }, [staff, form]);

  // Roles the account holds that are not offered (e.g. retired codes) stay visible so they can be removed.
  const codes = staff ? [...new Set([...roleCodes, ...staff.roles])] : roleCodes;

  const submit = async (values: { roles: string[] }) => {
    if (!staff) return;
    setBusy(true);
    setError(null);
    try {
      const saved = await api.put<Staff>(`/api/admin/staff/${encodeURIComponent(staff.id)}/roles`, {
        roles: values.roles,
      });
      message.success(t("staff.rolesSaved"));
      onSaved(saved);
    } catch (e) {
      const rest = applyFieldErrors(form, e, t);
      if (!(e instanceof ApiError && e.errors.length > 0 && rest.length === 0)) setError(e);
    } finally {
      setBusy(false);
    }
  };

  return (
    <Modal
      open={staff !== null}
      title={staff ? t("staff.editRolesTitle", { name: staff.displayName }) : ""}
      okText={t("common.save")}
      cancelText={t("common.cancel")}
      onOk={() => form.submit()}
      onCancel={onClose}
      confirmLoading={busy}
      destroyOnHidden
      okButtonProps={{ "data-testid": "staff-roles-submit" } as Record<string, string>}
    >
      <Form form={form} layout="vertical" onFinish={(v) => void submit(v)}>
        <Form.Item
          name="roles"
          label={t("staff.roles")}
          rules={[{ required: true, type: "array", min: 1, message: t("staff.rolesRequired") }]}
        >
          <RoleCheckboxes codes={codes} testId="staff-roles" />
        </Form.Item>
      </Form>
      <ProblemAlert error={error} />
    </Modal>
  );
}
