import type { Role } from "../kernel/access/roles";

export type { Role };

export type DepartmentKind = "government" | "bureau" | "office" | "subdistrict" | "community" | "grid";

export interface DemoDepartment {
  code: string;
  name: string;
  nameEn: string;
  kind: DepartmentKind;
  parentCode: string | null;
  /** Issuing prefix in document numbers, e.g. 云府〔2026〕3号. */
  orgPrefix?: string;
}

export interface DemoStaff {
  username: string;
  displayName: string;
  departmentCode: string;
  position: string;
  roles: Role[];
}

export type DemoCitizenIdType = "resident_id" | "hk_macao_permit" | "taiwan_permit" | "foreign_passport";

export interface DemoCitizen {
  idType: DemoCitizenIdType;
  idNumber: string;
  name: string;
  gender: "male" | "female";
  /** YYYY-MM-DD */
  birthDate: string;
  phone: string;
  address: string;
  subdistrictCode: string;
  communityCode: string;
  gridCode: string;
}

export interface DemoEnterprise {
  uscc: string;
  name: string;
  /** 有限责任公司, 个体工商户, 股份有限公司, 个人独资企业, 合伙企业, 农民专业合作社 */
  kind: string;
  /** idNumber of one of the generated citizens. */
  legalRepIdNumber: string;
  legalRepName: string;
  /** At most 2^31 − 1: the database column is a 32-bit integer. */
  registeredCapitalFen: number;
  /** YYYY-MM-DD */
  establishedOn: string;
  /** GB/T 4754-2017 section letter and name, e.g. "F 批发和零售业". */
  industry: string;
  address: string;
  subdistrictCode: string;
  phone: string;
}

export interface DemoAccount {
  role: Role;
  username: string;
  password: string;
  /** RFC 4648 base32, 32 characters; staff only. */
  totpSecret: string | null;
  displayName: string;
  kind: "staff" | "citizen" | "enterprise";
  departmentCode?: string;
  citizenIdNumber?: string;
  enterpriseUscc?: string;
  phone?: string;
}

export interface DemoDistrict {
  seed: number;
  departments: DemoDepartment[];
  staff: DemoStaff[];
  citizens: DemoCitizen[];
  enterprises: DemoEnterprise[];
  accounts: DemoAccount[];
}
