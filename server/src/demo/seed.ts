import { writeFileSync } from "node:fs";
import path from "node:path";
import { sql } from "drizzle-orm";
import { appendAudit } from "../kernel/audit/audit";
import { sealSecret } from "../kernel/crypto/sm";
import type { Db } from "../kernel/db/db";
import { queryRows } from "../kernel/db/db";
import { newId } from "../kernel/db/ids";
import { generatePassword, hashPassword } from "../kernel/identity/passwords";
import { citizens, departments, enterpriseAgents, enterprises, users } from "../kernel/identity/schema";
import type { Platform } from "../kernel/platform";
import { linkDemoMobileAccounts } from "../modules/office";
import { type DemoAccount, type DemoDistrict, generateDistrict } from "./district";

const CHUNK = 1000;

async function insertChunked<T>(rows: T[], insert: (chunk: T[]) => Promise<unknown>): Promise<void> {
  for (let i = 0; i < rows.length; i += CHUNK) await insert(rows.slice(i, i + CHUNK));
}

/** True when the database holds no organisation yet (a new installation). */
export async function isEmpty(db: Db): Promise<boolean> {
  const [row] = await queryRows<{ n: number }>(db, sql`select count(*)::int as n from identity.departments`);
  return (row?.n ?? 0) === 0;
}

export interface SeedResult {
  accounts: DemoAccount[];
  counts: Record<string, number>;
}

/**
 * Seeds the deterministic demo district: organisation, staff, citizens, enterprises and one account
 * per role, and writes the accounts to DATA_DIR/demo-accounts.json. Multi-row inserts, one transaction.
 */
export async function seedDemoDistrict(
  platform: Platform,
  district: DemoDistrict = generateDistrict(),
): Promise<SeedResult> {
  const accountHashes = new Map<string, string>();
  for (const account of district.accounts)
    accountHashes.set(account.username, await hashPassword(account.password));

  await platform.db.transaction(async (tx) => {
    const deptIds = new Map<string, { id: string; path: string }>();
    const deptRows = district.departments.map((d) => {
      const parent = d.parentCode ? deptIds.get(d.parentCode) : null;
      if (d.parentCode && !parent)
        throw new Error(`Demo department ${d.code} comes before its parent ${d.parentCode}`);
      const id = newId();
      const p = `${parent?.path ?? "/"}${id}/`;
      deptIds.set(d.code, { id, path: p });
      return {
        id,
        code: d.code,
        name: d.name,
        nameEn: d.nameEn,
        kind: d.kind,
        parentId: parent?.id ?? null,
        path: p,
        orgPrefix: d.orgPrefix ?? null,
      };
    });
    await insertChunked(deptRows, (chunk) => tx.insert(departments).values(chunk));

    const citizenIds = new Map<string, string>();
    const citizenRows = district.citizens.map((c) => {
      const id = newId();
      citizenIds.set(c.idNumber, id);
      return {
        id,
        idType: c.idType,
        idNumber: c.idNumber,
        name: c.name,
        gender: c.gender,
        birthDate: c.birthDate,
        phone: c.phone,
        address: c.address,
        departmentId: deptIds.get(c.gridCode)?.id ?? deptIds.get(c.communityCode)?.id ?? null,
      };
    });
    await insertChunked(citizenRows, (chunk) => tx.insert(citizens).values(chunk));

    const enterpriseIds = new Map<string, string>();
    const enterpriseRows = district.enterprises.map((e) => {
      const id = newId();
      enterpriseIds.set(e.uscc, id);
      return {
        id,
        uscc: e.uscc,
        name: e.name,
        kind: e.kind,
        legalRepCitizenId: citizenIds.get(e.legalRepIdNumber) ?? null,
        registeredCapitalFen: e.registeredCapitalFen,
        establishedOn: e.establishedOn,
        industry: e.industry,
        address: e.address,
        phone: e.phone,
        departmentId: deptIds.get(e.subdistrictCode)?.id ?? null,
      };
    });
    await insertChunked(enterpriseRows, (chunk) => tx.insert(enterprises).values(chunk));

    const accountNames = new Set(district.accounts.map((a) => a.username));
    const userRows = [
      ...district.accounts.map((a) => ({
        id: newId(),
        username: a.username,
        kind: a.kind,
        displayName: a.displayName,
        passwordHash: accountHashes.get(a.username)!,
        totpSecret: a.totpSecret
          ? sealSecret(platform.masterKey, Buffer.from(a.totpSecret)).toString("base64")
          : null,
        roles: [a.role],
        departmentId: a.departmentCode ? (deptIds.get(a.departmentCode)?.id ?? null) : null,
        position: district.staff.find((s) => s.username === a.username)?.position ?? null,
        citizenId: a.citizenIdNumber ? (citizenIds.get(a.citizenIdNumber) ?? null) : null,
        enterpriseId: a.enterpriseUscc ? (enterpriseIds.get(a.enterpriseUscc) ?? null) : null,
        phone: a.phone ?? null,
      })),
      // Other staff exist for the organisation chart and assignment; they sign in once an
      // administrator issues them a password.
      ...district.staff
        .filter((s) => !accountNames.has(s.username))
        .map((s) => ({
          id: newId(),
          username: s.username,
          kind: "staff",
          displayName: s.displayName,
          passwordHash: null,
          totpSecret: null,
          roles: s.roles,
          departmentId: deptIds.get(s.departmentCode)?.id ?? null,
          position: s.position,
          citizenId: null,
          enterpriseId: null,
          phone: null,
        })),
    ];
    await insertChunked(userRows, (chunk) => tx.insert(users).values(chunk));
    const agentRows = userRows
      .filter((u) => u.enterpriseId)
      .map((u) => ({ enterpriseId: u.enterpriseId!, userId: u.id, role: "legal_representative" }));
    if (agentRows.length > 0) await tx.insert(enterpriseAgents).values(agentRows);

    await appendAudit(
      tx,
      { actor: null, ip: null, requestId: "seed", clock: platform.clock },
      {
        action: "demo.district.seeded",
        resourceType: "installation",
        details: {
          seed: district.seed,
          departments: deptRows.length,
          citizens: citizenRows.length,
          enterprises: enterpriseRows.length,
          users: userRows.length,
        },
      },
    );
  });

  // Staff accounts get simulated 粤政易 accounts before any demo work starts, so it reaches their phones.
  await linkDemoMobileAccounts(
    platform,
    district.accounts.filter((a) => a.kind === "staff").map((a) => a.username),
  );

  writeFileSync(
    path.join(platform.config.dataDir, "demo-accounts.json"),
    `${JSON.stringify(
      district.accounts.map((a) => ({
        role: a.role,
        username: a.username,
        password: a.password,
        totpSecret: a.totpSecret,
        displayName: a.displayName,
        ...(a.phone ? { phone: a.phone } : {}),
      })),
      null,
      2,
    )}\n`,
    { mode: 0o600 },
  );
  return {
    accounts: district.accounts,
    counts: {
      departments: district.departments.length,
      staff: district.staff.length,
      citizens: district.citizens.length,
      enterprises: district.enterprises.length,
    },
  };
}

/**
 * A real installation starts with the district government and one administrator, whose one-time
 * password is printed once; the TOTP secret is enrolled with it.
 */
export async function seedInstallation(
  platform: Platform,
): Promise<{ username: string; password: string; totpSecret: string }> {
  const { generateTotpSecret } = await import("../kernel/identity/totp");
  const password = generatePassword();
  const totpSecret = generateTotpSecret();
  const passwordHash = await hashPassword(password);
  await platform.db.transaction(async (tx) => {
    const id = newId();
    await tx.insert(departments).values({
      id,
      code: "root",
      name: "区人民政府",
      nameEn: "District Government",
      kind: "government",
      path: `/${id}/`,
    });
    await tx.insert(users).values({
      id: newId(),
      username: "admin",
      kind: "staff",
      displayName: "系统管理员",
      passwordHash,
      totpSecret: sealSecret(platform.masterKey, Buffer.from(totpSecret)).toString("base64"),
      roles: ["admin"],
      departmentId: id,
      position: "系统管理员",
      mustChangePassword: true,
    });
    await appendAudit(
      tx,
      { actor: null, ip: null, requestId: "seed", clock: platform.clock },
      { action: "installation.initialised", resourceType: "installation", details: { admin: "admin" } },
    );
  });
  return { username: "admin", password, totpSecret };
}
