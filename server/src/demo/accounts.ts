import { readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { ageOn } from "./dates";
import { type DocumentMint, totpSecret } from "./documents";
import { DISTRICT_CODE } from "./places";
import { Random } from "./random";
import type { StaffRole } from "./staff";
import type { DemoAccount, DemoCitizen, DemoEnterprise, DemoStaff } from "./types";

/**
 * Demo passwords are fixed and published (README, demo-accounts.json): "<Username>@2026!", e.g.
 * Clerk@2026!. Guessable on purpose; demo mode must never hold real data.
 */
export function demoPassword(username: string): string {
  return `${username.charAt(0).toUpperCase()}${username.slice(1)}@2026!`;
}

/** An entry of DATA_DIR/demo-accounts.json: a person's account, or a system's credentials. */
export interface DemoAccountEntry {
  role: string;
  username: string;
  password: string;
  totpSecret: string | null;
  displayName: string;
}

/**
 * Adds credentials a module seeded (a client system, a device) to DATA_DIR/demo-accounts.json. A
 * district without the file (a test's) gets nothing.
 */
export function appendDemoAccounts(dataDir: string, entries: DemoAccountEntry[]): void {
  const file = path.join(dataDir, "demo-accounts.json");
  let accounts: unknown[];
  try {
    accounts = JSON.parse(readFileSync(file, "utf8")) as unknown[];
  } catch {
    return;
  }
  writeFileSync(file, `${JSON.stringify([...accounts, ...entries], null, 2)}\n`);
}

const STAFF_ORDER: readonly StaffRole[] = [
  "clerk",
  "approver",
  "officer",
  "leader",
  "dispatcher",
  "gridworker",
  "dataofficer",
  "databureau",
  "admin",
];

function find<T>(items: readonly T[], test: (item: T) => boolean, what: string): T {
  const found = items.find(test);
  if (!found) throw new Error(`The demo district has no ${what}; generate more citizens or enterprises`);
  return found;
}

export function buildAccounts(
  seed: number,
  mint: DocumentMint,
  people: {
    citizens: readonly DemoCitizen[];
    enterprises: readonly DemoEnterprise[];
    named: Record<StaffRole, DemoStaff>;
  },
): DemoAccount[] {
  const { citizens, enterprises, named } = people;
  const inAgeRange = (c: DemoCitizen, min: number, max: number) => {
    const age = ageOn(c.birthDate);
    return age >= min && age <= max;
  };
  // The showcase citizen is a Yunxi-born adult, so every service (including those for locals) applies.
  const citizen = find(
    citizens,
    (c) => c.idType === "resident_id" && c.idNumber.startsWith(DISTRICT_CODE) && inAgeRange(c, 28, 45),
    "Yunxi-born adult citizen",
  );
  const enterprise = find(
    enterprises,
    (e) =>
      e.kind === "有限责任公司" && e.legalRepIdNumber !== citizen.idNumber && /^\d/.test(e.legalRepIdNumber),
    "limited company with a mainland legal representative",
  );
  const representative = find(
    citizens,
    (c) => c.idNumber === enterprise.legalRepIdNumber,
    "legal representative",
  );
  // A second citizen holding a Home Return Permit exercises the non-mainland document paths.
  const visitor = citizens.find((c) => c.idType === "hk_macao_permit" && inAgeRange(c, 18, 80));

  const accounts: DemoAccount[] = [
    {
      role: "citizen",
      username: "citizen",
      password: demoPassword("citizen"),
      totpSecret: null,
      displayName: citizen.name,
      kind: "citizen",
      citizenIdNumber: citizen.idNumber,
      phone: citizen.phone,
    },
    {
      role: "enterprise",
      username: "enterprise",
      password: demoPassword("enterprise"),
      totpSecret: null,
      displayName: representative.name,
      kind: "enterprise",
      citizenIdNumber: representative.idNumber,
      enterpriseUscc: enterprise.uscc,
      phone: representative.phone,
    },
  ];
  const phones = Random.derive(seed, "account-phones");
  for (const role of STAFF_ORDER) {
    const member = named[role];
    accounts.push({
      role,
      username: member.username,
      password: demoPassword(member.username),
      // Each secret has its own stream so adding an account never changes another's authenticator.
      totpSecret: totpSecret(Random.derive(seed, `totp/${member.username}`)),
      displayName: member.displayName,
      kind: "staff",
      departmentCode: member.departmentCode,
      phone: mint.mobile(phones),
    });
  }
  if (visitor) {
    accounts.push({
      role: "citizen",
      username: "citizen2",
      password: demoPassword("citizen2"),
      totpSecret: null,
      displayName: visitor.name,
      kind: "citizen",
      citizenIdNumber: visitor.idNumber,
      phone: visitor.phone,
    });
  }
  return accounts;
}
