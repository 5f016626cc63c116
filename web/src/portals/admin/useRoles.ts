import { api } from "../../shared/api";
import { useRequest } from "../../shared/hooks/useRequest";
import { KNOWN_ROLES, PUBLIC_ROLES } from "../../shared/roles";
import type { RoleInfo } from "../../shared/types";

export function useRoles() {
  return useRequest((signal) => api.get<{ items: RoleInfo[] }>("/api/admin/roles", undefined, signal), []);
}

/** Roles a staff account may hold: the server's list without the public ones (or the known list). */
export function staffRoleCodes(roles: RoleInfo[] | undefined): string[] {
  if (!roles) return KNOWN_ROLES.filter((c) => !PUBLIC_ROLES.includes(c));
  return roles
    .filter((r) => (r.staff === undefined ? !PUBLIC_ROLES.includes(r.code) : r.staff))
    .map((r) => r.code);
}
