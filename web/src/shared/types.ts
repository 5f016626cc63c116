/** Shapes of the Fourfold API as the web app uses them (the server's OpenAPI document is the source). */

export type PortalId = "citizen" | "office" | "operations" | "datahub" | "admin";
export const PORTAL_ORDER: readonly PortalId[] = ["citizen", "office", "operations", "datahub", "admin"];

export type UserKind = "staff" | "citizen" | "enterprise";

export interface DepartmentRef {
  id: string;
  code: string;
  name: string;
}

export interface Me {
  id: string;
  username: string;
  kind: UserKind;
  displayName: string;
  roles: string[];
  department: DepartmentRef | null;
  portals: PortalId[];
}

export interface SignInResult {
  user: Me;
}

export interface Providers {
  password?: boolean;
  sms?: boolean;
  oidc: boolean;
  oidcLabel?: string | null;
  /** Demo mode: SMS codes are written to the server log. */
  demo?: boolean;
}

export type DepartmentKind = "government" | "bureau" | "office" | "subdistrict" | "community" | "grid";
export const DEPARTMENT_KINDS: readonly DepartmentKind[] = [
  "government",
  "bureau",
  "office",
  "subdistrict",
  "community",
  "grid",
];

export interface Department {
  id: string;
  code: string;
  name: string;
  nameEn: string | null;
  kind: DepartmentKind;
  parentId: string | null;
  staffCount: number;
}

export interface Staff {
  id: string;
  username: string;
  displayName: string;
  departmentId: string | null;
  departmentName: string | null;
  position: string | null;
  roles: string[];
  locked: boolean;
  disabled: boolean;
}

export interface CreatedStaff {
  staff: Staff;
  initialPassword: string;
  totpSecret: string;
  totpUri: string;
}

export type Scope = "own" | "department" | "subtree" | "district";

export interface RoleInfo {
  code: string;
  scope: Scope;
  portals: string[];
  /** Whether staff accounts may hold the role (absent from older servers). */
  staff?: boolean;
}

export interface Page<T> {
  items: T[];
  total: number;
}

export type AuditOutcome = "success" | "failure" | "denied";

export interface AuditRecord {
  id: string;
  at: string;
  actorId: string | null;
  actorName: string | null;
  action: string;
  resourceType: string;
  resourceId: string | null;
  outcome: AuditOutcome;
  ip: string | null;
  requestId: string | null;
  leafIndex: number | null;
}

export interface AuditStatus {
  treeSize: number;
  unsealed: number;
  rootHash: string | null;
  signedAt: string | null;
  keyId: string | null;
}

export interface AuditVerifyReport {
  ok: boolean;
  treeSize: number;
  checkedRecords: number;
  problems: string[];
  verifiedAt: string;
}

export type HolidayKind = "holiday" | "workday";

export interface HolidayEntry {
  date: string;
  kind: HolidayKind;
  name: string;
}

export interface HolidayYear {
  year: number;
  status: "official" | "provisional";
  /** Where the schedule comes from, e.g. the State Council notice. */
  source?: string | null;
  items: HolidayEntry[];
}
