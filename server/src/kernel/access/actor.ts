import type { Role, Scope } from "./roles";
import { ROLE_INFO, SCOPES } from "./roles";

/** The authenticated caller, as services see it. */
export interface Actor {
  id: string;
  username: string;
  /** "system": a device or another system authenticated by a route's `clients` scheme, not a person. */
  kind: "staff" | "citizen" | "enterprise" | "system";
  displayName: string;
  roles: Role[];
  departmentId: string | null;
  /** Materialised path of the actor's department, for subtree checks. */
  departmentPath: string | null;
  citizenId: string | null;
  enterpriseId: string | null;
  /** Set after an administrator issued a one-time password: only changePassword is allowed. */
  mustChangePassword?: boolean;
}

/**
 * Machine callers a route admits besides its roles (devices and systems of a module, e.g. the twin's
 * registered devices). `authenticate` answers false when the request carries none of the scheme's
 * credentials (the caller is then a person, checked by role), throws a 401 problem when it carries
 * wrong ones, and sets `req.actor` (kind "system", no roles) when they are right; the route then
 * decides what that client may do.
 */
export interface ClientAuth {
  /** The OpenAPI security scheme's name. */
  scheme: string;
  authenticate(req: import("fastify").FastifyRequest): Promise<boolean>;
}

/** Who may call a route. Deny by default: a route without this is refused to everyone. */
export type Access =
  | { public: true }
  /**
   * Another government system, not a person, authenticated by the named scheme (e.g. OAuth 2.0 client
   * credentials at the exchange gateway) before validation: `authenticate` throws a 401 problem (and
   * audits the attempt) or remembers the caller for the route, which authorises and audits the call.
   */
  | { system: "exchange-client"; authenticate: (req: import("fastify").FastifyRequest) => Promise<void> }
  | {
      /** Roles admitted; "authenticated" admits any signed-in account. */
      roles: readonly Role[] | "authenticated";
      /** Data scope the route works in; services narrow queries with `scopeOf`. */
      scope?: Scope;
      /** Reachable while the account must still replace its one-time password. */
      beforePasswordChange?: boolean;
      /** Devices or systems admitted as well, by their own credentials. */
      clients?: ClientAuth;
    };

export function hasAnyRole(actor: Actor, roles: readonly Role[]): boolean {
  return actor.roles.some((r) => roles.includes(r));
}

/** The widest scope the actor holds among the given roles. */
export function scopeOf(actor: Actor, roles: readonly Role[] = actor.roles): Scope {
  let widest = 0;
  for (const role of actor.roles) {
    if (!roles.includes(role)) continue;
    widest = Math.max(widest, SCOPES.indexOf(ROLE_INFO[role].scope));
  }
  return SCOPES[widest]!;
}

/** Whether a department (by its path) lies within what the actor may see at the given scope. */
export function departmentInScope(actor: Actor, scope: Scope, departmentPath: string | null): boolean {
  if (scope === "district") return true;
  if (!actor.departmentPath || !departmentPath) return false;
  if (scope === "subtree") return departmentPath.startsWith(actor.departmentPath);
  if (scope === "department") return departmentPath === actor.departmentPath;
  return false;
}
