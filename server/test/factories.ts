import { randomBytes } from "node:crypto";
import type { FastifyInstance } from "fastify";
import type { Role } from "../src/kernel/access/roles";
import { sealSecret } from "../src/kernel/crypto/sm";
import { newId } from "../src/kernel/db/ids";
import { hashPassword } from "../src/kernel/identity/passwords";
import { citizens, departments, users } from "../src/kernel/identity/schema";
import { generateTotpSecret, totpCode } from "../src/kernel/identity/totp";
import type { Platform } from "../src/kernel/platform";

/**
 * Factories build what a test needs, parents included, with unique codes, through the same tables
 * the application uses. Passwords are hashed once per process (argon2 is slow on purpose).
 */
const PASSWORD = "Test-Passw0rd!";
let passwordHash: Promise<string> | null = null;

function unique(prefix: string): string {
  return `${prefix}${randomBytes(4).toString("hex")}`;
}

export interface TestDepartment {
  id: string;
  code: string;
  path: string;
}

export async function buildDepartment(
  platform: Platform,
  kind: "government" | "bureau" | "office" | "subdistrict" | "community" | "grid" = "bureau",
  parent?: TestDepartment,
): Promise<TestDepartment> {
  const chain: Record<string, "government" | "subdistrict" | "community"> = {
    bureau: "government",
    subdistrict: "government",
    office: "government",
    community: "subdistrict",
    grid: "community",
  };
  const realParent =
    parent ?? (kind === "government" ? undefined : await buildDepartment(platform, chain[kind]!));
  const id = newId();
  const code = unique(kind.slice(0, 3));
  const path = `${realParent?.path ?? "/"}${id}/`;
  await platform.db.insert(departments).values({
    id,
    code,
    name: `测试${kind}${code}`,
    kind,
    parentId: realParent?.id ?? null,
    path,
  });
  return { id, code, path };
}

export interface TestUser {
  id: string;
  username: string;
  password: string;
  totpSecret: string | null;
  departmentId: string | null;
  roles: Role[];
  /** Signs in through createToken, as a script would. */
  token(app: FastifyInstance): Promise<string>;
  totp(): string;
}

export async function buildUser(
  platform: Platform,
  options: {
    roles: Role[];
    department?: TestDepartment;
    kind?: "staff" | "citizen" | "enterprise";
    phone?: string;
    citizenId?: string;
  },
): Promise<TestUser> {
  const kind =
    options.kind ??
    (options.roles.includes("citizen")
      ? "citizen"
      : options.roles.includes("enterprise")
        ? "enterprise"
        : "staff");
  const department =
    kind === "staff" ? (options.department ?? (await buildDepartment(platform))) : options.department;
  const id = newId();
  const username = unique("u");
  const totpSecret = kind === "staff" ? generateTotpSecret() : null;
  passwordHash ??= hashPassword(PASSWORD);
  await platform.db.insert(users).values({
    id,
    username,
    kind,
    displayName: `测试用户${username.slice(1, 5)}`,
    passwordHash: await passwordHash,
    totpSecret: totpSecret
      ? sealSecret(platform.masterKey, Buffer.from(totpSecret)).toString("base64")
      : null,
    roles: options.roles,
    departmentId: department?.id ?? null,
    phone: options.phone ?? null,
    citizenId: options.citizenId ?? null,
  });
  const totp = () => (totpSecret ? totpCode(totpSecret, platform.clock.now().getTime()) : "");
  return {
    id,
    username,
    password: PASSWORD,
    totpSecret,
    departmentId: department?.id ?? null,
    roles: options.roles,
    totp,
    async token(app) {
      const res = await app.inject({
        method: "POST",
        url: "/api/auth/token",
        payload: { username, password: PASSWORD, ...(totpSecret ? { totp: totp() } : {}) },
      });
      if (res.statusCode !== 200)
        throw new Error(`createToken failed for ${username}: ${res.statusCode} ${res.body}`);
      return (JSON.parse(res.body) as { access_token: string }).access_token;
    },
  };
}

export async function buildCitizen(
  platform: Platform,
  options: { department?: TestDepartment; idNumber: string; name?: string; phone?: string },
): Promise<{ id: string; idNumber: string }> {
  const id = newId();
  await platform.db.insert(citizens).values({
    id,
    idType: "resident_id",
    idNumber: options.idNumber,
    name: options.name ?? "李测试",
    gender: "female",
    birthDate: "1990-01-01",
    phone: options.phone ?? null,
    address: "广州市云溪区测试路1号",
    departmentId: options.department?.id ?? null,
  });
  return { id, idNumber: options.idNumber };
}

export function bearer(token: string): { authorization: string } {
  return { authorization: `Bearer ${token}` };
}

/** A district government and an administrator in it, signed in: the start of most admin tests. */
export async function buildAdmin(
  platform: Platform,
  app: FastifyInstance,
): Promise<{ root: TestDepartment; admin: TestUser; token: string }> {
  const root = await buildDepartment(platform, "government");
  const admin = await buildUser(platform, { roles: ["admin"], department: root });
  return { root, admin, token: await admin.token(app) };
}
