/** Roles of the platform. A role grants portals and a widest data scope; routes name the roles they admit. */
export const ROLES = [
  "citizen",
  "enterprise",
  "clerk", // 窗口受理人员
  "approver", // 审批人员
  "officer", // 机关工作人员
  "leader", // 领导
  "dispatcher", // 指挥调度员
  "gridworker", // 网格员
  "dataofficer", // 部门数据专员
  "databureau", // 数据管理局
  "admin",
] as const;
export type Role = (typeof ROLES)[number];

/** How far a role sees: its own records, its department, the department's subtree, or the district. */
export type Scope = "own" | "department" | "subtree" | "district";
export const SCOPES: readonly Scope[] = ["own", "department", "subtree", "district"];

export type Portal = "citizen" | "office" | "operations" | "datahub" | "admin";

export const ROLE_INFO: Record<Role, { scope: Scope; portals: Portal[]; staff: boolean }> = {
  citizen: { scope: "own", portals: ["citizen"], staff: false },
  enterprise: { scope: "own", portals: ["citizen"], staff: false },
  clerk: { scope: "department", portals: ["office"], staff: true },
  approver: { scope: "department", portals: ["office"], staff: true },
  officer: { scope: "department", portals: ["office"], staff: true },
  leader: { scope: "subtree", portals: ["office", "operations", "datahub"], staff: true },
  dispatcher: { scope: "district", portals: ["operations", "office"], staff: true },
  gridworker: { scope: "own", portals: ["operations"], staff: true },
  dataofficer: { scope: "department", portals: ["datahub", "office"], staff: true },
  databureau: { scope: "district", portals: ["datahub", "office"], staff: true },
  admin: { scope: "district", portals: ["admin", "office"], staff: true },
};

export const STAFF_ROLES = ROLES.filter((r) => ROLE_INFO[r].staff);

export function isRole(value: string): value is Role {
  return (ROLES as readonly string[]).includes(value);
}

/** The portals an account may open, the home portal of its first role first. */
export function portalsOf(roles: readonly Role[]): Portal[] {
  return [...new Set(roles.flatMap((r) => ROLE_INFO[r].portals))];
}
