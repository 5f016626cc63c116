import { buildAccounts } from "./accounts";
import { DocumentMint } from "./documents";
import { generateEnterprises } from "./enterprises";
import { buildOrganisation } from "./organisation";
import { generateCitizens } from "./people";
import { Random } from "./random";
import { generateStaff } from "./staff";
import type { DemoDistrict } from "./types";

export { demoPassword } from "./accounts";
export { AS_OF } from "./dates";
export { DISTRICT_CODE } from "./places";
export { NAMED_POSTS } from "./staff";
export type {
  DemoAccount,
  DemoCitizen,
  DemoCitizenIdType,
  DemoDepartment,
  DemoDistrict,
  DemoEnterprise,
  DemoStaff,
  DepartmentKind,
  Role,
} from "./types";

export const DEFAULT_SEED = 2026;
export const DEFAULT_CITIZENS = 10_000;
export const DEFAULT_ENTERPRISES = 2_000;

export interface DistrictOptions {
  seed?: number;
  citizens?: number;
  enterprises?: number;
}

function count(value: number | undefined, fallback: number, what: string): number {
  const n = value ?? fallback;
  if (!Number.isInteger(n) || n < 1) throw new RangeError(`${what} must be a positive integer`);
  return n;
}

/**
 * The fictional 云溪区 of Guangzhou: organisation tree, staff, residents, market entities and one demo
 * account per role. Pure and deterministic: the same options give byte-identical JSON, independent of
 * the clock, so demo data, screenshots and tests agree.
 */
export function generateDistrict(options: DistrictOptions = {}): DemoDistrict {
  const seed = (options.seed ?? DEFAULT_SEED) >>> 0;
  const citizenCount = count(options.citizens, DEFAULT_CITIZENS, "citizens");
  const enterpriseCount = count(options.enterprises, DEFAULT_ENTERPRISES, "enterprises");

  const org = buildOrganisation();
  // One mint for the whole district keeps phone numbers and document numbers unique across all of it.
  const mint = new DocumentMint();
  const citizens = generateCitizens(Random.derive(seed, "citizens"), mint, org.communities, citizenCount);
  const enterprises = generateEnterprises(
    Random.derive(seed, "enterprises"),
    mint,
    citizens,
    org.communities,
    enterpriseCount,
  );
  const { staff, named } = generateStaff(Random.derive(seed, "staff"), org);
  const accounts = buildAccounts(seed, mint, { citizens, enterprises, named });
  return { seed, departments: org.departments, staff, citizens, enterprises, accounts };
}
