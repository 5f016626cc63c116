import type { MessageKey, Translate } from "./i18n";
import type { Scope } from "./types";

export const KNOWN_ROLES = [
  "citizen",
  "enterprise",
  "clerk",
  "approver",
  "officer",
  "leader",
  "dispatcher",
  "gridworker",
  "dataofficer",
  "databureau",
  "admin",
] as const;
export type KnownRole = (typeof KNOWN_ROLES)[number];

/** Roles that only members of the public hold; staff accounts never carry them. */
export const PUBLIC_ROLES: readonly string[] = ["citizen", "enterprise"];

const ROLE_NAMES: Record<KnownRole, MessageKey> = {
  citizen: "role.citizen",
  enterprise: "role.enterprise",
  clerk: "role.clerk",
  approver: "role.approver",
  officer: "role.officer",
  leader: "role.leader",
  dispatcher: "role.dispatcher",
  gridworker: "role.gridworker",
  dataofficer: "role.dataofficer",
  databureau: "role.databureau",
  admin: "role.admin",
};

const ROLE_DESCRIPTIONS: Record<KnownRole, MessageKey> = {
  citizen: "roleDesc.citizen",
  enterprise: "roleDesc.enterprise",
  clerk: "roleDesc.clerk",
  approver: "roleDesc.approver",
  officer: "roleDesc.officer",
  leader: "roleDesc.leader",
  dispatcher: "roleDesc.dispatcher",
  gridworker: "roleDesc.gridworker",
  dataofficer: "roleDesc.dataofficer",
  databureau: "roleDesc.databureau",
  admin: "roleDesc.admin",
};

function isKnownRole(code: string): code is KnownRole {
  return (KNOWN_ROLES as readonly string[]).includes(code);
}

/** The role's name in the user's language; unknown codes are shown as they are. */
export function roleName(code: string, t: Translate): string {
  return isKnownRole(code) ? t(ROLE_NAMES[code]) : code;
}

export function roleDescription(code: string, t: Translate): string {
  return isKnownRole(code) ? t(ROLE_DESCRIPTIONS[code]) : "";
}

const SCOPE_NAMES: Record<Scope, MessageKey> = {
  own: "scope.own",
  department: "scope.department",
  subtree: "scope.subtree",
  district: "scope.district",
};

export function scopeName(scope: string, t: Translate): string {
  return scope in SCOPE_NAMES ? t(SCOPE_NAMES[scope as Scope]) : scope;
}
