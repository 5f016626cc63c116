import { Card, Empty, Table, Tag } from "antd";
import { PageHeader } from "../../shared/components/PageHeader";
import { ProblemAlert } from "../../shared/components/ProblemAlert";
import { useT } from "../../shared/i18n";
import { PORTALS } from "../../shared/portals";
import { roleDescription, roleName, scopeName } from "../../shared/roles";
import type { PortalId, RoleInfo } from "../../shared/types";
import { useRoles } from "./useRoles";

const SCOPE_COLORS: Record<string, string> = {
  own: "default",
  department: "blue",
  subtree: "geekblue",
  district: "red",
};

export function RolesPage() {
  const t = useT();
  const roles = useRoles();

  return (
    <div data-testid="admin-roles">
      <PageHeader title={t("nav.admin.roles")} subtitle={t("roles.subtitle")} />
      <ProblemAlert error={roles.error} onRetry={roles.reload} style={{ marginBottom: 16 }} />
      <Card className="ff-card">
        <Table<RoleInfo>
          rowKey="code"
          loading={roles.loading}
          dataSource={roles.data?.items ?? []}
          pagination={false}
          scroll={{ x: 860 }}
          data-testid="roles-table"
          locale={{ emptyText: <Empty description={t("roles.empty")} /> }}
          columns={[
            {
              title: t("roles.role"),
              key: "role",
              width: 180,
              render: (_, r) => (
                <div data-testid={`role-${r.code}`}>
                  <div className="ff-strong">{roleName(r.code, t)}</div>
                  <div className="ff-mono ff-muted ff-small">{r.code}</div>
                </div>
              ),
            },
            {
              title: t("roles.description"),
              key: "description",
              render: (_, r) => roleDescription(r.code, t) || <span className="ff-muted">—</span>,
            },
            {
              title: t("roles.scope"),
              key: "scope",
              width: 150,
              render: (_, r) => <Tag color={SCOPE_COLORS[r.scope] ?? "default"}>{scopeName(r.scope, t)}</Tag>,
            },
            {
              title: t("roles.portals"),
              key: "portals",
              width: 260,
              render: (_, r) => (
                <span className="ff-tag-wrap">
                  {r.portals.map((p) => (
                    <Tag key={p}>{p in PORTALS ? t(PORTALS[p as PortalId].name) : p}</Tag>
                  ))}
                </span>
              ),
            },
          ]}
        />
      </Card>
    </div>
  );
}
