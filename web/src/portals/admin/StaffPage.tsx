import { PlusOutlined, ReloadOutlined, SearchOutlined, UnlockOutlined } from "@ant-design/icons";
import {
  App,
  Button,
  Card,
  Empty,
  Input,
  Pagination,
  Popconfirm,
  Space,
  Spin,
  Table,
  Tag,
  TreeSelect,
} from "antd";
import type { ColumnsType } from "antd/es/table";
import { useState } from "react";
import { useSearchParams } from "react-router";
import { api } from "../../shared/api";
import { PageHeader } from "../../shared/components/PageHeader";
import { ProblemAlert } from "../../shared/components/ProblemAlert";
import { errorMessage } from "../../shared/errors";
import { useIsMobile } from "../../shared/hooks/useMediaQuery";
import { useRequest } from "../../shared/hooks/useRequest";
import { type Translate, useT } from "../../shared/i18n";
import { positiveInt, useSearchDraft } from "../../shared/params";
import { roleName } from "../../shared/roles";
import type { CreatedStaff, Page, Staff } from "../../shared/types";
import { CreatedStaffModal, CreateStaffModal, EditRolesModal } from "./StaffForms";
import { treeSelectData, useDepartments } from "./useDepartments";
import { staffRoleCodes, useRoles } from "./useRoles";

const PAGE_SIZES = [10, 20, 50, 100];

function StatusTags({ staff, t }: { staff: Staff; t: Translate }) {
  if (!staff.locked && !staff.disabled) return <Tag color="success">{t("staff.statusActive")}</Tag>;
  return (
    <>
      {staff.locked && (
        <Tag color="warning" data-testid="staff-locked">
          {t("staff.statusLocked")}
        </Tag>
      )}
      {staff.disabled && <Tag color="default">{t("staff.statusDisabled")}</Tag>}
    </>
  );
}

function RoleTags({ roles, t }: { roles: string[]; t: Translate }) {
  if (roles.length === 0) return <span className="ff-muted">—</span>;
  return (
    <span className="ff-tag-wrap">
      {roles.map((r) => (
        <Tag key={r} color={r === "admin" ? "red" : "blue"}>
          {roleName(r, t)}
        </Tag>
      ))}
    </span>
  );
}

export function StaffPage() {
  const t = useT();
  const mobile = useIsMobile();
  const { message } = App.useApp();
  const [params, setParams] = useSearchParams();
  const departmentId = params.get("departmentId") ?? "";
  const q = params.get("q") ?? "";
  const page = positiveInt(params.get("page"), 1);
  const pageSize = positiveInt(params.get("pageSize"), 20);
  // The search box filters as the user types, once they pause.
  const [qDraft, setQDraft] = useSearchDraft("q");

  const departments = useDepartments();
  const roles = useRoles();
  const roleCodes = staffRoleCodes(roles.data?.items);
  const list = useRequest(
    (signal) => api.get<Page<Staff>>("/api/admin/staff", { departmentId, q, page, pageSize }, signal),
    [departmentId, q, page, pageSize],
  );

  const [creating, setCreating] = useState(false);
  const [created, setCreated] = useState<CreatedStaff | null>(null);
  const [editing, setEditing] = useState<Staff | null>(null);
  const [unlocking, setUnlocking] = useState<string | null>(null);

  const update = (changes: Record<string, string | number | null>) => {
    const next = new URLSearchParams(params);
    for (const [key, value] of Object.entries(changes)) {
      if (value === null || value === "") next.delete(key);
      else next.set(key, String(value));
    }
    setParams(next, { replace: true });
  };

  const replaceRow = (staff: Staff) =>
    list.setData((current) =>
      current ? { ...current, items: current.items.map((s) => (s.id === staff.id ? staff : s)) } : current,
    );

  const unlock = async (staff: Staff) => {
    setUnlocking(staff.id);
    try {
      const saved = await api.post<Staff>(`/api/admin/staff/${encodeURIComponent(staff.id)}/unlock`);
      replaceRow(saved);
      message.success(t("staff.unlocked", { name: staff.displayName }));
    } catch (error) {
      message.error(errorMessage(error, t));
    } finally {
      setUnlocking(null);
    }
  };

  const actions = (staff: Staff) => (
    <Space size={4} wrap>
      <Button
        size="small"
        onClick={() => setEditing(staff)}
        data-testid={`staff-edit-roles-${staff.username}`}
      >
        {t("staff.editRoles")}
      </Button>
      {staff.locked && (
        <Popconfirm
          title={t("staff.unlockConfirm", { name: staff.displayName })}
          okText={t("staff.unlock")}
          cancelText={t("common.cancel")}
          onConfirm={() => unlock(staff)}
        >
          <Button
            size="small"
            icon={<UnlockOutlined />}
            loading={unlocking === staff.id}
            data-testid={`staff-unlock-${staff.username}`}
          >
            {t("staff.unlock")}
          </Button>
        </Popconfirm>
      )}
    </Space>
  );

  const columns: ColumnsType<Staff> = [
    {
      title: t("staff.displayName"),
      dataIndex: "displayName",
      width: 120,
      fixed: "left",
    },
    {
      title: t("staff.username"),
      dataIndex: "username",
      width: 150,
      render: (v: string) => <span className="ff-mono">{v}</span>,
    },
    {
      title: t("staff.department"),
      dataIndex: "departmentName",
      width: 200,
      ellipsis: true,
      render: (v: string | null) => v ?? "—",
    },
    {
      title: t("staff.position"),
      dataIndex: "position",
      width: 140,
      ellipsis: true,
      render: (v: string | null) => v ?? "—",
    },
    { title: t("staff.roles"), key: "roles", render: (_, s) => <RoleTags roles={s.roles} t={t} /> },
    { title: t("staff.status"), key: "status", width: 110, render: (_, s) => <StatusTags staff={s} t={t} /> },
    {
      title: t("common.actions"),
      key: "actions",
      width: 180,
      fixed: "right",
      render: (_, s) => actions(s),
    },
  ];

  const data = list.data;

  return (
    <div data-testid="admin-staff">
      <PageHeader
        title={t("nav.admin.staff")}
        subtitle={t("staff.subtitle")}
        extra={
          <Space wrap>
            <Button icon={<ReloadOutlined />} onClick={list.reload} aria-label={t("common.reload")}>
              {!mobile && t("common.reload")}
            </Button>
            <Button
              type="primary"
              icon={<PlusOutlined />}
              onClick={() => setCreating(true)}
              data-testid="staff-create"
            >
              {t("staff.create")}
            </Button>
          </Space>
        }
      />
      <Card className="ff-card ff-filter-card">
        <div className="ff-filters">
          <TreeSelect
            allowClear
            showSearch={{ treeNodeFilterProp: "title" }}
            treeData={treeSelectData(departments.index)}
            treeNodeLabelProp="label"
            value={departmentId || undefined}
            onChange={(v: string | undefined) => update({ departmentId: v ?? null, page: null })}
            placeholder={t("staff.filterDepartment")}
            loading={departments.loading}
            listHeight={320}
            className="ff-filter-department"
            data-testid="staff-filter-department"
          />
          <Input
            allowClear
            prefix={<SearchOutlined />}
            value={qDraft}
            onChange={(e) => setQDraft(e.target.value)}
            onPressEnter={() => update({ q: qDraft.trim() || null, page: null })}
            placeholder={t("staff.searchPlaceholder")}
            className="ff-filter-search"
            data-testid="staff-search"
          />
        </div>
      </Card>
      <ProblemAlert error={list.error} onRetry={list.reload} style={{ marginBottom: 16 }} />
      <Card className="ff-card" styles={{ body: mobile ? { padding: 8 } : undefined }}>
        {mobile ? (
          <>
            <Spin spinning={list.loading}>
              <div className="ff-card-list" data-testid="staff-list">
                {(data?.items ?? []).length === 0 && !list.loading && (
                  <Empty description={t("staff.empty")} />
                )}
                {(data?.items ?? []).map((s) => (
                  <div key={s.id} className="ff-staff-card" data-testid={`staff-card-${s.username}`}>
                    <div className="ff-staff-card-head">
                      <strong>{s.displayName}</strong>
                      <span className="ff-mono ff-muted ff-small">{s.username}</span>
                      <span className="ff-staff-card-status">
                        <StatusTags staff={s} t={t} />
                      </span>
                    </div>
                    <div className="ff-muted ff-small">
                      {[s.departmentName, s.position].filter(Boolean).join(" · ") || "—"}
                    </div>
                    <div className="ff-staff-card-roles">
                      <RoleTags roles={s.roles} t={t} />
                    </div>
                    {actions(s)}
                  </div>
                ))}
              </div>
            </Spin>
            {data && data.total > 0 && (
              <Pagination
                className="ff-pagination"
                size="small"
                current={page}
                pageSize={pageSize}
                total={data.total}
                showSizeChanger={false}
                onChange={(p) => update({ page: p })}
              />
            )}
          </>
        ) : (
          <Table<Staff>
            rowKey="id"
            size="middle"
            loading={list.loading}
            columns={columns}
            dataSource={data?.items ?? []}
            scroll={{ x: 1040 }}
            data-testid="staff-table"
            locale={{ emptyText: <Empty description={t("staff.empty")} /> }}
            pagination={{
              current: page,
              pageSize,
              total: data?.total ?? 0,
              showSizeChanger: true,
              pageSizeOptions: PAGE_SIZES,
              showTotal: (total) => t("common.total", { total }),
              onChange: (p, size) => update({ page: size !== pageSize ? 1 : p, pageSize: size }),
            }}
          />
        )}
      </Card>
      <CreateStaffModal
        open={creating}
        index={departments.index}
        roleCodes={roleCodes}
        defaultDepartmentId={departmentId || null}
        onClose={() => setCreating(false)}
        onCreated={(result) => {
          setCreating(false);
          setCreated(result);
          list.reload();
        }}
      />
      <CreatedStaffModal created={created} onClose={() => setCreated(null)} />
      <EditRolesModal
        staff={editing}
        roleCodes={roleCodes}
        onClose={() => setEditing(null)}
        onSaved={(s) => {
          replaceRow(s);
          setEditing(null);
        }}
      />
    </div>
  );
}
